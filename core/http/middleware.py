"""Response headers that keep visitors private, and the language taken from the address."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core.navigation import language_of

# No third-party origin, no inline script; the quick-exit script comes from our own origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)


class PrivacyHeadersMiddleware:
    """CSP, no framing, no caching of pages (they may show answers), no powerful features.

    (Django's SecurityMiddleware adds the referrer policy, `nosniff` and the opener policy.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("X-Frame-Options", "DENY")  # for browsers without frame-ancestors
        response.setdefault("Permissions-Policy", "interest-cohort=(), browsing-topics=()")
        response.setdefault("Cache-Control", "no-store")
        return response


class LanguageFromAddressMiddleware:
    """The language comes from the address alone: /en/… is English, no prefix the default.

    Never from a cookie or the Accept-Language header, so an address always shows the same
    language. What Django's LocaleMiddleware does with `i18n_patterns(…,
    prefix_default_language=False)`, without its reading of cookie and header, whose answer it
    then sets aside for such patterns anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_of(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
