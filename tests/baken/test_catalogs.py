"""Every interface string is in every language's catalog and translated: no stray language on
a page, and no catalog that has fallen behind the code."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGS = [code for code, _ in settings.LANGUAGES]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """The strings the code and templates ask to translate, extracted as `make messages` does."""
    pot = tmp_path_factory.mktemp("pot") / "django.pot"
    subprocess.run(
        [
            Path(sys.executable).parent / "pybabel",
            "extract",
            "--no-location",
            "-F",
            "babel.cfg",
            "-k",
            "gettext_lazy",
            "-k",
            "pgettext:1c,2",
            "-k",
            "pgettext_lazy:1c,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as source:
        return {m.id for m in read_po(source) if m.id}


@pytest.mark.parametrize("language", LANGS)
def test_the_catalog_is_complete_and_matches_the_code(extracted, language):
    with (ROOT / f"locale/{language}/LC_MESSAGES/django.po").open("rb") as source:
        catalog = read_po(source)
    in_catalog = {m.id for m in catalog if m.id}
    assert len(extracted) > 150
    assert sorted(map(str, extracted - in_catalog)) == [], "run `make messages` and translate"
    assert sorted(map(str, in_catalog - extracted)) == [], "run `make messages`: strings gone"
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_there_is_a_catalog_for_each_listed_language_and_no_other():
    catalogs = sorted(p.parent.parent.name for p in ROOT.glob("locale/*/LC_MESSAGES/django.po"))
    assert catalogs == sorted(LANGS)


def test_the_placeholders_of_every_translation_match_the_english():
    import re

    placeholder = re.compile(r"%\(\w+\)s|%s|%d")
    for language in LANGS:
        with (ROOT / f"locale/{language}/LC_MESSAGES/django.po").open("rb") as source:
            for message in read_po(source):
                if message.id:
                    assert sorted(placeholder.findall(message.id)) == sorted(
                        placeholder.findall(message.string)
                    ), (language, message.id)
