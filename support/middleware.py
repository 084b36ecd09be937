"""Response headers that keep visitors private, and friendly pages for bare error responses."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No third-party origin, no inline script; the quick-exit script (later) comes from our origin.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
])


class PrivacyHeadersMiddleware:
    """CSP, no caching of pages (they may show answers), no referrer, no powerful features."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "interest-cohort=(), browsing-topics=()")
        response.setdefault("Cache-Control", "no-store")
        return response


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
