"""Session lifetimes: 30 minutes idle, 8 hours at most; and telling a visitor when one ended."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404

from baken.handler import resolved
from baken.navigation import language_of

from . import service

# Write the "last seen" time at most this often, not on every request.
SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.session_ended = False  # type: ignore[attr-defined]
        had_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        session = request.session
        # Said before the session is first read (just below), so that its query can bring the
        # stored answers along on pages that show them (journal.sessions).
        session.with_answers = had_cookie and shows_answers(request.path_info)
        if had_cookie:
            now = int(time.time())
            started = session.get(service.STARTED)
            seen = session.get(service.SEEN)
            if started is None or seen is None:
                # The cookie names a session the server no longer has (expired or ended).
                if not session.keys():
                    request.session_ended = True  # type: ignore[attr-defined]
                else:
                    session[service.STARTED] = session[service.SEEN] = now
            elif (now - seen > settings.BAKEN_SESSION_IDLE_SECONDS
                  or now - started > settings.BAKEN_SESSION_MAX_SECONDS):
                service.end_session(session)
                request.session_ended = True  # type: ignore[attr-defined]
            elif now - seen >= SEEN_RESOLUTION:
                session[service.SEEN] = now
        return self.get_response(request)


def shows_answers(path: str) -> bool:
    """Whether the view at this path is marked `reads_answers` (journal.store).

    Worked out before the language is set from the address (LanguageFromAddressMiddleware
    comes later), so in the language the path itself names; the handler's remembered lookup,
    which the handler then uses for the same path.
    """
    try:
        match = resolved(path, language_of(path))
    except Resolver404:
        return False
    return getattr(match.func, "reads_answers", False)
