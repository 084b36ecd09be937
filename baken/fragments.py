"""`{% call cached("name", key, …) %}…{% endcall %}`: render a part of a page once.

For the parts of a page that are the same for every visitor (the header, the footer's help
section, a step's prose and questions): they are rendered the first time they are needed and
kept for the life of the process. Each part has its own name; everything it depends on must be
among its keys, besides the language and script prefix, which are always added. Content
objects in a key count by identity, so content loaded anew (in tests) never meets a stale
part. With `unless=…`, the part is rendered afresh, uncached, whenever the value is true (a
form with errors). A plain `{% call %}` block, so gettext extraction reads it like any other.

What differs per visitor goes through `hole(kind, …)`: while a part is first rendered, a hole
leaves a mark; each time the part is used, the mark is filled from the page being rendered
(an answer in a text field, a chosen radio button). Outside a cached part, a hole is filled at
once, so a template reads the same either way. Nothing a visitor wrote or chose is ever kept
in a cached part: only the marks are.

`render_page` goes one step further for a view that can name everything a page depends on
(its `page_key`): base.html makes the whole page one part, and from the second request on the
view fills that part's holes itself, without running the template. The holes are then filled
from a plain dict of the view's context instead of the template's context.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from jinja2.runtime import Context, Undefined
from jinja2.utils import pass_context
from markupsafe import Markup, escape

MAX_FRAGMENTS = 4096  # parts per process; content is finite, so this is only a guard
ENABLED = True  # tests turn it off to compare with pages rendered entirely afresh
MARK = re.compile("\ue000([0-9]+)\ue001")

Part = str | tuple[str, tuple[Any, ...]]  # plain HTML, or a hole: (kind, arguments)
_fragments: dict[tuple[Any, ...], tuple[tuple[Any, ...], tuple[Part, ...]]] = {}
_recording = threading.local()


def _value(context: Context, name: str) -> Markup:
    """What the visitor has in a text field."""
    return escape(context["form"].values.get(name) or "")


def _checked(context: Context, name: str, value: str) -> Markup:
    """Whether the visitor chose this radio button or ticked this box."""
    return Markup(" checked") if context["form"].values.get(name) == value else Markup("")


def _own(context: Context, table: str, number: int, side: str) -> Markup:
    """One side of one of the visitor's own rows of a pair table."""
    return escape(context["own_rows"][table][number][side])


def _csrf(context: Context) -> Markup:
    """The form's CSRF field, masked for this page."""
    return Markup(str(context.get("csrf_input", "")))  # noqa: S704 (Django's own safe HTML)


def _languages(context: Context) -> Markup:
    """The language switcher's links: this very page (and its query) in the other languages."""
    from .navigation import language_links

    return Markup("".join(  # noqa: S704 (every value is escaped)
        f'\n      <li><a href="{escape(link["url"])}" hreflang="{escape(link["code"])}" '
        f'lang="{escape(link["code"])}">{escape(link["name"])}</a></li>'
        for link in language_links(context["request"])))


def _macro(context: Context | dict[str, Any], template_name: str, macro: str, block: Any,
           data: str) -> Markup:
    """A block rendered for this page alone, from its macro: for a block that shows what the
    visitor wrote as text (a rehearse card, a comparison of scores), so that the rest of the
    page can still be one cached part. The macro gets its data (`context[data][block.id]`)
    as an argument, so it runs from the template's module as loaded once."""
    if isinstance(context, Context):
        environment = context.environment
    else:  # filling a page outside the template (render_page)
        from django.template import engines

        environment = engines["jinja2"].env  # type: ignore[attr-defined]
    module = environment.get_template(template_name).module
    return Markup(getattr(module, macro)(block, context[data][block.id]))  # noqa: S704


HOLES: dict[str, Callable[..., Markup]] = {
    "value": _value, "checked": _checked, "own": _own, "csrf": _csrf, "languages": _languages,
    "macro": _macro}


@pass_context
def hole(context: Context, kind: str, *args: Any) -> Markup:
    """A per-visitor value: a mark while a cached part is recorded, else the value itself."""
    holes = getattr(_recording, "holes", None)
    if holes is None:
        return HOLES[kind](context, *args)
    holes.append((kind, args))
    return Markup(f"\ue000{len(holes) - 1}\ue001")  # noqa: S704 (a mark, no visitor data)


def _fill(parts: tuple[Part, ...], context: Context | dict[str, Any]) -> Markup:
    return Markup("".join(  # noqa: S704 (static parts are the template's escaped output)
        part if isinstance(part, str) else HOLES[part[0]](context, *part[1])
        for part in parts))


def _key(name: str, state: Any, keys: tuple[Any, ...]) -> tuple[tuple[Any, ...], list[Any]]:
    """A part's full key, and the content objects in it (which count by identity)."""
    plain, objects = [], []
    for key in keys:
        if isinstance(key, Undefined):
            key = None
        if key is None or isinstance(key, str | int | float | bool):
            plain.append(key)
        else:  # a content object: by identity, and kept so its id cannot be reused
            plain.append(id(key))
            objects.append(key)
    return (name, state, *plain), objects


def _found(full: tuple[Any, ...], objects: list[Any]) -> tuple[Part, ...] | None:
    found = _fragments.get(full)
    if found is None or not all(a is b for a, b in zip(found[0], objects, strict=True)):
        return None
    return found[1]


@pass_context
def cached(context: Context, name: str, *keys: Any, unless: Any = False,
           caller: Callable[[], str]) -> Markup:
    """`{% call cached("name", key, …) %}…{% endcall %}`: the part, rendered once per key."""
    from .jinja2 import STATE, _state

    if unless or not ENABLED or getattr(_recording, "holes", None) is not None:
        # Rendered afresh; or inside a part being recorded, whose holes these are.
        return Markup(caller())  # noqa: S704 (the template's own autoescaped output)

    full, objects = _key(name, context.get(STATE) or _state(), keys)
    parts = _found(full, objects)
    if parts is None:
        _recording.holes = holes = []
        try:
            html = caller()
        finally:
            _recording.holes = None
        pieces = MARK.split(html)  # text, hole number, text, hole number, …, text
        parts = tuple(piece if i % 2 == 0 else holes[int(piece)]
                      for i, piece in enumerate(pieces) if piece)
        if len(_fragments) >= MAX_FRAGMENTS:
            _fragments.clear()
        _fragments[full] = (tuple(objects), parts)
    return _fill(parts, context)


def page_keys(request: Any, info: dict[str, Any], journal_open: bool,
              page_key: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """The keys of a whole page as one part (base.html): what the frame around the content
    depends on, then the page's own `page_key` (its template's name first)."""
    return (bool(getattr(request, "session_ended", False)), journal_open, info.get("helpline"),
            info.get("helpline_status"), info.get("helpline_open"), *(page_key or ()))


def render_page(request: Any, template_name: str, context: dict[str, Any],
                page_key: tuple[Any, ...] | None = None, status: int = 200) -> HttpResponse:
    """Render a page; with a `page_key`, as one cached part.

    `page_key` holds everything the page's content depends on (base.html adds what its frame
    depends on). Once the page has been rendered for a key, later requests take it from the
    cache and only fill its holes, without running the template at all.
    """
    from django.shortcuts import render

    from .jinja2 import STATE, has_journal, helpline_info, render_state

    if page_key is not None:
        page_key = (template_name, *page_key)
        if ENABLED:
            # What the template's context processor would add: the state and the form token.
            state = render_state(request)
            full, objects = _key("page", state[STATE], page_keys(
                request, helpline_info(), has_journal(request), page_key))
            parts = _found(full, objects)
            if parts is not None:
                holes = {**context, "request": request, **state}
                return HttpResponse(_fill(parts, holes), status=status)
    return render(request, template_name, {**context, "page_key": page_key}, status=status)


@receiver(setting_changed)
def forget(**kwargs: Any) -> None:
    """Any changed setting (in tests) may change what a part looks like: start afresh."""
    _fragments.clear()
