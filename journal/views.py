"""The journal's pages: the phrase, continuing with it, ending the session and deleting."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http.responses import see_other
from core.navigation import local_path, switching_language

from . import service, wordlists
from .forms import DeleteForm, ResumeForm

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    return local_path(request, target) or default


@require_GET
def phrase(request: HttpRequest) -> HttpResponse:
    """Show the recovery phrase of a journal made in this session."""
    words = service.phrase_from_session(request.session)
    return render(
        request,
        "journal/phrase.html",
        {
            "words": words.split() if words else None,
            "next": _safe_next(request, reverse("modules:home")),
            "idle_minutes": settings.BAKEN_SESSION_IDLE_SECONDS // 60,
            "expiry_days": settings.BAKEN_JOURNAL_EXPIRY_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    """Continue with the phrase, on any device."""
    form = ResumeForm(request.POST if request.method == "POST" else None)
    error = None
    status = 200
    # The language switch posts the words typed to be shown again in the other language: not tried.
    if form.is_valid() and not switching_language(request):
        result = service.resume(request.session, form.cleaned_data["phrase"])
        if result.ok:
            # Where the visitor was: the module player's page that finds it (modules).
            return see_other(_safe_next(request, reverse("modules:continue")))
        status = 429 if result.reason == "throttled" else 400
        error = _resume_message(result)
    return render(
        request,
        "journal/resume.html",
        {
            "typed": form.cleaned_data["phrase"] if form.is_bound else "",
            "error": error,
            "words": wordlists.PHRASE_WORDS,
            "next": _safe_next(request, ""),
        },
        status=status,
    )


def _resume_message(result: service.ResumeResult) -> str:
    if result.reason == "unknown-words":
        positions = ", ".join(str(p) for p in result.detail)
        return _(
            "These words are not in our word list: word %(positions)s. Check the spelling."
        ) % {"positions": positions}
    if result.reason == "wrong-length":
        return _("A recovery phrase has %(expected)s words; you typed %(count)s.") % {
            "expected": wordlists.PHRASE_WORDS,
            "count": result.detail[0],
        }
    if result.reason == "throttled":
        return _("There were too many attempts. Wait a few minutes and try again.")
    return _("We could not open a journal with this phrase. Check the words and their order.")


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
    if request.method == "POST" and DeleteForm(request.POST).is_valid():
        deleted = service.delete(request.session)
        response = render(request, "journal/deleted.html", {"deleted": deleted})
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
    return render(request, "journal/delete.html", {})
