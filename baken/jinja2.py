"""The Jinja2 environment: Django's translations, static files and URL reversing."""

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from jinja2 import Environment

from baken.navigation import language_links
from modules.answers import field_id, question_number


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """Reverse a URL name."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


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
        translation.gettext, translation.ngettext, newstyle=True
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
        language_links=language_links,
    )
    env.filters["plain"] = plain
    env.filters["number"] = number
    return env
