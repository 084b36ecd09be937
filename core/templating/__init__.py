"""The Jinja2 environment Django renders with, and parts of pages rendered once.

`part(template, **content)` renders a piece of a page that is the same for every visitor (a
block of prose, a drawn illustration) once per language and keeps it. It is safe by
construction: the part's template is rendered with nothing but the content objects it is given
(no request, no session, no form, no answer) and it accepts only content objects, whole numbers
and yes/no as arguments, so a visitor's text cannot reach it even by mistake.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.backends.utils import csrf_input
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import trans_real
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from core.content.markdown import Md
from core.content.types import Part
from core.navigation import cached_reverse, language_links

from .helpers import field_id, number, plain, question_number

# What a part may be given: content as loaded (frozen content objects, rendered Markdown),
# whole numbers and yes/no. Never text, a list or a form: a visitor's answer is one of those.
CONTENT = (Part, Md, bool, int, type(None))
MAX_PARTS = 4096  # content is finite; this only bounds content reloaded in tests


class Parts:
    """The parts of pages rendered so far, per template, language and content."""

    def __init__(self, environment: Environment):
        self.environment = environment
        self.kept: dict[tuple[Any, ...], tuple[tuple[Any, ...], Markup]] = {}

    def __call__(self, template_name: str, **content: Any) -> Markup:
        for name, value in content.items():
            if not isinstance(value, CONTENT):
                raise TypeError(
                    f"part({template_name!r}): {name} is a {type(value).__name__}; "
                    "a part is rendered from content objects only"
                )
        names = sorted(content)
        # Content objects count by identity (they are frozen, and kept alive by the entry).
        key = (
            template_name,
            translation.get_language(),
            get_script_prefix(),
            *(id(content[n]) for n in names),
        )
        found = self.kept.get(key)
        if found is None or any(a is not content[n] for a, n in zip(found[0], names, strict=True)):
            html = Markup(self.environment.get_template(template_name).render(content))  # noqa: S704 (autoescaped)
            if len(self.kept) >= MAX_PARTS:
                self.kept.clear()
            found = self.kept[key] = (tuple(content[n] for n in names), html)
        return found[1]


_environments: list[Environment] = []


@lru_cache(maxsize=256)
def static(path: str) -> str:
    """The URL of a static file, with its content hash (the manifest does not change)."""
    return django_static(path)


# What addresses and translations depend on (the language, the script prefix, the URLconf),
# read once per page by the context processor below: Django keeps each in a context-local
# that costs microseconds to read, and a page asks for dozens of addresses and translations.
STATE = "_render_state"


def render_state(request: Any) -> dict[str, Any]:
    """Context processor: the state addresses and translations depend on, read once; and the
    form's CSRF field, masked once per page by Django (its own `csrf_input` masks anew each
    time a template uses it, and a page with a journal has two forms)."""
    return {STATE: _state(), "csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def _state() -> tuple[str | None, str, Any]:
    return translation.get_language(), get_script_prefix(), get_urlconf()


@pass_context
def url(context: Context, name: str, *args: Any) -> str:
    """The address of a named page in the page's language."""
    return cached_reverse(name, args, (), *(context.get(STATE) or _state()))


@pass_context
def gettext(context: Context, message: str, **variables: Any) -> str:
    """`_("…", name=value)`: Django's translation in the page's language, with the values put
    in (escaped), as Jinja's own "newstyle" gettext does it, with the lookup remembered."""
    state = context.get(STATE)
    language = state[0] if state else translation.get_language()
    if not context.eval_ctx.autoescape:  # the plain-text export
        return _translated(language, message) % variables
    if variables:
        # Our own catalogs' text, trusted as Jinja's newstyle gettext trusts it; the values
        # are escaped by Markup's %.
        return Markup(_translated(language, message)) % variables  # noqa: S704
    return _translated_html(language, message)


@lru_cache(maxsize=8192)
def _translated(language: str | None, message: str) -> str:
    # The catalogs do not change while the server runs; the key is the language and the
    # template's own literal string.
    if language is None:
        return translation.gettext(message)
    return trans_real.translation(language).gettext(message)


@lru_cache(maxsize=8192)
def _translated_html(language: str | None, message: str) -> Markup:
    return Markup(_translated(language, message)) % {}  # noqa: S704 (as above)


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """Settings changed in tests may change what a part, an address or a word looks like."""
    static.cache_clear()
    _translated.cache_clear()
    _translated_html.cache_clear()
    for environment in _environments:
        environment.globals["part"].kept.clear()  # type: ignore[attr-defined]


def environment(**options: Any) -> Environment:
    """Build the environment Django's Jinja2 backend renders with."""
    env = Environment(**options)  # noqa: S701 (autoescape is set in settings)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(
        _=gettext,
        gettext=gettext,
        static=static,
        url=url,
        field_id=field_id,
        question_number=question_number,
        get_language=translation.get_language,
        site_name=settings.BAKEN_SITE_NAME,
        discreet_titles=settings.BAKEN_DISCREET_TITLES,
        language_links=language_links,
        part=Parts(env),
    )
    env.filters["plain"] = plain
    env.filters["number"] = number
    _environments.append(env)
    return env
