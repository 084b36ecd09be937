"""The evaluation dashboard in the staff area (coordinators): figures of a chosen period, and
the same figures as CSV."""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from staff.roles import Permission
from staff.views import staff_page

from . import stats

WEEK = re.compile(r"^\d{4}-W\d{2}$")


def _period(request: HttpRequest, weeks: list[str]) -> tuple[str, str]:
    first = request.GET.get("from", "")
    last = request.GET.get("to", "")
    if not WEEK.match(first):
        first = weeks[0] if weeks else ""
    if not WEEK.match(last):
        last = weeks[-1] if weeks else ""
    if first > last:
        first, last = last, first
    return first, last


@staff_page(Permission.EVALUATION)
def dashboard(request: HttpRequest) -> HttpResponse:
    weeks = stats.weeks()
    first, last = _period(request, weeks)
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "weeks": weeks,
            "first": first,
            "last": last,
            "modules": stats.report(first, last) if weeks else [],
            "k": stats.threshold(),
        },
    )


@staff_page(Permission.EVALUATION)
def export(request: HttpRequest) -> HttpResponse:
    first, last = _period(request, stats.weeks())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", f"{first} – {last}"])
    writer.writerows(stats.csv_rows(first, last))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="baken-evaluation.csv"'
    return response
