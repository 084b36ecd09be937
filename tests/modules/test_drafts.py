"""Drafts and the modules together: content/modules.yaml sets the order and each module's
status; a draft is shown (marked) where BAKEN_SHOW_DRAFTS is on, and is nowhere to be found
where it is off, as in production."""

from __future__ import annotations

import html as htmllib
import re
import secrets
import subprocess

import pytest
from django.conf import settings
from django.test import override_settings

from modules.content import ContentError, load_library
from tests.helpers.files import edit
from tests.helpers.forms import the_form
from tests.helpers.live import BIN, migrate, server_env
from tests.helpers.walk import fill, walk

LANGS = [code for code, _ in settings.LANGUAGES]
DRAFT_MARK = "Concept — nog niet beoordeeld"


@pytest.fixture
def plan():
    from modules.content import get_library

    return get_library().module("plan", "nl")


def problems(root) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_library(root, LANGS, "nl")
    return [str(p) for p in caught.value.problems]


# --- where drafts are shown (development, tests) --------------------------------------------


def test_the_home_page_lists_the_modules_in_the_editors_order_with_their_length(client, plan):
    page = client.get("/").content.decode()
    titles = re.findall(r'<h3><a href="/m/([a-z-]+)/">', page)
    assert titles == ["reality", "plan"]
    assert f"Stappen: {len(plan.steps)}" in page
    assert page.count(DRAFT_MARK) == 1  # on the plan's card only


def test_the_order_follows_the_list_not_the_folder_names(copy):
    edit(
        copy / "modules.yaml",
        "  - id: reality\n    status: published\n  - id: plan\n    status: draft\n",
        "  - id: plan\n    status: draft\n  - id: reality\n    status: published\n",
    )
    library = load_library(copy, LANGS, "nl")
    assert [m.id for m in library.all("nl")] == ["plan", "reality"]
    assert [m.id for m in library.all("nl", drafts=False)] == ["reality"]


def test_every_page_of_a_draft_carries_the_mark(client, plan):
    for url in ["/m/plan/", *(f"/m/plan/{s.id}/" for s in plan.steps), "/m/plan/summary/"]:
        page = client.get(url).content.decode()
        assert DRAFT_MARK in page, url
    assert DRAFT_MARK not in client.get("/m/reality/").content.decode()
    assert "Draft — not yet reviewed" in client.get("/en/m/plan/").content.decode()


def test_the_home_page_shows_the_visitors_progress_in_each_module(client, module, plan):
    walk(client, plan, tag="p", steps=range(1, 4))
    walk_reality = [s.id for s in module.steps[:2]]
    for step_id in walk_reality:
        url = f"/m/reality/{step_id}/"
        data, _ = fill(the_form(client.get(url).content.decode()), step_id, "r")
        assert client.post(url, data).status_code == 303
    page = htmllib.unescape(client.get("/").content.decode())
    assert f"2 van de {len(module.steps)} stappen gedaan" in page
    assert f"3 van de {len(plan.steps)} stappen gedaan" in page


def test_the_end_of_the_reality_module_suggests_the_plan(client):
    page = client.get("/m/reality/summary/").content.decode()
    assert 'id="next-module"' in page
    assert '<a href="/m/plan/">Mijn plan om te stoppen</a>' in page
    assert 'id="next-module"' not in client.get("/m/plan/summary/").content.decode()


def test_one_journal_holds_both_modules_and_the_export_has_both_in_order(client, module, plan):
    walk(client, plan, tag="p", steps=range(1, 3))
    url = f"/m/reality/{module.steps[1].id}/"
    data, written = fill(the_form(client.get(url).content.decode()), module.steps[1].id, "r")
    assert client.post(url, data).status_code == 303  # the same journal: no new phrase
    exported = htmllib.unescape(client.get("/journal/export/answers.html").content.decode())
    assert exported.index(module.title) < exported.index(plan.title)
    assert "p-why-matters-antwoord" in exported
    text = client.get("/journal/export/answers.txt").content.decode()
    assert f"== {module.title} ==" in text and f"== {plan.title} ==" in text


def test_deleting_the_journal_removes_the_answers_of_both_modules(client, module, plan):
    from journal.models import Entry, Journal

    walk(client, plan, tag="p", steps=range(1, 3))
    url = f"/m/reality/{module.steps[1].id}/"
    data, written = fill(the_form(client.get(url).content.decode()), module.steps[1].id, "r")
    client.post(url, data)
    assert Journal.objects.count() == 1
    assert Entry.objects.count() > 0
    form = the_form(client.get("/journal/delete/").content.decode())
    assert client.post("/journal/delete/", form.fields).status_code in (200, 303)
    assert Journal.objects.count() == 0 and Entry.objects.count() == 0
    assert "p-why-matters-antwoord" not in client.get("/m/plan/why/").content.decode()
    reality = client.get(f"/m/reality/{module.steps[1].id}/").content.decode()
    assert not any(text in reality for text in written.values() if text.startswith("r-"))


# --- where drafts are hidden (production) -----------------------------------------------------


@override_settings(BAKEN_SHOW_DRAFTS=False)
def test_with_drafts_hidden_a_draft_is_not_listed_and_its_addresses_give_404(client, plan):
    home = client.get("/").content.decode()
    assert "/m/plan/" not in home and plan.title not in home
    assert "/m/reality/" in home
    urls = ["/m/plan/", "/m/plan/summary/", *(f"/m/plan/{s.id}/" for s in plan.steps)]
    for url in urls + ["/en" + u for u in urls]:
        assert client.get(url).status_code == 404, url
    # A post to a hidden step saves nothing.
    response = client.post("/m/plan/why/", {"why-matters": "iets"})
    assert response.status_code in (403, 404)
    # Nothing points at it: the reality module's end suggests nothing.
    assert 'id="next-module"' not in client.get("/m/reality/summary/").content.decode()


@override_settings(BAKEN_SHOW_DRAFTS=False)
def test_answers_given_to_a_module_later_hidden_stay_in_the_export(client, plan):
    with override_settings(BAKEN_SHOW_DRAFTS=True):
        walk(client, plan, tag="p", steps=range(1, 2))
    assert client.get("/m/plan/why/").status_code == 404
    exported = htmllib.unescape(client.get("/journal/export/answers.html").content.decode())
    assert "p-why-matters-antwoord" in exported


def production_settings(tmp_path, script: str) -> str:
    """Run `script` under baken.settings.prod (with its own fresh database)."""
    env = server_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="baken.settings.prod",
        BAKEN_SECRET_KEY=secrets.token_urlsafe(48),
        BAKEN_LOOKUP_PEPPER=secrets.token_urlsafe(48),
        BAKEN_KEY_PEPPER=secrets.token_urlsafe(48),
        BAKEN_ALLOWED_HOSTS="testserver",
    )
    migrate(env)
    result = subprocess.run(
        [BIN / "python", "-c", "import django; django.setup()\n" + script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_the_production_settings_hide_the_draft_plan_module(tmp_path, plan):
    steps = " ".join(f"/m/plan/{s.id}/" for s in plan.steps)
    out = production_settings(
        tmp_path,
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "print('drafts', settings.BAKEN_SHOW_DRAFTS)\n"
        "home = c.get('/', secure=True)\n"
        "print('home', home.status_code, '/m/plan/' in home.content.decode())\n"
        f"for url in '/m/plan/ /m/plan/summary/ /en/m/plan/ {steps}'.split():\n"
        "    print(url, c.get(url, secure=True).status_code)\n"
        "print('reality', c.get('/m/reality/', secure=True).status_code)\n"
        "print('asking', c.get('/help/asking/', secure=True).status_code)\n",
    )
    lines = out.splitlines()
    assert lines[0] == "drafts False"
    assert lines[1] == "home 200 False"
    assert all(line.endswith(" 404") for line in lines[2:-2]), out
    assert len(lines[2:-2]) == 3 + len(plan.steps)
    assert lines[-2:] == ["reality 200", "asking 404"]


def test_the_development_settings_show_drafts(tmp_path):
    env = server_env(tmp_path)
    result = subprocess.run(
        [
            BIN / "python",
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.BAKEN_SHOW_DRAFTS)",
        ],
        env={**env, "BAKEN_SECRETS_DIR": str(tmp_path / "secrets")},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "True"


# --- the list itself is checked ---------------------------------------------------------------


def test_a_module_folder_missing_from_the_list_is_reported(copy):
    edit(copy / "modules.yaml", "  - id: plan\n    status: draft\n", "")
    assert problems(copy) == [
        "content/en/plan:1: module 'plan' is not listed in content/modules.yaml"
    ]


def test_a_listed_module_without_a_folder_and_a_bad_status_are_reported(copy):
    edit(copy / "modules.yaml", "status: draft", "status: ready")
    found = problems(copy)
    assert any("modules.yaml" in p and "'status'" in p for p in found), found
    edit(copy / "modules.yaml", "status: ready", "status: draft\n  - id: walk\n    status: draft")
    assert problems(copy) == ["content/modules.yaml:1: module 'walk' has no folder in any language"]


def test_a_missing_list_is_reported(copy):
    (copy / "modules.yaml").unlink()
    assert problems(copy) == [
        "content/modules.yaml:1: this file is missing: it lists the modules, in order, each "
        "with its status (draft or published)"
    ]


def test_a_published_module_may_not_link_to_a_draft_or_to_no_module(copy):
    reflection = copy / "nl/reality/14-reflection.yaml"
    edit(
        reflection,
        "Neem dan contact op met de hulplijn.",
        "Neem dan contact op met de hulplijn. Lees ook [mijn plan](/en/m/plan/why/).",
    )
    lines = reflection.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "kind: contact" in text) - 1
    assert problems(copy) == [
        f"content/nl/reality/14-reflection.yaml:{line}: a published module links to /m/plan/, "
        "a draft: on the public site that link gives 404"
    ]
    edit(copy / "modules.yaml", "status: draft", "status: published")
    assert load_library(copy, LANGS, "nl").module("plan", "nl").status == "published"
    edit(reflection, "(/en/m/plan/why/)", "(/m/plannen/)")
    assert problems(copy) == [
        f"content/nl/reality/14-reflection.yaml:{line}: the link to /m/plannen/ leads nowhere: "
        "there is no module 'plannen'"
    ]


def test_resuming_goes_to_the_first_module_in_order_with_a_step_to_do(client, module, plan):
    from tests.conftest import BrowserClient

    walk(client, plan, tag="p")  # the whole plan: done
    for step in module.steps[:2]:  # the reality module: two steps, in the same journal
        url = f"/m/reality/{step.id}/"
        data, _ = fill(the_form(client.get(url).content.decode()), step.id, "r")
        assert client.post(url, data).status_code == 303
    other = BrowserClient()
    form = the_form(other.get("/journal/continue/").content.decode())
    response = other.post("/journal/continue/", dict(form.fields, phrase=client.phrase))
    assert other.get(response["Location"])["Location"] == (
        f"/m/reality/{module.steps[2].id}/?welcome=1"
    )
    for step in module.steps[2:]:
        url = f"/m/reality/{step.id}/"
        data, _ = fill(the_form(client.get(url).content.decode()), step.id, "r")
        assert client.post(url, data).status_code == 303
    # Both done: the first module's answers.
    assert other.get(response["Location"])["Location"] == "/m/reality/summary/?welcome=1"
