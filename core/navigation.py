"""Addresses within the site: safe return paths, and the same page in another language."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_path, override

# Query parameters that carry an address on this site to go back to.
RETURN_KEYS = ("return", "next")
# The `action` of the language switch on a page with a form (support/jinja2/base.html): the
# form's fields posted to the same page in the other language, to be shown there, unsaved.
SWITCH_LANGUAGE = "language"


def switching_language(request: HttpRequest) -> bool:
    """Whether a POST is the language switch carrying a form's text, not a save or a send."""
    return request.method == "POST" and request.POST.get("action") == SWITCH_LANGUAGE


def language_of(path: str) -> str:
    """The language an address is in: its prefix (/en/…), or the default language."""
    return get_language_from_path(path) or settings.LANGUAGE_CODE


def address(name: str, *args: Any) -> str:
    """`reverse(name, args=args)` in the active language, remembered: a save's redirect asks
    for one on every request, and Django works it out anew each time."""
    return cached_reverse(name, args, (), get_language(), get_script_prefix(), get_urlconf())


@lru_cache(maxsize=4096)
def cached_reverse(
    name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    language: str | None,
    prefix: str,
    urlconf: Any,
) -> str:
    # The key holds everything reverse() depends on; the call runs with that same state.
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None, urlconf=urlconf)


def local_path(request: HttpRequest, value: str) -> str | None:
    """A path on this site (never another site) in the visitor's current language, or None."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return in_language(value, get_language())


@lru_cache(maxsize=2048)
def in_language(path: str, language: str) -> str:
    """The same page in another language (the path unchanged if it names no page).

    Remembered: every page's language switcher asks, and the answer never changes while the
    server runs (the cache is bounded; unknown paths only push out older ones).
    """
    with override(language_of(path.split("?", 1)[0])):
        return translate_url(path, language)


def language_links(request: HttpRequest) -> list[dict[str, str]]:
    """The page being shown, in each of the other languages (with its query string).

    The language lives in the address, so switching needs no cookie and keeps the session.
    Return addresses in the query (`return`, `next`) switch language too; one that leads off
    the site is dropped. A page that has no twin (a 404) links to the other landing page.
    """
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        there = in_language(request.path, code)
        if there == request.path:
            with override(code):
                there = reverse("modules:home")
        query = []
        for key, value in request.GET.items():
            if key in RETURN_KEYS:
                target = local_path(request, value)
                if target is None:
                    continue
                value = in_language(target, code)
            query.append((key, value))
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"{there}?{urlencode(query, safe='/')}" if query else there,
            }
        )
    return links


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    # Each changes what an address is (the staff prefix: baken.urls, reloaded by a test).
    if setting in {
        "ROOT_URLCONF",
        "LANGUAGE_CODE",
        "LANGUAGES",
        "FORCE_SCRIPT_NAME",
        "BAKEN_STAFF_PREFIX",
    }:
        in_language.cache_clear()
        cached_reverse.cache_clear()
