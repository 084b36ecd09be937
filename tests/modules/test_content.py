"""The content loader and `checkcontent`: the shipped module, and broken copies of it."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from modules.content import ContentError, load_library
from modules.content.blocks import BLOCK_TYPES, walk_questions
from tests.helpers.files import edit

CONTENT = Path(settings.BAKEN_CONTENT_DIR)
LANGS = [code for code, _ in settings.LANGUAGES]


def load(root: Path):
    return load_library(root, LANGS, "nl")


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# --- the shipped module has every part of the seed ---------------------------------------


def blocks(module, kind):
    return [b for s in module.steps for b in s.blocks if b.type == kind]


def test_the_shipped_module_has_every_part_of_the_seed(module):
    ratings = {r.id: r for r in blocks(module, "rating")}
    assert len(ratings["start"].items) == 3 and ratings["start"].occurrence == "before"
    assert len(ratings["end"].items) == 3 and ratings["end"].pairs_with == "start"
    assert [p.value for p in ratings["start"].scale] == [1, 2, 3]
    (table,) = blocks(module, "pair_table")
    assert len(table.rows) >= 8
    assert len(blocks(module, "rehearse")) == 1
    assert len(blocks(module, "illustration")) == 1
    questions = {q.id: q for q in blocks(module, "questions")}
    assert [len(questions[f"part{n}"].items) for n in (1, 2, 3, 4)] == [4, 4, 15, 6]
    assert len(questions["part4"].items[4].items) == 2
    (line,) = blocks(module, "threshold")
    assert len(line.steps) == 7
    assert len(questions["reflection-questions"].items) == 5
    assert len(blocks(module, "compare")) == 1
    kinds = {c.kind for c in blocks(module, "callout")}
    assert kinds == {"warning", "break", "contact", "urge"}
    assert [s.id for s in module.steps if s.heavy][:1] == ["empathy-1"]
    assert module.step("threshold").heavy


def test_no_contact_callout_invents_a_phone_number_or_address(module):
    import re

    for callout in blocks(module, "callout"):
        text = callout.text.source
        assert not re.search(r"\d{3}[ -]?\d{3,}", text), text
        assert "@" not in text and "http" not in text


def test_checkcontent_passes_on_the_shipped_content(capsys):
    call_command("checkcontent")
    out = capsys.readouterr().out
    assert "nl/reality: 14 steps" in out
    assert "Content is valid." in out


# --- broken copies: every problem as file:line, and a non-zero exit ----------------------


def test_an_unknown_block_type_is_reported_with_its_line(copy):
    path = copy / "nl/reality/02-start.yaml"
    edit(path, "type: rating", "type: ratings")
    assert problems(copy) == [
        f"content/nl/reality/02-start.yaml:{line_of(path, 'type: ratings')}: unknown block type "
        f"'ratings' (known types: {', '.join(BLOCK_TYPES)})"
    ] + [p for p in problems(copy) if "13-closing" in p or "14-reflection" in p]


def test_a_missing_field_is_reported_on_its_block(copy):
    path = copy / "nl/reality/07-empathy-1.yaml"
    text = path.read_text()
    start = text.index("  - type: questions")
    edit(path, text[start:].split("\n")[1] + "\n", "")  # drop the line after the type
    found = problems(copy)
    assert any(
        p.startswith("content/nl/reality/07-empathy-1.yaml:") and "missing field" in p
        for p in found
    ), found


def test_a_duplicate_id_names_both_places(copy):
    path = copy / "nl/reality/08-empathy-2.yaml"
    first_id = next(
        line.split("id: ")[1]
        for line in path.read_text().splitlines()
        if line.strip().startswith("- id: part2")
    )
    other = copy / "nl/reality/07-empathy-1.yaml"
    target = next(
        line.split("id: ")[1]
        for line in other.read_text().splitlines()
        if line.strip().startswith("- id: part1")
    )
    edit(path, f"id: {first_id}", f"id: {target}")
    (found,) = problems(copy)
    assert found == (
        f"content/nl/reality/08-empathy-2.yaml:{line_of(path, f'id: {target}')}: id '{target}' "
        f"is already used at content/nl/reality/07-empathy-1.yaml:{line_of(other, f'id: {target}')}"
    )


def test_raw_html_in_markdown_is_refused(copy):
    path = copy / "nl/reality/06-consent.yaml"
    edit(path, "text: |\n", "text: |\n      <script>alert(1)</script>\n\n")
    (found,) = problems(copy)
    assert found.startswith("content/nl/reality/06-consent.yaml:")
    assert "raw HTML is not allowed" in found


@pytest.mark.parametrize(
    "markdown, message",
    [
        ("![x](https://example.org/a.png)", "images are not allowed"),
        ("# Title", "use '##' or '###' for headings"),
        ("[x](javascript:alert(1))", "link address 'javascript:alert(1)' must start with"),
    ],
)
def test_bad_markdown_is_refused(copy, markdown, message):
    path = copy / "nl/reality/06-consent.yaml"
    edit(path, "text: |\n", f"text: |\n      {markdown}\n\n")
    (found,) = problems(copy)
    assert message in found


def test_links_in_content_render_without_a_referrer(copy):
    path = copy / "nl/reality/06-consent.yaml"
    edit(path, "text: |\n", "text: |\n      [lees meer](https://example.org/)\n\n")
    library = load(copy)
    html = library.module("reality", "nl").step("consent").blocks[0].text.html
    assert '<a href="https://example.org/" rel="noreferrer">lees meer</a>' in html


def test_invalid_yaml_and_duplicate_keys_are_reported(copy):
    path = copy / "nl/reality/01-goals.yaml"
    edit(path, "title:", "title: [unclosed\ntitle:")
    found = problems(copy)
    assert len(found) == 1 and found[0].startswith("content/nl/reality/01-goals.yaml:")
    assert "not valid YAML" in found[0]


def test_a_dutch_thousands_separator_is_not_read_as_a_small_number(copy):
    path = copy / "nl/reality/07-empathy-1.yaml"
    text = path.read_text()
    qid = next(line for line in text.splitlines() if line.strip().startswith("- id: part1"))
    indent = qid.index("-") + 2
    edit(path, qid + "\n", qid + "\n" + " " * indent + "max_length: 2.000\n")
    (found,) = problems(copy)
    assert "write a whole number with digits only, like 2000 (not '2.000')" in found


def test_an_after_rating_must_match_its_before_rating(copy):
    path = copy / "nl/reality/13-closing.yaml"
    edit(path, "pairs_with: start", "pairs_with: startpunt")
    (found,) = problems(copy)
    assert found == (
        f"content/nl/reality/13-closing.yaml:{line_of(path, 'pairs_with')}: "
        "'startpunt' is not a 'before' rating earlier in the module"
    )


def test_the_closing_statements_are_worded_exactly_as_the_opening_ones():
    """The comparison puts each pair side by side: a reworded statement asks another question."""
    for language in LANGS:
        steps = load(CONTENT).module("reality", language).steps
        ratings = {b.id: b for s in steps for b in s.blocks if b.type == "rating"}
        for after in (r for r in ratings.values() if r.occurrence == "after"):
            before = ratings[after.pairs_with]
            assert [(i.id, str(i.text)) for i in after.items] == [
                (i.id, str(i.text)) for i in before.items
            ], language


def test_a_reworded_closing_statement_is_reported_with_its_line(copy):
    path = copy / "en/reality/13-closing.yaml"
    edit(path, "I understand that minors are abused", "I now understand that minors are abused")
    (found,) = problems(copy)
    assert found == (
        f"content/en/reality/13-closing.yaml:{line_of(path, 'I now understand')}: "
        "statement 'abuse-is-real' must be worded exactly as in 'start'"
    )


def test_ids_that_differ_between_languages_are_reported_with_file_and_line(copy):
    path = copy / "en/reality/09-empathy-3.yaml"
    qid = next(
        line.split("id: ")[1]
        for line in path.read_text().splitlines()
        if line.strip().startswith("- id: part3")
    )
    edit(path, f"id: {qid}", f"id: {qid}-x")
    found = problems(copy)
    nl_line = line_of(copy / "nl/reality/09-empathy-3.yaml", f"id: {qid}")
    assert (
        f"content/nl/reality/09-empathy-3.yaml:{nl_line}: id '{qid}' of module 'reality' "
        "is missing in the 'en' version"
    ) in found
    assert any(
        p.startswith("content/en/reality/09-empathy-3.yaml:") and f"'{qid}-x'" in p for p in found
    )


def test_checkcontent_names_an_english_id_removed_and_exits_1(copy):
    """An editor deletes a question from the English file: the check says where, and fails."""
    path = copy / "en/reality/14-reflection.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines.index("      - id: reflection-most-impact\n")
    end = next(
        i
        for i in range(first + 1, len(lines))
        if lines[i].strip().startswith("- id:") or not lines[i].startswith(" ")
    )
    path.write_text("".join(lines[:first] + lines[end:]), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "checkcontent", str(copy)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    nl_line = line_of(copy / "nl/reality/14-reflection.yaml", "- id: reflection-most-impact")
    assert result.returncode == 1
    assert (
        f"content/nl/reality/14-reflection.yaml:{nl_line}: id 'reflection-most-impact' "
        "of module 'reality' is missing in the 'en' version"
    ) in result.stderr


def test_checkcontent_prints_every_problem_and_fails(copy, capsys):
    edit(copy / "nl/reality/02-start.yaml", "type: rating", "type: ratings")
    edit(copy / "nl/reality/12-threshold.yaml", "prompt:", "promptt:")
    with pytest.raises(CommandError, match="problems in"):
        call_command("checkcontent", str(copy))
    err = capsys.readouterr().err
    assert "content/nl/reality/02-start.yaml:" in err
    assert "content/nl/reality/12-threshold.yaml:" in err
    assert "unknown field 'promptt'" in err


def test_checkcontent_exits_non_zero_from_the_shell(copy):
    edit(copy / "nl/reality/02-start.yaml", "type: rating", "type: ratings")
    result = subprocess.run(
        [sys.executable, "manage.py", "checkcontent", str(copy)],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 1
    assert "content/nl/reality/02-start.yaml:" in result.stderr


def test_the_server_refuses_to_start_on_invalid_content(copy):
    edit(copy / "nl/reality/02-start.yaml", "type: rating", "type: ratings")
    result = subprocess.run(
        [sys.executable, "-c", "import baken.wsgi"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "BAKEN_CONTENT_DIR": str(copy),
            "DJANGO_SETTINGS_MODULE": "baken.settings.test",
        },
    )
    assert result.returncode == 3
    assert "Baken will not start" in result.stderr
    assert "content/nl/reality/02-start.yaml:" in result.stderr


def test_content_objects_are_frozen(module):
    with pytest.raises(Exception, match="frozen"):
        module.steps[0].title = "x"
    questions = blocks(module, "questions")
    assert all(q.max_length == 10_000 for b in questions for q in walk_questions(b.items))


# A pair table is shown as stacked cards, on every screen: its text must not send the visitor
# looking for a left and a right column (issue 15, point 10).
LAYOUT_WORDS = {
    "nl": r"\b(links|rechts|linker\w*|rechter\w*|kolom\w*|tabel\w*)\b",
    "en": r"\b(left|right|left-hand|right-hand|columns?|tables?)\b",
}


@pytest.mark.parametrize("language", LANGS)
def test_the_pair_tables_text_describes_cards_not_columns(language):
    library = load(CONTENT)
    found = []
    for module in library.all(language, drafts=True):
        for step in module.steps:
            for block in step.blocks:
                if block.type != "pair_table":
                    continue
                for text in (block.title, block.intro, block.own_rows_title, block.own_rows_intro):
                    source = getattr(text, "source", text) or ""
                    found += re.findall(LAYOUT_WORDS[language], str(source), re.IGNORECASE)
    assert found == []
