"""A module's steps, read from its content files, each with a Django form of its questions.

The peer renders prose, callouts and questions (what the bench's page, a questions step, has);
a block of another kind shows its title and text only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from django import forms
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

MAX_LENGTH = 10_000  # as Baken's default
MARKDOWN = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class Block:
    type: str
    title: str
    html: SafeString  # its text, or a questions block's intro, rendered from Markdown
    kind: str  # a callout's kind
    questions: tuple[str, ...]  # a questions block's: the names of its fields in the form


@dataclass(frozen=True)
class Step:
    module: str  # the module's title
    id: str
    number: int
    total: int
    title: str
    heavy: bool
    blocks: tuple[Block, ...]
    form: type[forms.Form]


def _questions(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _questions(item.get("items", []))


def _field(question: dict[str, Any]) -> forms.CharField:
    limit = question.get("max_length", MAX_LENGTH)
    hint = f"{question['hint']} " if question.get("hint") else ""
    return forms.CharField(
        label=question["text"],
        required=False,
        max_length=limit,
        help_text=f"{hint}Optional. At most {limit:,} characters.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


@cache
def steps(module_id: str) -> dict[str, Step]:
    """The module's steps in the content's default language, by id; {} if there is none."""
    folder = settings.CONTENT_DIR / settings.LANGUAGE_CODE / module_id
    if not (folder / "module.yaml").is_file():
        return {}
    module = yaml.safe_load((folder / "module.yaml").read_text())
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "module.yaml")
    found = {}
    for number, path in enumerate(files, start=1):
        data = yaml.safe_load(path.read_text())
        blocks, fields = [], {}
        for block in data["blocks"]:
            asked = list(_questions(block["items"])) if block["type"] == "questions" else []
            fields.update((q["id"], _field(q)) for q in asked)
            text = block.get("text") or block.get("intro") or ""
            blocks.append(
                Block(
                    block["type"],
                    block.get("title", ""),
                    mark_safe(MARKDOWN.render(text)),  # noqa: S308 (no raw HTML)
                    block.get("kind", ""),
                    tuple(q["id"] for q in asked),
                )
            )
        form = type("StepForm", (forms.Form,), fields)
        found[data["id"]] = Step(
            module["title"],
            data["id"],
            number,
            len(files),
            data["title"],
            data.get("heavy", False),
            tuple(blocks),
            form,
        )
    return found
