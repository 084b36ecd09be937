"""The factsheet's content: language-neutral figures and the words for them in each language.

`content/figures.yaml` holds the numbers, their sources and how they are grouped into charts;
`content/<lang>/factsheet.yaml` holds the text. Both are checked against each other and every
problem is reported as `file:line: message`, like module content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from django.conf import settings
from pydantic import BeforeValidator, Field, StringConstraints

from core.content import (
    ContentError,
    Located,
    Problem,
    missing_across_languages,
    read_yaml,
    shown,
    validate,
)
from core.content.types import Id, InlineMarkdown, Markdown, Part, Text, WholeNumber

FIGURES_FILE = "figures.yaml"
SHEET_FILE = "factsheet.yaml"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _number(value: object) -> object:
    """Refuse '255,571' or '255.571 ' style numbers: write digits, with '.' only for decimals."""
    if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
        raise ValueError(f"write a number with digits only, like 255571 or 4.5 (not {value!r})")
    return value


Number = Annotated[int | float, BeforeValidator(_number)]
Url = Annotated[str, StringConstraints(pattern=r"^https://\S+$", max_length=500)]
T = TypeVar("T")


# --- content/figures.yaml --------------------------------------------------------------------


class Figure(Part):
    """One number from a source. `derived` says how it was worked out when the source omits it."""

    id: Id
    value: Number
    unit: Literal["percent", "count", "ratio"]
    year: WholeNumber
    source: Id
    derived: Text | None = None
    attribution: Text | None = None


class Source(Part):
    """A publication the figures come from."""

    id: Id
    title: Text
    publisher: Text
    year: WholeNumber
    url: Url


class Chart(Part):
    """Figures drawn together: bars, parts of one whole (proportion), or one key number."""

    id: Id
    kind: Literal["bars", "proportion", "number"]
    figures: tuple[Id, ...] = Field(min_length=1)


class Omission(Part):
    """A figure of the seed that is left out on purpose, and why."""

    what: Text
    source: Id
    reason: Text


class FiguresFile(Part):
    figures: tuple[Figure, ...] = Field(min_length=1)
    charts: tuple[Chart, ...] = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)
    omitted: tuple[Omission, ...] = ()


# --- content/<lang>/factsheet.yaml -------------------------------------------------------------


class Grounding(Part):
    """The calm note at the top: take your time."""

    title: Text
    text: Markdown


class Section(Part):
    id: Id
    title: Text
    text: Markdown
    charts: tuple[Id, ...] = ()
    after: Markdown | None = None


class ChartText(Part):
    """A chart's title, its text alternative (with {figure-id} placeholders) and a source note."""

    title: Text
    text: Annotated[str, StringConstraints(min_length=1, max_length=600)]
    source_note: InlineMarkdown | None = None


class Sheet(Part):
    """The factsheet in one language."""

    title: Text
    grounding: Grounding
    intro: Markdown | None = None
    sections: tuple[Section, ...] = Field(min_length=1)
    labels: dict[Id, Text]
    charts: dict[Id, ChartText]
    about_figures: Markdown | None = None


@dataclass(frozen=True)
class Factsheets:
    """The figures and the factsheet in every language that has one."""

    figures: dict[str, Figure]
    charts: dict[str, Chart]
    sources: dict[str, Source]
    omitted: tuple[Omission, ...]
    sheets: dict[str, Sheet]
    default_language: str

    def sheet(self, language: str) -> tuple[str, Sheet]:
        """The factsheet in the visitor's language, or in the default language; with its code."""
        if language in self.sheets:
            return language, self.sheets[language]
        return self.default_language, self.sheets[self.default_language]


def parse_formula(formula: str) -> list[tuple[int, str]]:
    """'100 - a - b' → [(1, '100'), (-1, 'a'), (-1, 'b')]: numbers and figure ids, + and − only.

    Operators stand between spaces, because figure ids contain hyphens themselves.
    """
    terms: list[tuple[int, str]] = []
    sign = 1
    expect_term = True
    for word in formula.replace("−", "-").split():
        if expect_term:
            if word in ("+", "-"):
                raise ValueError(f"'{formula}': a number or figure id must come before '{word}'")
            terms.append((sign, word))
        elif word in ("+", "-"):
            sign = -1 if word == "-" else 1
        else:
            raise ValueError(
                f"'{formula}': put ' + ' or ' - ' (with spaces) between "
                f"'{terms[-1][1]}' and '{word}'"
            )
        expect_term = not expect_term
    if expect_term:
        raise ValueError(f"'{formula}': write it like '100 - figure-a - figure-b'")
    return terms


# --- loading ----------------------------------------------------------------------------------


class _Reader:
    """Reads YAML files and collects problems instead of stopping at the first."""

    def __init__(self, display_root: Path):
        self.display_root = display_root
        self.problems: list[Problem] = []

    def shown(self, path: Path) -> str:
        return shown(path, self.display_root)

    def read(self, path: Path, model: type[T]) -> tuple[T, Located] | None:
        display = self.shown(path)
        try:
            located = read_yaml(path, display)
            return validate(model, located, display), located
        except ContentError as error:
            self.problems.extend(error.problems)
            return None


def load_factsheets(root: Path, languages: list[str], default_language: str) -> Factsheets:
    """Load figures.yaml and every <language>/factsheet.yaml; raise ContentError on problems."""
    reader = _Reader(root.parent)
    figures_path = root / FIGURES_FILE
    data = reader.read(figures_path, FiguresFile)
    figures_file = data[0] if data else None
    if data is not None:
        reader.problems.extend(_check_figures(*data, reader.shown(figures_path)))

    sheets: dict[str, Sheet] = {}
    where: dict[str, tuple[Located, str]] = {}
    for language in languages:
        path = root / language / SHEET_FILE
        if not path.exists():
            if language == default_language:
                reader.problems.append(
                    Problem(
                        reader.shown(path), 1, "the factsheet in the default language is missing"
                    )
                )
            continue
        read = reader.read(path, Sheet)
        if read is None:
            continue
        sheet, located = read
        sheets[language] = sheet
        where[language] = (located, reader.shown(path))
        if figures_file is not None:
            reader.problems.extend(_check_sheet(*read, reader.shown(path), figures_file))
    reader.problems.extend(_compare_languages(sheets, where))
    if reader.problems or figures_file is None:
        raise ContentError(reader.problems)
    return Factsheets(
        figures={f.id: f for f in figures_file.figures},
        charts={c.id: c for c in figures_file.charts},
        sources={s.id: s for s in figures_file.sources},
        omitted=figures_file.omitted,
        sheets=sheets,
        default_language=default_language,
    )


def _unique(items, located: Located, display: str, field: str, what: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        line = located.line((field, i, "id"))
        if item.id in seen:
            problems.append(
                Problem(
                    display, line, f"{what} id '{item.id}' is already used on line {seen[item.id]}"
                )
            )
        seen.setdefault(item.id, line)
    return problems


def _check_figures(data: FiguresFile, located: Located, display: str) -> list[Problem]:
    """Values in range, known sources, each figure in exactly one chart, sums that add up."""
    problems = (
        _unique(data.figures, located, display, "figures", "figure")
        + _unique(data.charts, located, display, "charts", "chart")
        + _unique(data.sources, located, display, "sources", "source")
    )
    figures = {f.id: f for f in data.figures}
    sources = {s.id for s in data.sources}

    for i, figure in enumerate(data.figures):

        def problem(field: str, message: str, i: int = i) -> None:
            problems.append(Problem(display, located.line(("figures", i, field)), message))

        if figure.source not in sources:
            problem("source", f"'{figure.source}' is not one of the sources listed under 'sources'")
        if figure.unit == "percent" and not 0 <= figure.value <= 100:
            problem("value", f"a percentage must be between 0 and 100, not {figure.value}")
        if figure.unit == "count" and (figure.value < 0 or figure.value != int(figure.value)):
            problem("value", f"a count must be a whole number of 0 or more, not {figure.value}")
        if figure.unit == "ratio" and figure.value <= 0:
            problem("value", f"a ratio must be more than 0, not {figure.value}")
        if figure.derived is not None:
            try:
                terms = parse_formula(figure.derived)
            except ValueError as error:
                problem("derived", str(error))
                continue
            total = 0.0
            for sign, term in terms:
                if _NUMBER.fullmatch(term):
                    total += sign * float(term)
                elif term not in figures or term == figure.id:
                    problem("derived", f"'{term}' in the derivation is not another figure's id")
                    break
                elif figures[term].derived:
                    problem("derived", f"'{term}' is derived itself; derive from source figures")
                    break
                else:
                    total += sign * float(figures[term].value)
            else:
                if abs(total - float(figure.value)) > 1e-9:
                    problem(
                        "value",
                        f"the derivation '{figure.derived}' gives {total:g}, not {figure.value}",
                    )

    placed: dict[str, str] = {}
    for c, chart in enumerate(data.charts):

        def at(*loc: str | int, c: int = c) -> int:
            return located.line(("charts", c, *loc))

        known = [figures[f] for f in chart.figures if f in figures]
        for j, figure_id in enumerate(chart.figures):
            if figure_id not in figures:
                problems.append(
                    Problem(
                        display,
                        at("figures", j),
                        f"chart '{chart.id}' names '{figure_id}', which is not a "
                        "figure in this file",
                    )
                )
            elif figure_id in placed:
                problems.append(
                    Problem(
                        display,
                        at("figures", j),
                        f"figure '{figure_id}' is already shown in chart '{placed[figure_id]}'",
                    )
                )
            else:
                placed[figure_id] = chart.id
        if chart.kind == "number" and len(chart.figures) != 1:
            problems.append(Problem(display, at("kind"), "a 'number' chart shows one figure"))
        if len({f.unit for f in known}) > 1:
            problems.append(
                Problem(
                    display,
                    at("figures"),
                    f"the figures in chart '{chart.id}' must all have the same unit",
                )
            )
        if chart.kind == "proportion":
            if any(f.unit != "percent" for f in known):
                problems.append(
                    Problem(
                        display,
                        at("kind"),
                        "a 'proportion' chart shows parts "
                        "of a whole: its figures must be percentages",
                    )
                )
            elif sum(f.value for f in known) > 100:
                problems.append(
                    Problem(
                        display,
                        at("figures"),
                        f"the parts of chart '{chart.id}' add up to more than 100%",
                    )
                )
    for i, figure in enumerate(data.figures):
        if figure.id not in placed:
            problems.append(
                Problem(
                    display,
                    located.line(("figures", i, "id")),
                    f"figure '{figure.id}' is not shown in any chart",
                )
            )
    for i, omission in enumerate(data.omitted):
        if omission.source not in sources:
            problems.append(
                Problem(
                    display,
                    located.line(("omitted", i, "source")),
                    f"'{omission.source}' is not one of the sources",
                )
            )
    return problems


def _check_sheet(sheet: Sheet, located: Located, display: str, data: FiguresFile) -> list[Problem]:
    """The words match the figures: a label per figure, a text per chart, each chart placed once."""
    problems: list[Problem] = []
    figures = {f.id: f for f in data.figures}
    charts = {c.id: c for c in data.charts}

    def problem(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(display, located.line(loc), message))

    for figure_id in sheet.labels:
        if figure_id not in figures:
            problem(
                ("labels", figure_id),
                f"label for '{figure_id}', which is not a figure in {FIGURES_FILE}",
            )
    for figure_id in figures:
        if figure_id not in sheet.labels:
            problem(("labels",), f"figure '{figure_id}' has no label")
    for chart_id, text in sheet.charts.items():
        if chart_id not in charts:
            problem(
                ("charts", chart_id),
                f"text for chart '{chart_id}', which is not a chart in {FIGURES_FILE}",
            )
            continue
        chart = charts[chart_id]
        for name in PLACEHOLDER.findall(text.text):
            if name not in chart.figures:
                problem(
                    ("charts", chart_id, "text"),
                    f"'{{{name}}}' is not a figure of chart "
                    f"'{chart_id}' ({', '.join(chart.figures)})",
                )
        uncertain = any(figures[f].attribution for f in chart.figures if f in figures)
        if uncertain and text.source_note is None:
            problem(
                ("charts", chart_id),
                f"chart '{chart_id}' has a figure whose source is "
                "uncertain: add a 'source_note' that says so",
            )
    for chart_id in charts:
        if chart_id not in sheet.charts:
            problem(("charts",), f"chart '{chart_id}' has no title and text")

    placed: dict[str, str] = {}
    seen_sections: set[str] = set()
    for s, section in enumerate(sheet.sections):
        if section.id in seen_sections:
            problem(("sections", s, "id"), f"section id '{section.id}' is already used")
        if section.id == "sources":
            problem(
                ("sections", s, "id"),
                "'sources' is the id of the list of sources; choose another id",
            )
        seen_sections.add(section.id)
        for j, chart_id in enumerate(section.charts):
            if chart_id not in charts:
                problem(
                    ("sections", s, "charts", j),
                    f"section '{section.id}' names chart "
                    f"'{chart_id}', which is not a chart in {FIGURES_FILE}",
                )
            elif chart_id in placed:
                problem(
                    ("sections", s, "charts", j),
                    f"chart '{chart_id}' is already shown in section '{placed[chart_id]}'",
                )
            else:
                placed[chart_id] = section.id
    for chart_id in charts:
        if chart_id not in placed:
            problem(("sections",), f"chart '{chart_id}' is not shown in any section")
    return problems


def _ids(sheet: Sheet) -> dict[str, tuple[str | int, ...]]:
    """Every id a translation must share, with where it stands in the file."""
    ids: dict[str, tuple[str | int, ...]] = {}
    for s, section in enumerate(sheet.sections):
        ids[f"section '{section.id}'"] = ("sections", s, "id")
    for figure_id in sheet.labels:
        ids[f"label '{figure_id}'"] = ("labels", figure_id)
    for chart_id in sheet.charts:
        ids[f"chart '{chart_id}'"] = ("charts", chart_id)
    return ids


def _compare_languages(
    sheets: dict[str, Sheet], where: dict[str, tuple[Located, str]]
) -> list[Problem]:
    """Every section, label and chart text must exist in every language's factsheet."""
    ids = {language: _ids(sheet) for language, sheet in sheets.items()}
    return [
        Problem(
            where[language][1],
            where[language][0].line(place),
            f"{missing} is missing in the '{other}' factsheet",
        )
        for language, missing, place, other in missing_across_languages(ids)
    ]


@cache
def get_factsheets() -> Factsheets:
    """The factsheet content, loaded on first use and kept for the life of the process."""
    return load_factsheets(
        Path(settings.BAKEN_CONTENT_DIR),
        [code for code, _ in settings.LANGUAGES],
        settings.LANGUAGE_CODE,
    )
