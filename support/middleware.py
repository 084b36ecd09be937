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
    """Django answers a wrong HTTP method with an empty 405: give it a page in words."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            from .views import method_not_allowed

            page = method_not_allowed(request)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
