"""What the factsheet template draws: formatted values, bar lengths and proportion segments.

Plain functions of the content; the measures every chart shares are in core.charts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from core.charts import BAR, ROW, bar_lengths, format_number, segments
from core.content.markdown import Md

from .content import PLACEHOLDER, Chart, Factsheets, Figure, Sheet, Source, parse_formula


@dataclass(frozen=True)
class Datum:
    """One figure as the chart and its table show it."""

    id: str
    label: str
    text: str
    derived: str | None  # the worked-out sum, e.g. "100% − 7% − 2% = 91%"
    series: int  # 1, 2, 3…: the colour, always with the label beside it
    x: float
    y: float
    length: float


@dataclass(frozen=True)
class ChartView:
    """A chart ready to draw: its words, its data and where its numbers come from."""

    id: str
    kind: str
    title: str
    summary: str
    data: tuple[Datum, ...]
    height: int
    sources: tuple[Source, ...]
    years: str
    note: Md | None

    @property
    def derived(self) -> tuple[Datum, ...]:
        """The figures worked out rather than read from the source."""
        return tuple(d for d in self.data if d.derived)


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    text: Md
    charts: tuple[ChartView, ...]
    after: Md | None


@dataclass(frozen=True)
class Page:
    """The whole factsheet in one language."""

    language: str
    sheet: Sheet
    sections: tuple[SectionView, ...]
    sources: tuple[Source, ...]


def format_value(value: float, unit: str) -> str:
    """45%, 255.571, or "2 times as likely" — in the active language."""
    if unit == "percent":
        return f"{format_number(value)}%"
    if unit == "ratio":
        return gettext("%(value)s times as likely") % {"value": format_number(value)}
    return format_number(value)


def derivation(figure: Figure, figures: dict[str, Figure]) -> str:
    """The sum behind a derived figure, written out: "100% − 7% − 2% = 91%"."""
    parts = []
    for i, (sign, term) in enumerate(parse_formula(figure.derived or "")):
        value = figures[term].value if term in figures else float(term)
        shown = format_value(value, figure.unit)
        parts.append(shown if i == 0 else f"{'−' if sign < 0 else '+'} {shown}")
    return f"{' '.join(parts)} = {format_value(figure.value, figure.unit)}"


def fill(template: str, texts: dict[str, str]) -> str:
    """Put each figure's formatted value in place of its {figure-id}."""
    return PLACEHOLDER.sub(lambda m: texts.get(m.group(1), m.group(0)), template)


def chart_view(facts: Factsheets, sheet: Sheet, chart: Chart) -> ChartView:
    """Everything the template needs to draw one chart, its text alternative and its table."""
    figures = [facts.figures[f] for f in chart.figures]
    values = [float(f.value) for f in figures]
    if chart.kind == "proportion":
        places = segments(values)
    else:
        places = [(0.0, length) for length in bar_lengths(values, figures[0].unit)]
    data = []
    for i, (figure, (x, length)) in enumerate(zip(figures, places, strict=True)):
        data.append(
            Datum(
                id=figure.id,
                label=sheet.labels[figure.id],
                text=format_value(figure.value, figure.unit),
                derived=derivation(figure, facts.figures) if figure.derived else None,
                series=i % 3 + 1 if chart.kind == "proportion" else 1,
                x=x,
                y=i * ROW + (ROW - BAR) / 2,
                length=length,
            )
        )
    derived_word = gettext("derived")
    texts = {d.id: f"{d.text}, {derived_word}" if d.derived else d.text for d in data}
    words = sheet.charts[chart.id]
    source_ids = list(dict.fromkeys(f.source for f in figures))
    years = sorted({f.year for f in figures})
    return ChartView(
        id=chart.id,
        kind=chart.kind,
        title=words.title,
        summary=fill(words.text, texts),
        data=tuple(data),
        height=len(data) * ROW,
        sources=tuple(facts.sources[s] for s in source_ids),
        years=f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
        note=words.source_note,  # type: ignore[arg-type]
    )


def page(facts: Factsheets, language: str) -> Page:
    """The factsheet for a visitor: sections in order, each with its charts."""
    code, sheet = facts.sheet(language)
    sections = tuple(
        SectionView(
            id=section.id,
            title=section.title,
            text=section.text,  # type: ignore[arg-type]
            charts=tuple(chart_view(facts, sheet, facts.charts[c]) for c in section.charts),
            after=section.after,  # type: ignore[arg-type]
        )
        for section in sheet.sections
    )
    return Page(
        language=code, sheet=sheet, sections=sections, sources=tuple(facts.sources.values())
    )
