"""Editing private copies of the content in tests."""

from pathlib import Path


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` with `new` in a file; fail if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
