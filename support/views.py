"""Error pages in the visitor's language, each with a way back. Never a debug page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from modules.answers import text_labels
from modules.content import get_library


def error_page(request: HttpRequest, status: int, title: str, message: str,
               kept: list[tuple[str, str]] | None = None) -> HttpResponse:
    """A plain page explaining what went wrong, with links back."""
    return render(request, "support/error.html", {
        "status": status, "title": title, "message": message, "kept": kept or [],
    }, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400, _("Something in the request was not right"),
                      _("The page could not handle what was sent. Go back and try again."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403, _("This is not allowed"),
                      _("You cannot open this page. Go back to where you were."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404, _("Page not found"),
                      _("This page does not exist (any more). Check the address, or start from "
                        "the home page."))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500, _("Something went wrong on our side"),
                      _("This is our fault, not yours. Please try again in a moment."))


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    return error_page(request, 405, _("This page cannot be used like that"),
                      _("The page was asked for in a way it does not support. Go back and use "
                        "the links and buttons on the page."))


def journal_gone(request: HttpRequest) -> HttpResponse:
    """A save found its journal deleted (in another tab, or expired): show the text back."""
    from journal.service import end_session

    kept = _typed_text(request)
    end_session(request.session)
    return error_page(
        request, 410, _("This journal no longer exists"),
        _("The journal was deleted or has expired, so nothing was saved. Your text is shown "
          "below: copy it if you want to keep it."),
        kept=kept,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form's security token was missing or stale: nothing saved, but the text is shown back.

    No form is rendered here, so this page never starts a new session (which would replace
    the visitor's own cookie when the request came from another site).
    """
    return error_page(
        request, 403, _("Your answers were not saved"),
        _("This page was open too long, or your session ended, so the form could not be "
          "accepted. Nothing was saved. Your text is shown below: copy it, continue with "
          "your recovery phrase, and paste it in."),
        kept=_typed_text(request),
    )


def _typed_text(request: HttpRequest) -> list[tuple[str, str]]:
    """The free text a rejected step form carried, labelled with its questions."""
    if request.method != "POST":
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    if match.view_name != "modules:step":
        return []
    module = get_library().module(match.kwargs["module_id"], get_language())
    step = module.step(match.kwargs["step_id"]) if module else None
    if step is None:
        return []
    labels = {name: label for name, label in text_labels(step)}
    kept = []
    for name, value in request.POST.items():
        label = labels.get(name) or labels.get(name.rsplit(".", 1)[-1])
        if label is not None and value.strip():
            kept.append((str(label), value.replace("\x00", "\ufffd")))
    return kept
