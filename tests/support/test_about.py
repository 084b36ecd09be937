"""The about and privacy page: who runs the site (from configuration) and what is stored."""

import html as htmllib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from core.content import ContentError
from support import helpline
from support.helpline import load_helpline

ROOT = Path(settings.BASE_DIR)
EXAMPLE = ROOT / "config" / "helpline.example.yaml"

CONFIGURED = """\
name: "Test line"
phone: "TEST-LINE"
languages: [nl, en]
timezone: Europe/Amsterdam
about:
  organisation: "Testorganisatie Noord"
  description:
    nl: "Een beschrijving in het Nederlands."
    en: "A description in English."
  address: "Teststraat 1, Testdorp"
  email: "vragen@example.org"
  website: "https://organisatie.example.org/"
"""


def text(response) -> str:
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


def main_of(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>")[0]


@pytest.fixture
def helpline_file():
    """Use a helpline file for the test: `helpline_file(path)`."""

    def use(path: Path):
        overridden = override_settings(BAKEN_HELPLINE_FILE=path)
        overridden.enable()
        helpline.get_helpline.cache_clear()
        used.append(overridden)
        return helpline.get_helpline()

    used: list = []
    yield use
    for overridden in used:
        overridden.disable()
    helpline.get_helpline.cache_clear()


def test_the_about_page_is_linked_from_every_page_in_its_language(client, module):
    urls = ["/", "/m/reality/", "/facts/", "/break/", "/safety/", "/help/", "/urge/", "/about/"]
    urls += ["/journal/continue/", "/bestaat-niet/", "/messages/"]
    urls += [f"/m/reality/{step.id}/" for step in module.steps]
    for url in urls:
        footer = htmllib.unescape(client.get(url).content.decode()).split("<footer")[1]
        assert '<a href="/about/">Over deze site en privacy</a>' in footer, url
    english = text(client.get("/en/safety/")).split("<footer")[1]
    assert '<a href="/en/about/">About this site and privacy</a>' in english
    assert "<h1>About this site and privacy</h1>" in text(client.get("/en/about/"))


def test_without_configuration_a_marked_placeholder_and_nothing_invented(client, tmp_path):
    with override_settings(BAKEN_HELPLINE_FILE=tmp_path / "missing.yaml"):
        helpline.get_helpline.cache_clear()
        main = main_of(text(client.get("/about/")))
        english = main_of(text(client.get("/en/about/")))
    helpline.get_helpline.cache_clear()
    assert "<h1>Over deze site en privacy</h1>" in main
    assert '<span class="status todo">voorlopige tekst</span>' in main
    assert "heeft haar gegevens hier nog niet ingevuld" in main
    assert "mailto:" not in main and "example.org" not in main
    assert '<span class="status todo">placeholder</span>' in english
    assert "has not filled in its details here yet" in english


def test_the_configured_organisation_is_shown_in_each_language(client, tmp_path, helpline_file):
    path = tmp_path / "helpline.yaml"
    path.write_text(CONFIGURED)
    line = helpline_file(path)
    assert line is not None and line.about is not None and not line.example
    main = main_of(text(client.get("/about/")))
    assert "<strong>Testorganisatie Noord</strong>" in main
    assert "Een beschrijving in het Nederlands." in main
    assert "A description in English." not in main
    assert "Teststraat 1, Testdorp" in main
    assert 'href="mailto:vragen@example.org"' in main
    assert '<a href="https://organisatie.example.org/" rel="noreferrer">' in main
    assert "voorlopige tekst" not in main and "geen echte hulplijn" not in main
    english = main_of(text(client.get("/en/about/")))
    assert "A description in English." in english and "Nederlands" not in english


def test_the_shipped_example_organisation_is_marked_as_an_example(client, helpline_file):
    line = helpline_file(EXAMPLE)
    assert line is not None and line.example and line.about is not None
    main = main_of(text(client.get("/about/")))
    assert line.about.organisation in main
    assert "voorbeeld — geen echte hulplijn" in main
    assert "example — not a real helpline" in main_of(text(client.get("/en/about/")))


def test_what_is_stored_is_said_with_the_configured_periods(client):
    periods = {
        "BAKEN_SESSION_IDLE_SECONDS": 17 * 60,
        "BAKEN_SESSION_MAX_SECONDS": 5 * 3600,
        "BAKEN_JOURNAL_EXPIRY_DAYS": 43,
        "BAKEN_MESSAGE_EXPIRY_DAYS": 31,
    }
    with override_settings(**periods):
        dutch = main_of(text(client.get("/about/")))
        english = main_of(text(client.get("/en/about/")))
    for said in ("na 17 minuten zonder activiteit", "na 5 uur in totaal", "43 dagen", "31 dagen"):
        assert said in dutch, said
    for said in ("after 17 minutes without activity", "after 5 hours in all", "43 days", "31 days"):
        assert said in english, said
    for said in (
        "Je hebt geen account nodig",
        "Er is geen tracking",
        "De server houdt niet bij welke pagina's je bezoekt.",
        "versleuteld is met je herstelzin",
        "zodat de server het niet kan lezen",
        "Ze kunnen je dagboek en je antwoorden niet zien",
        "in de browsergeschiedenis",
    ):
        assert said in dutch, said
    assert 'href="/safety/"' in dutch


def test_the_about_section_is_checked_like_the_rest_of_the_file(tmp_path):
    path = tmp_path / "helpline.yaml"
    path.write_text(CONFIGURED.replace("https://organisatie", "http://organisatie"))
    with pytest.raises(ContentError, match="https://"):
        load_helpline(path)
    path.write_text(CONFIGURED + "  phone_of_director: '0'\n")
    with pytest.raises(ContentError, match="phone_of_director"):
        load_helpline(path)
    path.write_text(CONFIGURED.replace("    en: ", "    xx-nonsense: "))
    with pytest.raises(ContentError, match="language code"):
        load_helpline(path)


# --- which file the settings read ------------------------------------------------------------


def helpline_file_of(settings_module: str, tmp_path: Path, **extra: str) -> str:
    """BAKEN_HELPLINE_FILE as a fresh process with these settings has it."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "BAKEN_VAR_DIR": str(tmp_path / "var"),
        "BAKEN_SECRETS_DIR": str(tmp_path / "secrets"),
        "BAKEN_SECRET_KEY": secrets.token_urlsafe(50),
        "BAKEN_LOOKUP_PEPPER": secrets.token_urlsafe(50),
        "BAKEN_KEY_PEPPER": secrets.token_urlsafe(50),
        **extra,
    }
    code = "from django.conf import settings; print(settings.BAKEN_HELPLINE_FILE)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_run_shows_the_example_and_production_never_does(tmp_path):
    if (ROOT / "config" / "helpline.yaml").exists():
        pytest.skip("this checkout has a helpline file of its own")
    assert helpline_file_of("baken.settings.dev", tmp_path) == str(EXAMPLE)
    own = tmp_path / "own.yaml"
    assert helpline_file_of("baken.settings.dev", tmp_path, BAKEN_HELPLINE_FILE=str(own)) == str(
        own
    )
    assert helpline_file_of("baken.settings.prod", tmp_path) == str(
        ROOT / "config" / "helpline.yaml"
    )
