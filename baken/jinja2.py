"""The Jinja2 environment: Django's translations, static files and URL reversing.

URLs, static file names and translations do not change while the server runs, so each is
worked out once per process and language and then remembered: a page asks for dozens of them.
The active language (and script prefix) is looked up once per page, by `render_state`, rather
than in every call: Django keeps it in a context-local that costs microseconds to read.
"""

import secrets
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from baken.navigation import cached_reverse, language_links
from modules.answers import field_id, question_number

from .fragments import cached, hole, page_keys

STATE = "_render_state"


def render_state(request: Any) -> dict[str, Any]:
    """Context processor: what URLs and translations depend on, read once per page.

    Also the CSRF field, masked once per page: Django's own `csrf_input` masks the token anew
    each time a template uses it (dozens of random draws each).
    """
    return {STATE: _state(), "csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def csrf_input(request: Any) -> Markup:
    """The form's CSRF field: Django's token, masked with one draw from the system's CSPRNG.

    Django's `get_token` draws the 32 characters of the mask one at a time, each from the
    operating system: the dearest part of rendering a step. The token is the same as Django's
    (mask, then secret + mask, character by character), and Django's middleware checks it.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        token = get_token(request)  # the first form of a session: Django makes the secret
    else:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token does
        token = mask_csrf_secret(secret)
    return Markup(f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">')  # noqa: S704


_CSRF_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
_EVEN = 256 - 256 % len(CSRF_ALLOWED_CHARS)  # bytes below this map evenly onto the characters


def mask_csrf_secret(secret: str) -> str:
    """Django's masking of a CSRF secret, with the mask's randomness drawn at once."""
    n = len(CSRF_ALLOWED_CHARS)
    mask: list[int] = []
    while len(mask) < len(secret):
        mask += [b % n for b in secrets.token_bytes(2 * len(secret)) if b < _EVEN]
    mask = mask[:len(secret)]
    return "".join(CSRF_ALLOWED_CHARS[m] for m in mask) + "".join(
        CSRF_ALLOWED_CHARS[(_CSRF_INDEX[c] + m) % n] for c, m in zip(secret, mask, strict=True))


def _state() -> tuple[str | None, str, Any]:
    return translation.get_language(), get_script_prefix(), get_urlconf()


@pass_context
def url(context: Context, name: str, *args: Any, **kwargs: Any) -> str:
    """Reverse a URL name."""
    state = context.get(STATE) or _state()
    return cached_reverse(name, args, tuple(sorted(kwargs.items())), *state)


@lru_cache(maxsize=256)
def static(path: str) -> str:
    """The URL of a static file, with its content hash."""
    return django_static(path)


@pass_context
def gettext(context: Context, message: str) -> str:
    """Django's gettext, remembered per language."""
    state = context.get(STATE)
    return _translated(state[0], message) if state else translation.gettext(message)


@lru_cache(maxsize=8192)
def _translated(language: str | None, message: str) -> str:
    return translation.gettext(message)


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """Tests that change these settings get fresh answers."""
    if setting in {"ROOT_URLCONF", "LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "STATIC_URL",
                   "STORAGES", "FORCE_SCRIPT_NAME"}:
        for cached in (static, _translated):  # and baken.navigation's
            cached.cache_clear()


def number(value: int) -> str:
    """A whole number grouped the way the visitor's language writes it (10.000, 10,000)."""
    return number_format(value, force_grouping=True)


def plain(value: Any) -> str:
    """Markdown source as text (for the plain-text export), anything else as itself."""
    return str(getattr(value, "source", value))


def has_journal(request: Any) -> bool:
    """Whether this visitor's session has an open journal (never starts a session itself)."""
    from journal.service import has_journal as session_has_journal

    session = getattr(request, "session", None)
    return bool(session is not None and session.session_key and session_has_journal(session))


def helpline_info() -> dict[str, object]:
    """The helpline's details and whether it is open now (for the footer and contact notes)."""
    from support.views import helpline_context

    return helpline_context()


def environment(**options: Any) -> Environment:
    """Build the environment Django's Jinja2 backend renders with."""
    env = Environment(**options)  # noqa: S701 (autoescape is set in settings)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(
        static=static,
        url=url,
        field_id=field_id,
        question_number=question_number,
        get_language=translation.get_language,
        site_name=settings.BAKEN_SITE_NAME,
        discreet_titles=settings.BAKEN_DISCREET_TITLES,
        has_journal=has_journal,
        helpline_info=helpline_info,
        cached=cached,
        page_keys=page_keys,
        hole=hole,
        language_links=language_links,
    )
    env.filters["plain"] = plain
    env.filters["number"] = number
    return env
