"""Every interface string is in the Dutch catalog and translated: no English slips onto a page."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_the_dutch_catalog_is_complete_and_matches_the_code(tmp_path):
    pot = tmp_path / "django.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "extract", "--no-location", "-F", "babel.cfg",
         "-k", "gettext_lazy", "-k", "pgettext:1c,2", "-k", "pgettext_lazy:1c,2",
         "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as source:
        extracted = {m.id for m in read_po(source) if m.id}
    with (ROOT / "locale/nl/LC_MESSAGES/django.po").open("rb") as source:
        catalog = read_po(source)
    in_catalog = {m.id for m in catalog if m.id}
    assert len(extracted) > 150
    assert sorted(map(str, extracted - in_catalog)) == [], "run `make messages` and translate"
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
