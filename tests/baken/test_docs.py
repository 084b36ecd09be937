"""Docs that cannot drift: every setting read from the environment is documented."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_environment_variable_is_documented():
    code = "".join(p.read_text() for p in (ROOT / "baken").rglob("*.py"))
    used = set(re.findall(r"""(?:env|environ\.get|getenv)\(\s*["']([A-Z_]+)["']""", code))
    documented = set(re.findall(r"`([A-Z_]+)`", (ROOT / "docs/configuration.md").read_text()))
    assert used, "no environment variables found: the pattern is broken"
    assert sorted(used - documented) == []


def test_the_readme_names_the_two_commands_and_every_doc_is_linked():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    index = (ROOT / "docs/README.md").read_text()
    for doc in (ROOT / "docs").glob("*.md"):
        if doc.name != "README.md":
            assert f"({doc.name})" in index, doc.name


def test_the_translation_guide_lists_exactly_the_configured_languages():
    guide = (ROOT / "docs/translating.md").read_text()
    table = re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \|", guide, flags=re.MULTILINE)
    assert [(code, name.strip()) for code, name in table] == list(settings.LANGUAGES)
