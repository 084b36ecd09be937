"""The factsheet: every figure on the page and in the seed, accessible charts, a strict loader."""

import gzip
import html
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from markupsafe import escape

from core.content import ContentError
from factsheets.apps import check_factsheet
from factsheets.charts import bar_lengths, format_value, segments
from factsheets.content import get_factsheets, load_factsheets
from tests.helpers.files import edit

CONTENT = Path(settings.BAKEN_CONTENT_DIR)
LANGS = [code for code, _ in settings.LANGUAGES]

# What the figures rest on, copied out of the seed factsheet (see the file's header).
SEED = yaml.safe_load((Path(__file__).parent / "seed_facts.yaml").read_text(encoding="utf-8"))
NUMBER_WORDS = {2: "twee"}


def as_in_seed(value: float, unit: str) -> str:
    """How the seed writes a value: 45%, 255,571, 'twee' (keer zo groot)."""
    number = int(value) if value == int(value) else value
    if unit == "percent":
        return f"{number}%"
    if unit == "ratio":
        return NUMBER_WORDS[number]
    return f"{number:,}"


def as_on_page(value: float, unit: str, language: str = "nl") -> str:
    """How the page writes a value, worked out here rather than by the code under test."""
    number = int(value) if value == int(value) else value
    if unit == "percent":
        return f"{number}%" if language == "en" else f"{number}%".replace(".", ",")
    if unit == "count":
        return f"{number:,}" if language == "en" else f"{number:,}".replace(",", ".")
    with translation.override(language):
        return translation.gettext("%(value)s times as likely") % {"value": number}


def chart_html(page: str, chart_id: str) -> str:
    match = re.search(rf'<figure class="chart [^"]*" id="chart-{chart_id}".*?</figure>', page, re.S)
    assert match, f"chart {chart_id} is not on the page"
    return match.group(0)


@pytest.fixture
def page(client) -> str:
    response = client.get("/facts/")
    assert response.status_code == 200
    return response.content.decode()


# --- the page shows every figure, as the data file has it -------------------------------------


def test_every_figure_is_in_its_charts_table_with_its_label_and_value(page):
    every_figure_in_its_table(page, "nl")


def test_the_english_page_has_every_figure_with_its_english_label(client):
    response = client.get("/en/facts/")
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()
    every_figure_in_its_table(response.content.decode(), "en")
    assert "255,571" in response.content.decode()


def every_figure_in_its_table(page: str, language: str) -> None:
    facts = get_factsheets()
    sheet = facts.sheets[language]
    shown = set()
    for chart in facts.charts.values():
        block = chart_html(page, chart.id)
        table = re.search(r"<table.*?</table>", block, re.S).group(0)
        for figure_id in chart.figures:
            figure = facts.figures[figure_id]
            label = escape(sheet.labels[figure_id])
            value = escape(as_on_page(figure.value, figure.unit, language))
            row = f'<tr id="figure-{figure_id}"><th scope="row">{label}</th><td>{value}'
            assert row in table, f"{figure_id}: {row!r} not in the table of {chart.id}"
            shown.add(figure_id)
    assert shown == set(facts.figures)


def test_the_data_file_matches_the_seed():
    phrases, numbers = SEED["phrases"], SEED["numbers"]
    facts = get_factsheets()
    read = {f.id for f in facts.figures.values() if not f.derived}
    assert read == set(phrases), "every figure read from the seed needs its seed phrase"
    for figure_id, phrase in phrases.items():
        figure = facts.figures[figure_id]
        assert as_in_seed(figure.value, figure.unit) in phrase, figure_id
        for number in re.findall(r"\d[\d,.%]*", phrase):
            assert number in numbers, f"{figure_id}: {number} is not among the seed's numbers"
    printed = " ".join(numbers)
    for figure in facts.figures.values():
        if figure.derived:
            # A derived figure is not printed in the seed: that is why it had to be derived.
            assert figure.unit != "ratio", f"{figure.id}: the seed writes ratios in words"
            assert re.search(rf"(?<!\d){as_in_seed(figure.value, figure.unit)}", printed) is None


def test_what_the_seed_garbled_is_recorded_as_omitted():
    omitted = " ".join(o.what for o in get_factsheets().omitted)
    assert "Age of the victims" in omitted
    assert "unknown or new material" in omitted
    assert "40%" in omitted
    assert "twice as likely" in omitted


def test_derived_figures_are_marked_with_how_they_were_worked_out(page):
    facts = get_factsheets()
    derived = [f for f in facts.figures.values() if f.derived]
    assert "victims-girls" in [f.id for f in derived]
    for figure in derived:
        chart = next(c for c in facts.charts.values() if figure.id in c.figures)
        block = chart_html(page, chart.id)
        row = re.search(rf'<tr id="figure-{figure.id}">.*?</tr>', block).group(0)
        assert 'class="derived-mark"' in row
        assert 'class="chart-note derived-note"' in block
    block = chart_html(page, "victim-gender")
    assert "100% − 7% − 2% = 91%" in block
    assert 'class="swatch s1 derived"' in block and 'fill="url(#hatch-victims-girls)"' in block


def test_uncertain_sources_are_said_to_be_uncertain(page):
    facts = get_factsheets()
    for chart in facts.charts.values():
        if any(facts.figures[f].attribution for f in chart.figures):
            note = facts.sheets["nl"].charts[chart.id].source_note
            assert note is not None and note.source in html.unescape(chart_html(page, chart.id))


# --- accessible, light, private ---------------------------------------------------------------


def test_every_chart_is_an_svg_image_with_a_title_a_text_and_a_table(page):
    facts = get_factsheets()
    drawn = [c for c in facts.charts.values() if c.kind != "number"]
    assert page.count("<svg") == len(drawn) >= 4
    for chart in facts.charts.values():
        block = chart_html(page, chart.id)
        if chart.kind != "number":
            svg = re.search(r"<svg[^>]*>", block).group(0)
            assert 'role="img"' in svg
            title_id = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
            title = re.search(rf'<title id="{title_id}">([^<]+)</title>', block).group(1)
            assert title == escape(facts.sheets["nl"].charts[chart.id].title)
        text = re.search(r'<p class="chart-text">([^<]+)</p>', block).group(1)
        assert "{" not in text and len(text) > 20
        assert "<caption" in block and '<th scope="col">' in block and '<th scope="row">' in block


def test_the_page_has_no_script_no_images_no_inline_styles(page):
    # Only the site-wide, deferred quick-exit enhancement; nothing of the factsheet's own.
    assert re.findall(r"<script\b[^>]*>", page) == [
        re.search(r'<script src="/static/js/exit\.[0-9a-f]{12}\.js" defer>', page).group(0)
    ]
    assert "<img" not in page
    assert "style=" not in page  # the CSP allows no inline styles


def test_every_external_link_has_rel_noreferrer_and_every_source_is_linked(page):
    links = re.findall(r"<a\b[^>]*>", page)
    external = [a for a in links if re.search(r'href="https?:', a)]
    assert external
    for tag in external:
        assert 'rel="noreferrer"' in tag, tag
    for source in get_factsheets().sources.values():
        assert f'href="{html.escape(source.url)}" rel="noreferrer"' in page


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_ncmec_is_cited_by_its_stable_impact_page_in_both_languages(client, prefix):
    # The seed linked a draft of NCMEC's report on a test address (issue 15, point 10).
    page = client.get(f"{prefix}/facts/").content.decode()
    found = set(re.findall(r'href="(https?://[^"]*missingkids[^"]*)"', page))
    assert found == {"https://www.missingkids.org/ourwork/impact"}


def test_the_page_reads_in_order_and_fits_one_round_trip(client):
    response = client.get("/facts/")
    page = response.content.decode()
    sheet = get_factsheets().sheets["nl"]
    assert f"<h1>{escape(sheet.title)}</h1>" in page
    grounding = page.index('class="callout callout-break"')
    positions = [page.index(f'<section id="{s.id}"') for s in sheet.sections]
    assert grounding < positions[0] and positions == sorted(positions)
    sources = page.split('<ol class="sources">')[1].split("</ol>")[0]
    assert positions[-1] < page.index('<ol class="sources">')
    assert sources.count("<li") == len(get_factsheets().sources)
    assert len(gzip.compress(response.content)) < 14_000
    assert not response.cookies


# --- the parts, without HTTP ------------------------------------------------------------------


def test_values_are_written_the_dutch_way():
    with translation.override("nl"):
        assert format_value(255571, "count") == "255.571"
        assert format_value(45, "percent") == "45%"
        assert format_value(4.5, "percent") == "4,5%"


def test_bars_and_proportions_are_measured_out_of_100():
    assert bar_lengths([45, 6], "percent") == [45.0, 6.0]
    assert bar_lengths([50, 200], "count") == [25.0, 100.0]
    parts = segments([91, 7, 2])
    assert [start for start, _ in parts] == [0.0, 91.0, 98.0]
    assert all(width > 0 for _, width in parts)


# --- a broken copy is reported as file:line ---------------------------------------------------


def line_of(path: Path, needle: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start + 1) if needle in line)


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_factsheets(root, LANGS, "nl")
    return [str(p) for p in caught.value.problems]


def test_a_label_for_an_unknown_figure_is_reported_with_its_line(copy):
    path = copy / "nl" / "factsheet.yaml"
    edit(path, "  victims-boys: Jongens\n", "  victims-boys: Jongens\n  victims-cats: Katten\n")
    assert (
        f"content/nl/factsheet.yaml:{line_of(path, 'victims-cats:')}: label for "
        "'victims-cats', which is not a figure in figures.yaml"
    ) in problems(copy)


def test_a_figure_without_a_label_is_reported(copy):
    path = copy / "nl" / "factsheet.yaml"
    edit(path, "  users-babies: Baby's en peuters (0 tot 3 jaar)\n", "")
    assert (
        f"content/nl/factsheet.yaml:{line_of(path, 'iwf-webpages:', after='labels:')}: "
        "figure 'users-babies' has no label"
    ) in problems(copy)


def test_a_chart_naming_an_unknown_figure_is_reported(copy):
    path = copy / "figures.yaml"
    edit(path, "figures: [exposed-under-18]", "figures: [exposed-under-18, exposed-under-12]")
    found = problems(copy)
    line = line_of(path, "exposed-under-12")
    assert (
        f"content/figures.yaml:{line}: chart 'first-exposure' names 'exposed-under-12', "
        "which is not a figure in this file"
    ) in found


def test_a_section_naming_an_unknown_chart_is_reported(copy):
    path = copy / "nl" / "factsheet.yaml"
    edit(path, "charts: [users-view]", "charts: [users-view, users-chart]")
    assert problems(copy) == [
        f"content/nl/factsheet.yaml:{line_of(path, 'users-chart')}: section 'what-users-view' "
        "names chart 'users-chart', which is not a chart in figures.yaml"
    ]


def test_a_percentage_outside_0_to_100_is_reported(copy):
    path = copy / "figures.yaml"
    edit(path, "value: 45\n", "value: 145\n")
    found = problems(copy)
    line = line_of(path, "value: 145")
    assert f"content/figures.yaml:{line}: a percentage must be between 0 and 100, not 145" in found


def test_a_thousands_separator_is_refused_not_misread(copy):
    path = copy / "figures.yaml"
    edit(path, "value: 255571", "value: 255.571")
    assert (
        f"content/figures.yaml:{line_of(path, 'value: 255.571')}: a count must be a whole "
        "number of 0 or more, not 255.571"
    ) in problems(copy)
    edit(path, "value: 255.571", "value: 255,571")
    assert any("write a number with digits only" in p for p in problems(copy))


def test_a_derivation_that_does_not_add_up_is_reported(copy):
    path = copy / "figures.yaml"
    edit(path, "value: 91\n", "value: 92\n")
    assert (
        f"content/figures.yaml:{line_of(path, 'value: 92')}: the derivation "
        "'100 - victims-boys - victims-both' gives 91, not 92"
    ) in problems(copy)


def test_raw_html_in_the_text_is_reported(copy):
    path = copy / "nl" / "factsheet.yaml"
    edit(path, "Dit is geen makkelijk onderwerp.", "Dit is <b>geen</b> makkelijk onderwerp.")
    found = problems(copy)
    assert len(found) == 1
    assert found[0].startswith(f"content/nl/factsheet.yaml:{line_of(path, '<b>geen</b>') - 1}:")
    assert "raw HTML is not allowed" in found[0]


def test_an_uncertain_source_needs_a_note(copy):
    path = copy / "nl" / "factsheet.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    source_note:", text.index("  sextortion-gender:"))
    end = text.index("\n\n", start)
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    found = problems(copy)
    line = line_of(path, "title: Kinderen die slachtoffer", after="sextortion-gender:")
    assert found == [
        f"content/nl/factsheet.yaml:{line}: chart 'sextortion-gender' has a figure "
        "whose source is uncertain: add a 'source_note' that says so"
    ]


def test_ids_missing_between_languages_are_reported(copy):
    edit(
        copy / "en" / "factsheet.yaml",
        "  users-violent: Other violent material\n",
        "  users-violent: Other violent material\n  users-extra: Extra\n",
    )
    found = problems(copy)
    en_line = line_of(copy / "en" / "factsheet.yaml", "users-extra:")
    assert (
        f"content/en/factsheet.yaml:{en_line}: label 'users-extra' is missing in the 'nl' factsheet"
    ) in found


def test_checkcontent_prints_factsheet_problems_and_fails(copy, capsys):
    edit(copy / "figures.yaml", "value: 45\n", "value: 145\n")
    with pytest.raises(CommandError, match="problem"):
        call_command("checkcontent", str(copy))
    assert "content/figures.yaml:" in capsys.readouterr().err


def test_checkcontent_reports_the_factsheet_when_it_is_valid(capsys):
    call_command("checkcontent")
    assert "nl/factsheet: 12 figures in 5 charts — ok" in capsys.readouterr().out


def test_the_system_check_stops_the_server_on_a_broken_factsheet(copy, settings):
    edit(copy / "figures.yaml", "value: 45\n", "value: 145\n")
    settings.BAKEN_CONTENT_DIR = copy
    get_factsheets.cache_clear()
    try:
        errors = check_factsheet(None)
    finally:
        get_factsheets.cache_clear()
    assert errors and all(e.id == "baken.E004" for e in errors)
    assert any("content/figures.yaml:" in e.msg for e in errors)
