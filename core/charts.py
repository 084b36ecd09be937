"""What every server-drawn chart shares (the factsheet's, the evaluation dashboard's): numbers
written the active language's way, bar lengths and the parts of a whole, on a 0–100 scale
across, so a drawing scales with its container and its labels stay in HTML."""

from __future__ import annotations

from django.utils.formats import number_format

ROW = 10  # the height of one bar's row, in SVG units
BAR = 5  # the thickness of a bar, centred in its row
SEGMENT_GAP = 0.8  # white space between the parts of a proportion, so no colour touches another
MIN_SEGMENT = 0.6  # a tiny share stays visible


def format_number(value: float) -> str:
    """A number the way the active language writes it: 255.571 in Dutch, 255,571 in English."""
    if value == int(value):
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


def bar_lengths(values: list[float], unit: str) -> list[float]:
    """Bar lengths out of 100: percentages against the whole, other units against the largest."""
    scale = 100.0 if unit == "percent" else max(values, default=0) or 1.0
    return [round(100 * v / scale, 2) for v in values]


def segments(values: list[float]) -> list[tuple[float, float]]:
    """(start, width) of each part of a whole out of 100, with a white gap after each part."""
    result, start = [], 0.0
    for value in values:
        width = max(MIN_SEGMENT, value - SEGMENT_GAP)
        result.append((round(start, 2), round(width, 2)))
        start += value
    return result
