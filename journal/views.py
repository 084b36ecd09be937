"""The journal's pages: the phrase, continuing with it, export, ending and deleting."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baken.navigation import local_path
from modules.views import see_other

from . import export, service, wordlists
from .store import reads_answers, store_for

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    return local_path(request, target) or default


@require_GET
def phrase(request: HttpRequest) -> HttpResponse:
    """Show the recovery phrase of a journal made in this session."""
    words = service.phrase_from_session(request.session)
    return render(request, "journal/phrase.html", {
        "words": words.split() if words else None,
        "journal_open": service.has_journal(request.session),
        "next": _safe_next(request, reverse("modules:home")),
        "idle_minutes": settings.BAKEN_SESSION_IDLE_SECONDS // 60,
        "expiry_days": settings.BAKEN_JOURNAL_EXPIRY_DAYS,
    })


@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    """Continue with the phrase, on any device."""
    typed = ""
    error = None
    status = 200
    if request.method == "POST":
        typed = request.POST.get("phrase", "")[:500].replace("\x00", "")
        result = service.resume(request.session, typed)
        if result.ok:
            return see_other(_safe_next(request, reverse("journal:continue")))
        status = 429 if result.reason == "throttled" else 400
        error = _resume_message(result)
    return render(request, "journal/resume.html", {
        "typed": typed, "error": error, "words": wordlists.PHRASE_WORDS,
        "next": _safe_next(request, ""),
    }, status=status)


def _resume_message(result: service.ResumeResult) -> str:
    if result.reason == "unknown-words":
        positions = ", ".join(str(p) for p in result.detail)
        return _("These words are not in our word list: word %(positions)s. Check the "
                 "spelling.") % {"positions": positions}
    if result.reason == "wrong-length":
        return _("A recovery phrase has %(expected)s words; you typed %(count)s.") % {
            "expected": wordlists.PHRASE_WORDS, "count": result.detail[0]}
    if result.reason == "throttled":
        return _("There were too many attempts. Wait a few minutes and try again.")
    return _("We could not open a journal with this phrase. Check the words and their order.")


@reads_answers
@require_GET
def continue_where_left(request: HttpRequest) -> HttpResponse:
    """After a resume: go to the module the visitor was working on."""
    from modules.content import get_library
    from modules.views import resume_url

    store = store_for(request)
    for module_id in store.modules():
        module = get_library().module(module_id, get_language())
        if module is not None:
            return see_other(resume_url(module, store.progress(module.id)))
    return see_other(reverse("modules:home"))


@require_POST
def end(request: HttpRequest) -> HttpResponse:
    """End the session: the server forgets it, the browser is told to clear what it kept."""
    service.end_session(request.session)
    response = render(request, "journal/ended.html", {})
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Delete the journal and everything in it, after a confirmation."""
    if request.method == "POST":
        deleted = service.delete(request.session)
        response = render(request, "journal/deleted.html", {"deleted": deleted})
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
    return render(request, "journal/delete.html",
                  {"journal_open": service.has_journal(request.session)})


@reads_answers
@require_GET
def download(request: HttpRequest, kind: str) -> HttpResponse:
    """All answers as one self-contained HTML file or as plain text."""
    content, content_type = export.render(request, kind)
    response = HttpResponse(content, content_type=content_type)
    extension = "html" if kind == "html" else "txt"
    response["Content-Disposition"] = f'attachment; filename="answers.{extension}"'
    return response
