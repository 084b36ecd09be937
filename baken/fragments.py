"""`{% cached key, … %}…{% endcached %}`: render a part of a page once, then reuse it.

For the parts of a page that are the same for every visitor (the header, the footer's help
section, a step's prose): they are rendered the first time they are needed and kept for the
life of the process. Everything the part depends on must be in its key, besides the language
and script prefix, which are always added. Content objects in a key count by identity, so
content loaded anew (in tests) never meets a stale fragment. Nothing a visitor wrote or chose
may be in a cached part.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context
from markupsafe import Markup

MAX_FRAGMENTS = 20_000
_fragments: dict[tuple[Any, ...], tuple[tuple[Any, ...], Markup]] = {}


class FragmentCache(Extension):
    tags = {"cached"}

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        where = f"{parser.name}:{token.lineno}"
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcached",), drop_needle=True)
        call = self.call_method(
            "_render", [nodes.ContextReference(), nodes.Const(where), nodes.List(keys)])
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

    def _render(self, context: Context, where: str, keys: list[Any],
                caller: Callable[[], str]) -> Markup:
        from .jinja2 import STATE, _state

        plain, objects = [], []
        for key in keys:
            if key is None or isinstance(key, str | int | float | bool):
                plain.append(key)
            else:  # a content object: by identity, and kept so its id cannot be reused
                plain.append(id(key))
                objects.append(key)
        full = (where, context.get(STATE) or _state(), *plain)
        found = _fragments.get(full)
        if found is not None and all(a is b for a, b in zip(found[0], objects, strict=True)):
            return found[1]
        html = Markup(caller())  # noqa: S704 (the template's own autoescaped output)
        if len(_fragments) >= MAX_FRAGMENTS:
            _fragments.clear()
        _fragments[full] = (tuple(objects), html)
        return html


@receiver(setting_changed)
def forget(**kwargs: Any) -> None:
    """Any changed setting (in tests) may change what a part looks like: start afresh."""
    _fragments.clear()
