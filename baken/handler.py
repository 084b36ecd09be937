"""Django's WSGI handler, remembering which view each address leads to.

Django matches the path against the URL patterns on every request; with `i18n_patterns` and
nested includes that is three resolvers deep, a noticeable part of a short request. The answer
depends only on the resolver, the language and the path, so it is remembered per process
(bounded; addresses that match nothing raise as before and are not kept). `resolved` is the
same lookup for code that needs a path's view before the handler resolves it.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import ResolverMatch, URLResolver, get_resolver
from django.utils.translation import get_language, override


class Handler(WSGIHandler):
    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        if hasattr(request, "urlconf"):  # a per-request URLconf: Django's own way
            return super().resolve_request(request)
        match = _resolve(get_resolver(), get_language(), request.path_info)
        request.resolver_match = match
        return match


def resolved(path: str, language: str) -> ResolverMatch:
    """The view at `path` in `language` (Resolver404 if none), from the same memory."""
    return _resolve(get_resolver(), language, path)


@lru_cache(maxsize=2048)
def _resolve(resolver: URLResolver, language: str | None, path: str) -> ResolverMatch:
    with override(language):  # the language prefix a path must carry depends on it
        return resolver.resolve(path)


@receiver(setting_changed)
def _forget(setting: str, **kwargs: object) -> None:
    if setting in {"ROOT_URLCONF", "LANGUAGE_CODE", "LANGUAGES"}:
        _resolve.cache_clear()
