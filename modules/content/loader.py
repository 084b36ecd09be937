"""Reads content files into frozen objects and reports every problem as `file:line: message`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from .schema import (
    BLOCK_TYPES,
    Compare,
    Module,
    ModuleMeta,
    PairTable,
    Question,
    Questions,
    Rating,
    Rehearse,
    Step,
    Threshold,
)

Loc = tuple[str | int, ...]
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a content file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Content failed to load; holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Located:
    """A parsed YAML document with the line of every value, keyed by its path."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The line of the deepest value the path reaches (pydantic's union tags are skipped)."""
        node, path, best = self.data, (), self.lines.get((), 1)
        for part in loc:
            if isinstance(node, dict) and part in node:
                node, path = node[part], (*path, part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node, path = node[part], (*path, part)
            else:
                continue
            best = self.lines.get(path, best)
        return best


def parse_yaml(text: str, display: str) -> Located:
    """Parse YAML, keeping lines. Plain scalars stay text, so 'no' or 'ja' is never a boolean."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        raise ContentError([Problem(display, line, f"not valid YAML: {reason}")]) from None
    located = Located(None)
    problems: list[Problem] = []

    def convert(node: yaml.Node, path: Loc) -> Any:
        located.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in result:
                    problems.append(
                        Problem(display, key_node.start_mark.line + 1, f"'{key}' appears twice")
                    )
                result[key] = convert(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.style is None and node.value in ("", "~", "null"):
            return None
        return node.value

    located.data = convert(node, ()) if node is not None else None
    if problems:
        raise ContentError(problems)
    return located


def _message(error: dict[str, Any]) -> str:
    kind, loc = error["type"], error["loc"]
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    if kind == "missing":
        return f"missing field '{name}'"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'"
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "?")
        return f"unknown block type '{tag}' (known types: {', '.join(BLOCK_TYPES)})"
    if kind == "union_tag_not_found":
        return "a block needs a 'type' (" + ", ".join(BLOCK_TYPES) + ")"
    if kind == "string_pattern_mismatch":
        return f"'{name}' must use lowercase letters, digits and single hyphens (like 'part-1')"
    if kind == "value_error":
        return f"'{name}': {error['msg'].removeprefix('Value error, ')}"
    return f"'{name}': {error['msg']}"


def validate(model: type, located: Located, display: str, **extra: Any) -> Any:
    """Validate parsed YAML against a model, turning pydantic errors into located problems."""
    data = located.data
    if not isinstance(data, dict):
        raise ContentError([Problem(display, 1, "the file must be a set of 'field: value' lines")])
    try:
        return model.model_validate({**data, **extra})
    except ValidationError as error:
        raise ContentError(
            [Problem(display, located.line(e["loc"]), _message(e)) for e in error.errors()]
        ) from None


T = TypeVar("T")


def missing_across_languages(
        ids: Mapping[str, Mapping[str, T]]) -> Iterator[tuple[str, str, T, str]]:
    """Each id one language has and another lacks: (language, id, where it is, other language)."""
    for language, mine in ids.items():
        for other, theirs in ids.items():
            for missing in sorted(mine.keys() - theirs.keys()):
                yield language, missing, mine[missing], other


def walk_questions(questions: tuple[Question, ...]) -> Iterator[Question]:
    """Every question, sub-questions included, in reading order."""
    for question in questions:
        yield question
        yield from walk_questions(question.items)


def ids_of(step: Step) -> Iterator[tuple[str, Loc]]:
    """Every id in a step that an answer may be keyed by, with where it stands in the file."""
    for b, block in enumerate(step.blocks):
        here: Loc = ("blocks", b)
        block_id = getattr(block, "id", None)
        if block_id:
            yield block_id, here
        if isinstance(block, Rating):
            for i, item in enumerate(block.items):
                yield f"{block.id}.{item.id}", (*here, "items", i)
        elif isinstance(block, PairTable):
            for i, row in enumerate(block.rows):
                yield f"{block.id}.{row.id}", (*here, "rows", i)
        elif isinstance(block, Threshold):
            for i, item in enumerate(block.steps):
                yield f"{block.id}.{item.id}", (*here, "steps", i)
            yield block.explain.id, (*here, "explain")
        elif isinstance(block, Questions):
            yield from _question_ids(block.items, (*here, "items"))


def _question_ids(questions: tuple[Question, ...], loc: Loc) -> Iterator[tuple[str, Loc]]:
    for i, question in enumerate(questions):
        yield question.id, (*loc, i)
        yield from _question_ids(question.items, (*loc, i, "items"))


def load_module(folder: Path, language: str, display_root: Path) -> tuple[Module, dict]:
    """Load one module folder; returns the module and where each of its ids stands."""
    problems: list[Problem] = []

    def shown(path: Path) -> str:
        try:
            return str(path.relative_to(display_root))
        except ValueError:
            return str(path)

    def read(path: Path) -> Located | None:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            line = path.read_bytes()[: error.start].count(b"\n") + 1
            problems.append(Problem(shown(path), line, "the file is not UTF-8 text"))
            return None
        try:
            return parse_yaml(text, shown(path))
        except ContentError as error:
            problems.extend(error.problems)
            return None

    meta_path = folder / "module.yaml"
    meta = None
    if not meta_path.exists():
        problems.append(Problem(shown(folder), 1, "a module folder needs a module.yaml file"))
    elif (located := read(meta_path)) is not None:
        try:
            meta = validate(ModuleMeta, located, shown(meta_path))
        except ContentError as error:
            problems.extend(error.problems)

    steps: list[Step] = []
    where: dict[str, tuple[str, int]] = {}
    step_files = sorted(p for p in folder.glob("*.yaml") if p.name != "module.yaml")
    if not step_files:
        problems.append(Problem(shown(folder), 1, "a module needs at least one step file"))
    sources: dict[str, tuple[Step, Located, str]] = {}
    for path in step_files:
        located = read(path)
        if located is None:
            continue
        try:
            step = validate(Step, located, shown(path))
        except ContentError as error:
            problems.extend(error.problems)
            continue
        display = shown(path)
        if step.id == "summary":
            problems.append(Problem(display, located.line(("id",)),
                                    "'summary' is the name of the answers page; choose another id"))
        if step.id in sources:
            first = sources[step.id][2]
            problems.append(Problem(display, located.line(("id",)),
                                    f"step id '{step.id}' is already used in {first}"))
        sources[step.id] = (step, located, display)
        steps.append(step)
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
        problems.append(Problem(shown(folder), 1, "a module folder's name is its id: use lowercase "
                                "letters, digits and single hyphens (like 'daily-walk')"))
    if problems or meta is None:
        raise ContentError(problems)
    module = Module(
        id=folder.name,
        language=language,
        title=meta.title,
        summary=meta.summary,
        duration=meta.duration,
        steps=tuple(steps),
    )
    return module, where


def _check_references(steps: list[Step], sources: dict) -> list[Problem]:
    """Ratings pair up, comparisons and rehearsals point at blocks that come before them."""
    problems: list[Problem] = []
    seen: dict[str, Any] = {}
    for step in steps:
        _, located, display = sources[step.id]
        for b, block in enumerate(step.blocks):
            def problem(field_name: str, message: str, b: int = b,
                        located: Located = located, display: str = display) -> None:
                line = located.line(("blocks", b, field_name))
                problems.append(Problem(display, line, message))

            if isinstance(block, Rating) and block.occurrence == "after":
                before = seen.get(block.pairs_with or "")
                if block.pairs_with is None:
                    problem("occurrence",
                            "an 'after' rating needs 'pairs_with: <id of the before rating>'")
                elif not isinstance(before, Rating) or before.occurrence != "before":
                    problem("pairs_with",
                            f"'{block.pairs_with}' is not a 'before' rating earlier in the module")
                elif {i.id for i in before.items} != {i.id for i in block.items}:
                    problem("items", f"the statements' ids must match those of '{before.id}'")
                elif [p.value for p in before.scale] != [p.value for p in block.scale]:
                    problem("scale", f"the scale must match that of '{before.id}'")
            if isinstance(block, Compare):
                for side in ("before", "after"):
                    target = seen.get(getattr(block, side))
                    if not isinstance(target, Rating):
                        name = getattr(block, side)
                        problem(side, f"'{name}' is not a rating earlier in the module")
            if isinstance(block, Rehearse) and not isinstance(seen.get(block.source), PairTable):
                problem("source", f"'{block.source}' is not a pair table earlier in the module")
            block_id = getattr(block, "id", None)
            if block_id:
                seen[block_id] = block
    return problems
