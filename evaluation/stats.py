"""The dashboard's figures: aggregates of a period, with every count below the threshold hidden.

A count smaller than BAKEN_EVALUATION_MIN_COUNT is never shown or exported; it reads "fewer
than 10". Where a total is shown, the parts hidden must together make 0 or at least the
threshold, else more parts are hidden, so no small count can be worked out by subtraction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _

from core.charts import BAR, ROW, bar_lengths, format_number, segments

from .labels import describe
from .models import Contribution, Feedback, StepCount
from .service import FEEDBACK_CHOICES


def threshold() -> int:
    return int(settings.BAKEN_EVALUATION_MIN_COUNT)


def fewer() -> str:
    return _("fewer than %(count)s") % {"count": threshold()}


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None: hidden
    text: str
    share: str  # "45%" of the total, or "" when hidden
    x: float = 0.0
    width: float = 0.0
    series: int = 1


@dataclass(frozen=True)
class Distribution:
    """Parts of a whole: the change of one statement, or the answers to one feedback question."""

    id: str
    title: str
    total: int | None
    total_text: str
    cells: tuple[Cell, ...]
    drawn: bool  # every part shown, so the chart can be drawn
    summary: str


def distribution(id_: str, title: str, parts: list[tuple[str, int]]) -> Distribution:
    k = threshold()
    total = sum(c for _l, c in parts)
    if total < k:
        empty = tuple(
            Cell(label, None, fewer(), "", series=i % 3 + 1) for i, (label, _c) in enumerate(parts)
        )
        return Distribution(id_, title, None, fewer(), empty, False, _("Too few to show."))
    hidden = {i for i, (_l, c) in enumerate(parts) if c < k}
    # The total is shown, so the hidden parts together must make 0 or at least k; else hide
    # the smallest shown part too (subtracting would give a small figure away).
    while 0 < sum(parts[i][1] for i in hidden) < k and len(hidden) < len(parts):
        hidden.add(min((c, i) for i, (_l, c) in enumerate(parts) if i not in hidden)[1])
    places = segments([100 * c / total for _l, c in parts])
    cells = []
    for i, ((label, count), (x, width)) in enumerate(zip(parts, places, strict=True)):
        if i in hidden:
            text = fewer() if count < k else _("not shown (it would reveal a smaller figure)")
            cells.append(Cell(label, None, text, "", series=i % 3 + 1))
        else:
            share = f"{format_number(round(100 * count / total))}%"
            cells.append(Cell(label, count, format_number(count), share, x, width, i % 3 + 1))
    summary = "; ".join(
        f"{c.label}: {c.text}" + (f" ({c.share})" if c.share else "") for c in cells
    )
    # Drawn when nothing is hidden but parts of 0 (which the total gives away anyway).
    drawn = not any(parts[i][1] for i in hidden)
    return Distribution(id_, title, total, format_number(total), tuple(cells), drawn, summary + ".")


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    change: Distribution
    improved: str  # the share who improved, or why it is not shown


@dataclass(frozen=True)
class FunnelRow:
    step: str
    title: str
    reached: str
    saved: str
    y: float
    reached_length: float | None
    saved_length: float | None


@dataclass(frozen=True)
class ModuleReport:
    id: str
    title: str
    contributions: str
    statements: tuple[Statement, ...]
    funnel: tuple[FunnelRow, ...]
    funnel_height: int
    feedback: tuple[Distribution, ...]


def weeks() -> list[str]:
    """Every ISO week with anything counted, oldest first."""
    found: set[str] = set()
    for model in (Contribution, Feedback, StepCount):
        found.update(model.objects.values_list("week", flat=True).distinct())
    return sorted(found)


def _shown(count: int) -> str:
    return format_number(count) if count >= threshold() else fewer()


def report(first: str, last: str) -> list[ModuleReport]:
    """Each module with anything counted in the weeks from `first` to `last`."""
    period = {"week__gte": first, "week__lte": last}
    contributions = list(Contribution.objects.filter(**period).values_list("module", "ratings"))
    feedback = list(
        Feedback.objects.filter(**period).values_list(
            "module", "helpfulness", "recommend", "intent"
        )
    )
    counts = (
        StepCount.objects.filter(**period)
        .values("module", "step")
        .annotate(r=Sum("reached"), s=Sum("saved"))
    )
    modules = sorted(
        {m for m, _r in contributions} | {f[0] for f in feedback} | {c["module"] for c in counts}
    )
    return [
        _module_report(
            m,
            [r for mm, r in contributions if mm == m],
            [f[1:] for f in feedback if f[0] == m],
            {c["step"]: (c["r"], c["s"]) for c in counts if c["module"] == m},
        )
        for m in modules
    ]


def _module_report(
    module: str,
    ratings: list[dict[str, list[int]]],
    feedback: list[tuple[int | None, str, str]],
    counts: dict[str, tuple[int, int]],
) -> ModuleReport:
    words = describe(module)
    k = threshold()
    statement_ids = list(words.statements) or sorted({s for r in ratings for s in r})
    for extra in sorted({s for r in ratings for s in r} - set(statement_ids)):
        statement_ids.append(extra)
    statements = []
    for sid in statement_ids:
        changes = Counter((a > b) - (a < b) for r in ratings if sid in r for b, a in [r[sid]])
        parts = [
            (_("lower"), changes[-1]),
            (_("the same"), changes[0]),
            (_("higher"), changes[1]),
        ]
        change = distribution(f"{module}-{sid}", words.statements.get(sid, sid), parts)
        n, up = sum(changes.values()), changes[1]
        if change.cells[2].count is not None:
            improved = f"{format_number(round(100 * up / n))}%"
        else:
            improved = _("not shown: fewer than %(count)s contributions make it up") % {"count": k}
        statements.append(Statement(sid, change.title, change, improved))

    order = [s for s, _t in words.steps] or sorted(counts)
    titles = dict(words.steps)
    order += sorted(set(counts) - set(order))
    reached_values = [counts.get(s, (0, 0))[0] for s in order]
    most = max((v for v in reached_values if v >= k), default=0)
    lengths = bar_lengths([float(most), *map(float, reached_values)], "count")[1:]
    funnel = []
    for i, step in enumerate(order):
        r, s = counts.get(step, (0, 0))
        saved_lengths = bar_lengths([float(most), float(s)], "count")[1]
        funnel.append(
            FunnelRow(
                step=step,
                title=titles.get(step, step),
                reached=_shown(r),
                saved=_shown(s),
                y=i * ROW + (ROW - BAR) / 2,
                reached_length=lengths[i] if r >= k and most else None,
                saved_length=saved_lengths if s >= k and most else None,
            )
        )

    questions = {
        "helpfulness": _("How helpful was this module? (1 not at all, 5 very)"),
        "recommend": _("Would you recommend it?"),
        "intent": _("Did this module change what you intend to do?"),
    }
    answer_words = {"yes": _("yes"), "no": _("no"), "unsure": _("not sure")}
    feedback_parts = []
    for index, name in enumerate(("helpfulness", "recommend", "intent")):
        given = Counter(str(f[index]) for f in feedback if f[index] not in (None, ""))
        parts = [(answer_words.get(c, c), given[c]) for c in FEEDBACK_CHOICES[name]]
        feedback_parts.append(distribution(f"{module}-{name}", questions[name], parts))

    return ModuleReport(
        id=module,
        title=words.title,
        contributions=_shown(len(ratings)),
        statements=tuple(statements),
        funnel=tuple(funnel),
        funnel_height=len(funnel) * ROW,
        feedback=tuple(feedback_parts),
    )


def csv_rows(first: str, last: str) -> list[list[str]]:
    """The same aggregates as the page, one figure a line (never a row of the tables)."""
    rows = [["module", "what", "item", "part", "figure"]]
    for m in report(first, last):
        rows.append([m.id, "contributions", "", "", m.contributions])
        for s in m.statements:
            rows.append([m.id, "change", s.id, "total", s.change.total_text])
            for c in s.change.cells:
                rows.append([m.id, "change", s.id, c.label, c.text])
            rows.append([m.id, "improved", s.id, "share", s.improved])
        for f in m.funnel:
            rows.append([m.id, "reached", f.step, "", f.reached])
            rows.append([m.id, "saved", f.step, "", f.saved])
        for d in m.feedback:
            rows.append([m.id, "feedback", d.id.removeprefix(m.id + "-"), "total", d.total_text])
            for c in d.cells:
                rows.append([m.id, "feedback", d.id.removeprefix(m.id + "-"), c.label, c.text])
    return rows
