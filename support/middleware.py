"""Friendly pages for bare error responses."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class FriendlyErrorPagesMiddleware:
    """A wrong HTTP method gets a page in words (Django's own 405 is empty).

    Baken only uses GET and POST, so other methods are answered before the CSRF check,
    which would otherwise call them a stale form.
    """

    SITE_METHODS = ("GET", "HEAD", "POST")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .views import method_not_allowed

        if request.method not in self.SITE_METHODS:
            page = method_not_allowed(request)
            page["Allow"] = ", ".join(self.SITE_METHODS)
            return page
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = method_not_allowed(request)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
