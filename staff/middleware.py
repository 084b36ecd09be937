"""The staff area's own request handling: its session cookie, lifetimes, user and second factor.

For an address in the staff area (core.http.areas), this middleware stands where Django's
session middleware stands for visitors, and runs Django's authentication middleware and
django-otp's on the staff session only. A visitor's request never has a `user`, and never
reads or writes a staff session; a staff request never touches a visitor's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_otp.middleware import OTPMiddleware

from core.http.areas import staff_area

from .sessions import SessionStore

STARTED, SEEN = "staff_started", "staff_seen"
SEEN_RESOLUTION = 60  # write the "last seen" time at most once a minute


class SessionsMiddleware:
    """The visitor's session (Django's session middleware) or the staff's, by address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.visitor = SessionMiddleware(get_response)
        self.staff = StaffSessionMiddleware(AuthenticationMiddleware(OTPMiddleware(get_response)))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if staff_area(request):
            if settings.BAKEN_STAFF_HOST:
                request.urlconf = "baken.staff_urls"  # this host serves nothing else
            return self.staff(request)
        return self.visitor(request)


class StaffSessionMiddleware:
    """A staff session in its own cookie (`BAKEN_STAFF_COOKIE_NAME`, SameSite=Strict, HttpOnly,
    Secure in production, for this host and path only), ended after `BAKEN_STAFF_IDLE_SECONDS`
    without a request and after `BAKEN_STAFF_MAX_SECONDS` in any case."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = settings.BAKEN_STAFF_COOKIE_NAME
        session = SessionStore(request.COOKIES.get(name))
        request.session = session
        request.staff_session_ended = self._keep_alive(session)
        response = self.get_response(request)
        response["X-Robots-Tag"] = "noindex, nofollow"  # and never cached: core.http
        return self._store(request, session, response, name)

    @staticmethod
    def _keep_alive(session: Any) -> bool:
        """End a session that has been idle or alive too long; note the time of this request."""
        if session.session_key is None or not session.keys():
            return False
        now = int(time.time())
        started, seen = session.get(STARTED, now), session.get(SEEN, now)
        if (
            now - seen > settings.BAKEN_STAFF_IDLE_SECONDS
            or now - started > settings.BAKEN_STAFF_MAX_SECONDS
        ):
            session.flush()
            return True
        if STARTED not in session:
            session[STARTED] = now
        if now - seen >= SEEN_RESOLUTION or SEEN not in session:
            session[SEEN] = now
        return False

    @staticmethod
    def _store(
        request: HttpRequest, session: Any, response: HttpResponse, name: str
    ) -> HttpResponse:
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        if name in request.COOKIES and session.is_empty():
            response.delete_cookie(name, path="/", samesite="Strict")
        elif session.modified and not session.is_empty() and response.status_code < 500:
            session.save()
            response.set_cookie(
                name,
                session.session_key,
                path="/",  # a __Host- cookie must have Path=/ and no Domain
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Strict",
            )
        return response
