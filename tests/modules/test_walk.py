"""The whole module, step by step, through real form posts; every answer is on the summary."""

import html as htmllib

from tests.helpers.forms import the_form
from tests.helpers.walk import start_journal, walk


def test_the_whole_module_ends_with_every_answer_on_the_summary(client, module):
    written = walk(client, module)

    summary = client.get(f"/m/{module.id}/summary/")
    assert summary.status_code == 200
    page = htmllib.unescape(summary.content.decode())
    texts = [v for v in written.values() if v.endswith(("-antwoord", "-eigen"))]
    assert len(texts) >= 40
    missing = [t for t in texts if t not in page]
    assert missing == []
    assert "Niet beantwoord" not in page


def test_ratings_and_threshold_choice_appear_on_the_summary_in_words(client, module):
    walk(client, module)
    page = htmllib.unescape(client.get(f"/m/{module.id}/summary/").content.decode())
    start = next(b for s in module.steps for b in s.blocks if getattr(b, "id", "") == "start")
    end = next(b for s in module.steps for b in s.blocks if getattr(b, "id", "") == "end")
    assert f"{start.scale[0].value} – {start.scale[0].label}" in page
    assert f"{end.scale[-1].value} – {end.scale[-1].label}" in page
    line = next(b for s in module.steps for b in s.blocks if b.type == "threshold")
    assert line.steps[-1].text.source in page


def test_the_comparison_shows_the_change_between_before_and_after(client, module):
    walk(client, module)
    page = client.get(f"/m/{module.id}/reflection/").content.decode()
    # The walk rates 1 at the start and 3 at the end: a change of +2 for each statement.
    assert page.count("+2") == 3


def test_every_change_link_leads_to_an_element_on_its_step(client, module):
    from tests.helpers.forms import element_ids

    walk(client, module)
    page = client.get(f"/m/{module.id}/summary/").content.decode()
    import re

    links = re.findall(r'href="(/m/reality/[a-z0-9-]+/)\?from=summary#([^"]+)"', page)
    assert len(links) > 40
    ids_by_step: dict[str, list[str]] = {}
    for path, anchor in links:
        if path not in ids_by_step:
            ids_by_step[path] = element_ids(client.get(path + "?from=summary").content.decode())
        assert anchor in ids_by_step[path], (path, anchor)


def test_changing_an_answer_from_the_summary_returns_to_the_summary(client, module):
    walk(client, module)
    url = f"/m/{module.id}/empathy-1/"
    form = the_form(client.get(url + "?from=summary").content.decode())
    data = dict(form.fields)
    first = form.textareas[0]
    data[first] = "een nieuw antwoord"
    response = client.post(url + "?from=summary", data)
    assert response.status_code == 303
    # Back at the answer just changed, told it was saved.
    assert response["Location"] == f"/m/{module.id}/summary/?saved=1#s-empathy-1"
    page = client.get(response["Location"]).content.decode()
    assert "een nieuw antwoord" in page and "Opgeslagen" in page


def test_saved_answers_are_shown_again_when_a_step_is_reopened(client, module):
    written = walk(client, module)
    page = htmllib.unescape(client.get(f"/m/{module.id}/empathy-3/").content.decode())
    part3 = [v for k, v in written.items() if "empathy-3" not in k and k.startswith("part3-")]
    for text in part3 or [v for v in written.values() if "part3" in v]:
        assert text in page


def test_the_overview_marks_steps_done_and_resumes_at_the_next(client, module):
    for step in module.steps[:3]:
        url = f"/m/{module.id}/{step.id}/"
        from tests.helpers.walk import fill

        data, _ = fill(the_form(client.get(url).content.decode()), step.id, "x")
        assert client.post(url, data).status_code == 303
    page = client.get(f"/m/{module.id}/").content.decode()
    assert page.count('class="status done"') == 3
    assert f'href="/m/{module.id}/{module.steps[3].id}/">Ga verder waar je gebleven was' in page


def test_adding_an_own_row_keeps_the_rows_and_offers_another(client, module):
    start_journal(client, module)
    url = f"/m/{module.id}/justifications/"
    form = the_form(client.get(url).content.decode())
    own = [n for n in form.textareas if ".own." in n]
    assert len(own) == 4  # two empty rows to start with
    data = dict(form.fields, action="add-row")
    data[own[0]], data[own[1]] = "eigen gedachte", "eigen antwoord"
    response = client.post(url, data)
    assert response.status_code == 303
    assert response["Location"].startswith(url + "?more=")
    assert response["Location"].endswith("#own-rows-justifications")
    page = client.get(response["Location"]).content.decode()
    form = the_form(page)
    own = [n for n in form.textareas if ".own." in n]
    assert len(own) == 6
    assert form.fields[own[0]] == "eigen gedachte"
    assert form.fields[own[1]] == "eigen antwoord"


def test_rehearsal_runs_through_the_ticked_responses_then_the_visitors_own(client, module):
    table = next(b for b in module.step("justifications").blocks if b.type == "pair_table")
    url = f"/m/{module.id}/justifications/"
    form = the_form(client.get(url).content.decode())
    own = [n for n in form.textareas if ".own." in n]
    data = dict(form.fields)
    ticked = [table.rows[1], table.rows[4]]
    for row in ticked:
        data[f"justifications.{row.id}"] = form.checkboxes[f"justifications.{row.id}"]
    data[own[0]], data[own[1]] = "mijn gedachte", "mijn eigen tegenantwoord"
    assert client.post(url, data).status_code == 303

    cards = [
        htmllib.unescape(client.get(f"/m/{module.id}/rehearse/?card={n}").content.decode())
        for n in (1, 2, 3)
    ]
    cards = [card.split('class="pager"')[0] for card in cards]
    assert "Antwoord 1 van 3" in cards[0]
    assert ticked[0].right.source in cards[0] and ticked[1].right.source in cards[1]
    assert "mijn eigen tegenantwoord" in cards[2]
    everything = htmllib.unescape(client.get(f"/m/{module.id}/rehearse/").content.decode())
    for row in table.rows:
        if row not in ticked:
            assert row.right.source not in everything, row.id


def test_with_nothing_ticked_or_written_the_rehearsal_says_so_and_leads_back(client, module):
    url = f"/m/{module.id}/justifications/"
    form = the_form(client.get(url).content.decode())
    own = [n for n in form.textareas if ".own." in n]
    # An own thought without an answer gives nothing to rehearse either.
    assert client.post(url, {**form.fields, own[0]: "alleen een gedachte"}).status_code == 303

    page = client.get(f"/m/{module.id}/rehearse/").content.decode()
    assert "Je hebt geen rechtvaardiging aangevinkt" in page
    number = module.index("justifications") + 1
    title = module.step("justifications").title
    assert f'<a href="{url}">Ga terug naar stap {number}: {title}</a>' in page
    assert 'class="pager"' not in page and "Antwoord 1 van" not in page
