"""The content kit: YAML files read with the line of every value, problems as `file:line`.

Used by the modules, the factsheet and the helpline file alike: one reader, one way to report.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

Loc = tuple[str | int, ...]
T = TypeVar("T")


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
        path: Loc = ()
        node, best = self.data, self.lines.get((), 1)
        for part in loc:
            if isinstance(node, dict) and part in node:
                node, path = node[part], (*path, part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node, path = node[part], (*path, part)
            else:
                continue
            best = self.lines.get(path, best)
        return best


def shown(path: Path, root: Path | None) -> str:
    """A file's name as problems show it: relative to `root` where it lies below it."""
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def read_yaml(path: Path, display: str) -> Located:
    """Read one YAML file; ContentError (with its line) when it is missing, not UTF-8 or not
    YAML."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ContentError([Problem(display, 1, "this is not a file")]) from None
    except OSError:
        raise ContentError([Problem(display, 1, "the file is missing")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError([Problem(display, line, "the file is not UTF-8 text")]) from None
    return parse_yaml(text, display)


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


# How each kind of pydantic error reads for an editor; `union_tag_*` name the known tags,
# which the model that validates knows (its discriminated union), passed in as `tags`.
def _message(error: Any, tags: tuple[str, ...]) -> str:
    kind, loc = error["type"], error["loc"]
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    if kind == "missing":
        return f"missing field '{name}'"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'"
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "?")
        return f"unknown block type '{tag}' (known types: {', '.join(tags)})"
    if kind == "union_tag_not_found":
        return "a block needs a 'type' (" + ", ".join(tags) + ")"
    if kind == "string_pattern_mismatch":
        return f"'{name}' must use lowercase letters, digits and single hyphens (like 'part-1')"
    if kind == "value_error":
        return f"'{name}': {error['msg'].removeprefix('Value error, ')}"
    return f"'{name}': {error['msg']}"


def validate(
    model: type[T], located: Located, display: str, tags: tuple[str, ...] = (), **extra: Any
) -> T:
    """Validate parsed YAML against a model, turning pydantic errors into located problems."""
    data = located.data
    if not isinstance(data, dict):
        raise ContentError([Problem(display, 1, "the file must be a set of 'field: value' lines")])
    try:
        return model.model_validate({**data, **extra})  # type: ignore[attr-defined]
    except ValidationError as error:
        raise ContentError(
            [Problem(display, located.line(e["loc"]), _message(e, tags)) for e in error.errors()]
        ) from None


def missing_across_languages(
    ids: Mapping[str, Mapping[str, T]],
) -> Iterator[tuple[str, str, T, str]]:
    """Each id one language has and another lacks: (language, id, where it is, other language)."""
    for language, mine in ids.items():
        for other, theirs in ids.items():
            for missing in sorted(mine.keys() - theirs.keys()):
                yield language, missing, mine[missing], other
