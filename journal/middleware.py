"""Session lifetimes: 30 minutes idle, 8 hours at most; and telling a visitor when one ended."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.http.areas import staff_area

from . import service

# Write the "last seen" time at most this often, not on every request.
SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.session_ended = False
        # A cookie with a value (a browser drops a deleted one; some clients send it empty).
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and not staff_area(request):
            session = request.session
            now = service.this_minute()
            started = session.get(service.STARTED)
            seen = session.get(service.SEEN)
            if started is None or seen is None:
                # The cookie names a session the server no longer has (expired or ended).
                if not session.keys():
                    request.session_ended = True
                else:
                    session[service.STARTED] = session[service.SEEN] = now
            elif (
                now - seen > settings.BAKEN_SESSION_IDLE_SECONDS
                or now - started > settings.BAKEN_SESSION_MAX_SECONDS
            ):
                service.end_session(session)
                request.session_ended = True
            elif now - seen >= SEEN_RESOLUTION:
                session[service.SEEN] = now
        return self.get_response(request)
