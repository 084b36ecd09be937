"""docs/translating.md, done for real: a third language is added to a copy of the project
from files alone, with the commands the guide gives, and the site serves it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
VENV = Path(sys.executable).parent.parent
SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "var",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "screenshots",
)

SERVE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
client = Client()
pages = {}
for path in ("/de/", "/de/m/reality/goals/", "/de/facts/", "/m/reality/goals/"):
    response = client.get(path)
    pages[path] = [response.status_code, response.content.decode()]
print(json.dumps(pages))
"""


def make(copy: Path, *target: str) -> subprocess.CompletedProcess[str]:
    """Run one of the guide's make commands in the copy, with this test run's environment."""
    return subprocess.run(
        ["make", f"VENV={VENV}", *target],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(copy)},
    )


def catalog_tests(copy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            VENV / "bin" / "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "tests/baken/test_catalogs.py",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "baken.settings.test"},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "baken"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    return copy


def test_a_third_language_is_added_from_files_alone(project):
    # 1. Copy the content of a language to translate from.
    shutil.copytree(project / "content/en", project / "content/de")
    # 2. Translate (a stub: two titles, enough to see the German content is served).
    module = project / "content/de/reality/module.yaml"
    text = module.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    module.write_text(
        text.replace(title, "title: Die Wirklichkeit hinter den Bildern"), encoding="utf-8"
    )
    goals = project / "content/de/reality/01-goals.yaml"
    text = goals.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    goals.write_text(text.replace(title, "title: Worum es in diesem Modul geht"), encoding="utf-8")
    # 3. Add the code to the list.
    with (project / "content/languages.yaml").open("a", encoding="utf-8") as languages:
        languages.write("- code: de\n  name: Deutsch\n")
    # 4. Create the catalog.
    made = make(project, "messages")
    assert made.returncode == 0, made.stderr
    assert "de (Deutsch): " in made.stdout and "to translate" in made.stdout
    po = project / "locale/de/LC_MESSAGES/django.po"
    assert po.exists()
    # An untranslated catalog fails the suite.
    failing = catalog_tests(project)
    assert (
        failing.returncode == 1
        and "test_the_catalog_is_complete_and_matches_the_code[de]" in failing.stdout
    ), failing.stdout
    # Translate every entry (a stub translation, marked so the test can find it).
    with po.open("rb") as source:
        catalog = read_po(source)
    for message in catalog:
        if message.id:
            message.string = (
                "Zum Inhalt springen"
                if message.id == "Skip to the content"
                else f"[de] {message.id}"
            )
    with po.open("wb") as target:
        write_po(target, catalog, width=96)
    # 5. Run the checks.
    checked = make(project, "checkcontent")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "de/reality: 14 steps, 82 ids, published — ok" in checked.stdout
    assert "de/factsheet: 12 figures in 5 charts — ok" in checked.stdout
    passing = catalog_tests(project)
    assert passing.returncode == 0, passing.stdout
    compiled = make(project, "locale/de/LC_MESSAGES/django.mo")
    assert compiled.returncode == 0, compiled.stderr

    # 6. The site serves the new language, and offers it on every page.
    served = subprocess.run(
        [VENV / "bin" / "python", "-c", SERVE],
        cwd=project,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "baken.settings.test",
            "DATABASE_URL": f"sqlite:///{project / 'served.sqlite3'}",
        },
    )
    assert served.returncode == 0, served.stderr
    pages = json.loads(served.stdout)
    status, home = pages["/de/"]
    assert status == 200 and '<html lang="de">' in home and "Zum Inhalt springen" in home
    assert "Die Wirklichkeit hinter den Bildern" in home
    status, step = pages["/de/m/reality/goals/"]
    assert status == 200 and "Worum es in diesem Modul geht" in step
    assert '<a href="/m/reality/goals/" hreflang="nl" lang="nl">Nederlands</a>' in step
    assert '<a href="/en/m/reality/goals/" hreflang="en" lang="en">English</a>' in step
    assert pages["/de/facts/"][0] == 200
    assert (
        '<a href="/de/m/reality/goals/" hreflang="de" lang="de">Deutsch</a>'
        in pages["/m/reality/goals/"][1]
    )


def test_a_language_missing_from_the_list_is_named_with_its_folder(project):
    shutil.copytree(project / "content/en", project / "content/de")
    checked = make(project, "checkcontent")
    assert checked.returncode != 0
    assert "content/de:1: 'de' is not listed in content/languages.yaml (nl, en)" in checked.stderr
