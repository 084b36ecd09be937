"""'What happens when you ask for help': the organisation's own page, shipped as a draft that
lists the questions to answer; never published with a question left open."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from core.content import ContentError
from support.asking import load_asking
from tests.helpers.files import edit

LANGS = [code for code, _ in settings.LANGUAGES]


def problems(root) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_asking(root, LANGS, "nl")
    return [str(p) for p in caught.value.problems]


def test_the_shipped_page_is_a_draft_listing_the_questions_without_answers():
    from support.asking import get_asking

    for language in LANGS:
        page = get_asking().page(language)
        assert page.draft
        assert [s.answer for s in page.sections] == [None] * len(page.sections)
        ids = {s.id for s in page.sections}
        assert {"confidentiality", "law", "treatment", "referrals"} <= ids


def test_the_draft_is_shown_marked_with_its_open_questions(client):
    page = client.get("/help/asking/").content.decode()
    assert "Concept — nog niet beoordeeld" in page
    assert page.count("Te schrijven door de organisatie:") == 7
    english = client.get("/en/help/asking/").content.decode()
    assert "Draft — not yet reviewed" in english and "What happens when you ask for help" in english


@override_settings(BAKEN_SHOW_DRAFTS=False)
def test_where_drafts_are_hidden_the_draft_page_gives_404(client):
    assert client.get("/help/asking/").status_code == 404
    assert client.get("/en/help/asking/").status_code == 404


def test_a_published_page_needs_an_answer_to_every_question(copy):
    edit(copy / "nl/asking-for-help.yaml", "status: draft", "status: published")
    found = problems(copy)
    assert len(found) == 7
    line = next(
        i
        for i, text in enumerate((copy / "nl/asking-for-help.yaml").read_text().splitlines(), 1)
        if "id: law" in text
    )
    assert (
        f"content/nl/asking-for-help.yaml:{line}: section 'law' has no 'answer': a published "
        "page answers every question"
    ) in found


def test_a_published_and_answered_page_is_shown_without_the_mark_or_the_questions(copy, client):
    import re

    path = copy / "nl/asking-for-help.yaml"
    text = path.read_text().replace("status: draft", "status: published")
    text = re.sub(
        r"^(  - id: ([a-z-]+)\n    heading: [^\n]+\n    question: \|\n      [^\n]+\n)",
        r"\1    answer: Antwoord van de organisatie over \2.\n",
        text,
        flags=re.M,
    )
    path.write_text(text)
    from support import asking

    pages = load_asking(copy, LANGS, "nl")
    asking.get_asking.cache_clear()
    try:
        with override_settings(BAKEN_CONTENT_DIR=copy, BAKEN_SHOW_DRAFTS=False):
            page = client.get("/help/asking/").content.decode()
    finally:
        asking.get_asking.cache_clear()
    assert not pages.page("nl").draft
    assert "Antwoord van de organisatie over law." in page
    assert "Concept" not in page and "Te schrijven" not in page


def test_sections_must_match_across_languages(copy):
    edit(copy / "en/asking-for-help.yaml", "id: law", "id: laws")
    found = problems(copy)
    assert "section 'law' is missing in the 'en' version" in " ".join(found)


def test_checkcontent_checks_the_page(copy, capsys):
    call_command("checkcontent", str(copy))
    assert "nl/asking-for-help: 7 sections, draft — ok" in capsys.readouterr().out
    edit(copy / "nl/asking-for-help.yaml", "heading:", "heding:")
    with pytest.raises(Exception, match="problem"):
        call_command("checkcontent", str(copy))
    assert "unknown field 'heding'" in capsys.readouterr().err
