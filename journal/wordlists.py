"""The recovery-phrase word lists, shipped as data in journal/wordlists/<language>.txt."""

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "wordlists"
PHRASE_WORDS = 7


@cache
def words(language: str) -> tuple[str, ...]:
    """The word list of a language (the default language's if it has none)."""
    path = FOLDER / f"{language}.txt"
    if not path.exists():
        from django.conf import settings

        path = FOLDER / f"{settings.LANGUAGE_CODE}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def known_words() -> frozenset[str]:
    """Every word of every list: a phrase may be typed in on a site set to another language."""
    return frozenset(w for path in FOLDER.glob("*.txt") for w in words(path.stem))
