"""Error pages, quick exit, the break page, browsing safely, the helpline, urge and about pages."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.navigation import local_path

from . import helpline


def error_page(
    request: HttpRequest,
    status: int,
    title: str,
    message: str,
    kept: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """A plain page explaining what went wrong, with links back."""
    return render(
        request,
        "support/error.html",
        {
            "status": status,
            "title": title,
            "message": message,
            "kept": kept or [],
        },
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        400,
        _("Something in the request was not right"),
        _("The page could not handle what was sent. Go back and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        403,
        _("This is not allowed"),
        _("You cannot open this page. Go back to where you were."),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        404,
        _("Page not found"),
        _("This page does not exist (any more). Check the address, or start from the home page."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request,
        500,
        _("Something went wrong on our side"),
        _("This is our fault, not yours. Please try again in a moment."),
    )


def refused_body(request: HttpRequest, problem: str) -> HttpResponse:
    """A body refused unread (support.middleware.body_problem): said plainly, nothing saved."""
    if problem == "too-large":
        message = _(
            "What you sent is larger than this site accepts (at most %(limit)s MB), so "
            "nothing was saved. Go back, shorten the longest text, and save again."
        ) % {"limit": number_format(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000)}
    else:
        message = _(
            "This site's forms send text only, and what arrived was not such a form, so "
            "nothing was saved. Go back and use the form on the page."
        )
    return error_page(request, 400, _("Something in the request was not right"), message)


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    return error_page(
        request,
        405,
        _("This page cannot be used like that"),
        _(
            "The page was asked for in a way it does not support. Go back and use "
            "the links and buttons on the page."
        ),
    )


# --- safety and support ----------------------------------------------------------------------


def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave at once: end the session on the server, clear the browser's copy, go elsewhere.

    Only the visitor's own exit does the clearing: the site's exit link or script, or the
    address typed or bookmarked. A link on another site to /exit/ just redirects, so no other
    site can end a visitor's session or clear their data here.
    """
    response = HttpResponseRedirect(settings.BAKEN_EXIT_URL, status=303)
    if _visitors_own(request):
        request.session.flush()
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


def _visitors_own(request: HttpRequest) -> bool:
    """Whether the request comes from this site's own pages or from the visitor's own hand.

    `Sec-Fetch-Site` (sent by current browsers) says it: `same-origin` for the exit link and
    script, `none` for an address typed, a bookmark or a history entry, which only the visitor
    can cause; `same-site` and `cross-site` come from other sites. A browser too old to send it
    is judged by the `Referer` our pages send to their own origin: another origin's is refused;
    none at all is allowed, because failing a visitor who wants to leave is worse than a
    needless log-out.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    referer = request.headers.get("Referer")
    if not referer:
        return True
    own = _origin(request.build_absolute_uri("/"))
    return own is not None and _origin(referer) == own


def _origin(url: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed address ("http://[::1") is no origin at all
        return None
    return parts.scheme.lower(), parts.netloc.lower()


@require_GET
def take_a_break(request: HttpRequest) -> HttpResponse:
    """A calm page: progress is saved, a few grounding steps, who to contact, the way back."""
    return render(
        request,
        "support/break.html",
        {
            "return_to": local_path(request, request.GET.get("return", "")),
        },
    )


@require_GET
def browsing_safely(request: HttpRequest) -> HttpResponse:
    """What the exit button does and does not do, and how to leave fewer traces."""
    return render(request, "support/safety.html", {})


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """The helpline's details and opening hours, and the crisis lines."""
    return render(request, "support/contact.html", {})


@require_GET
def urge(request: HttpRequest) -> HttpResponse:
    """For the moment an urge comes: what to do now, and who to contact (from configuration)."""
    return render(request, "support/urge.html", {})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """Who runs the site (from the helpline file's `about:`) and what is stored and what not."""
    line = helpline.get_helpline()
    about = line.about if line is not None else None
    return render(
        request,
        "support/about.html",
        {
            "about": about,
            "example": bool(line and line.example),
            "description": about.description_in(get_language()) if about else None,
            "idle_minutes": settings.BAKEN_SESSION_IDLE_SECONDS // 60,
            "max_hours": settings.BAKEN_SESSION_MAX_SECONDS // 3600,
            "journal_days": settings.BAKEN_JOURNAL_EXPIRY_DAYS,
            "message_days": settings.BAKEN_MESSAGE_EXPIRY_DAYS,
        },
    )


def helpline_context() -> dict[str, object]:
    """The helpline and its status now, for any page that shows it.

    Opening hours are whole minutes, so the status is the same all through a minute: it is
    worked out once per minute and language, not on every page.
    """
    line = helpline.get_helpline()
    if line is None:
        return {
            "helpline": None,
            "helpline_status": None,
            "hours": [],
            "now": helpline.NOT_CONFIGURED_NOW,
        }
    moment = helpline.now()
    key = (get_language(), moment.replace(second=0, microsecond=0))
    cached = _helpline_contexts.get(key)
    if cached is None or cached[0] is not line:
        if len(_helpline_contexts) > 16:
            _helpline_contexts.clear()
        cached = _helpline_contexts[key] = (line, _helpline_context(line, moment))
    return dict(cached[1])


_helpline_contexts: dict[tuple[object, ...], tuple[object, dict[str, object]]] = {}


def _helpline_context(line: helpline.Helpline, moment: datetime) -> dict[str, object]:
    status = helpline.status(line, moment)
    described = helpline.describe(status, moment)
    return {
        "helpline": line,
        "helpline_status": described,
        "helpline_open": status.open,
        # The same object all through the minute, so the footer is rendered once a minute.
        "now": helpline.HelplineNow(
            helpline=line, helpline_status=described, helpline_open=status.open
        ),
        "hours": helpline.hours_table(line),
        "helpline_languages": helpline.languages_text(line),
    }
