"""Friendly pages for bare error responses, and request bodies refused before anything reads
them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core.navigation import language_of


class FriendlyErrorPagesMiddleware:
    """A wrong HTTP method gets a page in words (Django's own 405 is empty).

    Baken only uses GET and POST, so other methods are answered before the CSRF check,
    which would otherwise call them a stale form.
    """

    SITE_METHODS = ("GET", "HEAD", "POST")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .views import method_not_allowed, refused_body

        if request.method not in self.SITE_METHODS:
            page = method_not_allowed(request)
            page["Allow"] = ", ".join(self.SITE_METHODS)
            return page
        problem = body_problem(request)
        if problem is not None:
            # Answered here, before the session and CSRF middleware parse the body.
            with translation.override(language_of(request.path_info)):
                return refused_body(request, problem)
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = method_not_allowed(request)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


def body_problem(request: HttpRequest) -> str | None:
    """Why a request's body is refused unread, or None.

    No form of Baken's sends files, so a multipart body is refused whole: Django reads its file
    parts past the body limit (`DATA_UPLOAD_MAX_MEMORY_SIZE` counts only the other fields).
    Any body whose declared length is over the limit is refused too.
    """
    if request.content_type == "multipart/form-data":
        return "multipart"
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "length"
    if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return "too-large"
    return None
