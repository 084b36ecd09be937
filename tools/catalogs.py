"""Bring every language's interface catalog in line with the code (run by `make messages`).

For each language in content/languages.yaml: create locale/<code>/LC_MESSAGES/django.po from
locale/django.pot if it does not exist yet, otherwise update it (new strings arrive empty,
strings gone from the code are dropped). The interface strings are written in English, so
the English catalog's empty entries are filled with the English text itself; every other
language's new entries stay empty until a translator fills them (the tests fail until then).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.languages import read_languages  # noqa: E402

SOURCE_LANGUAGE = "en"
PYBABEL = Path(sys.executable).parent / "pybabel"


def main() -> None:
    pot = ROOT / "locale" / "django.pot"
    for code, name in read_languages(ROOT / "content" / "languages.yaml"):
        po = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
        command = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        arguments = [
            PYBABEL,
            command,
            "-i",
            pot,
            "-d",
            ROOT / "locale",
            "-D",
            "django",
            "-l",
            code.replace("-", "_"),
            "-w",
            "96",
            *extra,
        ]
        subprocess.run(arguments, check=True)  # noqa: S603 (our own tool, fixed arguments)
        if code == SOURCE_LANGUAGE:
            fill_from_source(po)
        with po.open("rb") as source:
            catalog = read_po(source)
        empty = sum(1 for m in catalog if m.id and not m.string)
        print(f"{code} ({name}): {len([m for m in catalog if m.id])} strings, {empty} to translate")


def fill_from_source(po: Path) -> None:
    """Give every empty entry of the source language's catalog its own text."""
    with po.open("rb") as source:
        catalog = read_po(source)
    for message in catalog:
        if message.id and not message.string:
            message.string = message.id
    with po.open("wb") as target:
        write_po(target, catalog, width=96, omit_header=False)


if __name__ == "__main__":
    main()
