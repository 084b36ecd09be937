"""Reads a module folder into frozen objects and reports every problem as `file:line: message`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from core.content import ContentError, Loc, Located, Problem, read_yaml, shown, validate
from core.content.markdown import Md

from .blocks import BLOCK_TYPES, Block
from .schema import Module, ModuleMeta, Step

ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# A Markdown link to a module of this site: (/en)/m/<module id>/…
MODULE_LINK = re.compile(r"\]\(\s*(?:/[a-z]{2,3}(?:-[a-z]+)?)?/m/([a-z0-9-]+)[/)#?]")
Link = tuple[str, str, int]  # the module linked to, and the file and line of the link


def _markdown_in(value: object) -> Iterator[Md]:
    """Every Markdown text in a content object, however deep."""
    if isinstance(value, Md):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _markdown_in(getattr(value, name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _markdown_in(item)


def links_of(step: Step) -> Iterator[tuple[str, int]]:
    """The modules a step's text links to, with the index of the block that links."""
    for b, block in enumerate(step.blocks):
        for text in _markdown_in(block):
            for match in MODULE_LINK.finditer(text.source):
                yield match.group(1), b


def ids_of(step: Step) -> Iterator[tuple[str, Loc]]:
    """Every id in a step that an answer may be keyed by, with where it stands in the file."""
    for b, block in enumerate(step.blocks):
        yield from block.ids(("blocks", b))


def load_module(
    folder: Path, language: str, display_root: Path
) -> tuple[Module, dict[str, tuple[str, int]], list[Link]]:
    """Load one module folder; returns the module, where each of its ids stands, and its links
    to modules (which the library checks against their status)."""
    problems: list[Problem] = []

    def read(path: Path) -> Located | None:
        try:
            return read_yaml(path, shown(path, display_root))
        except ContentError as error:
            problems.extend(error.problems)
            return None

    meta_path = folder / "module.yaml"
    meta = None
    if not meta_path.exists():
        problems.append(
            Problem(shown(folder, display_root), 1, "a module folder needs a module.yaml file")
        )
    elif (located := read(meta_path)) is not None:
        try:
            meta = validate(ModuleMeta, located, shown(meta_path, display_root))
        except ContentError as error:
            problems.extend(error.problems)

    steps: list[Step] = []
    where: dict[str, tuple[str, int]] = {}
    links: list[Link] = []
    step_files = sorted(p for p in folder.glob("*.yaml") if p.name != "module.yaml")
    if not step_files:
        problems.append(
            Problem(shown(folder, display_root), 1, "a module needs at least one step file")
        )
    sources: dict[str, tuple[Located, str]] = {}
    for path in step_files:
        located = read(path)
        if located is None:
            continue
        display = shown(path, display_root)
        try:
            step = validate(Step, located, display, tags=BLOCK_TYPES)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if step.id == "summary":
            problems.append(
                Problem(
                    display,
                    located.line(("id",)),
                    "'summary' is the name of the answers page; choose another id",
                )
            )
        if step.id in sources:
            first = sources[step.id][1]
            problems.append(
                Problem(
                    display,
                    located.line(("id",)),
                    f"step id '{step.id}' is already used in {first}",
                )
            )
        sources[step.id] = (located, display)
        steps.append(step)
        links.extend((target, display, located.line(("blocks", b))) for target, b in links_of(step))
        for answer_id, loc in ids_of(step):
            line = located.line(loc)
            if answer_id in where:
                other = "{}:{}".format(*where[answer_id])
                message = f"id '{answer_id}' is already used at {other}"
                problems.append(Problem(display, line, message))
            else:
                where[answer_id] = (display, line)

    problems.extend(_check_references(steps, sources))
    if not ID_PATTERN.fullmatch(folder.name):
        problems.append(
            Problem(
                shown(folder, display_root),
                1,
                "a module folder's name is its "
                "id: use lowercase letters, digits and single hyphens (like "
                "'daily-walk')",
            )
        )
    if problems or meta is None:
        raise ContentError(problems)
    module = Module(
        id=folder.name,
        language=language,
        title=meta.title,
        summary=meta.summary,  # type: ignore[arg-type]  # Markdown: rendered to Md on load
        duration=meta.duration,
        steps=tuple(steps),
    )
    return module, where, links


def _check_references(steps: list[Step], sources: dict[str, tuple[Located, str]]) -> list[Problem]:
    """Each block's references point at blocks earlier in the module (ratings pair up,
    comparisons and rehearsals find their sources)."""
    problems: list[Problem] = []
    seen: dict[str, Block] = {}
    for step in steps:
        located, display = sources[step.id]
        for b, block in enumerate(step.blocks):
            for field, message in block.check(seen):
                where = field if isinstance(field, tuple) else (field,)
                line = located.line(("blocks", b, *where))
                problems.append(Problem(display, line, message))
            if block.block_id:
                seen[block.block_id] = block
    return problems
