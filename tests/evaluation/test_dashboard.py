"""The coordinators' dashboard: the threshold, the figures, the CSV, the system check."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from evaluation.models import Contribution, Feedback, StepCount
from evaluation.service import iso_week
from staff.roles import Role
from tests.helpers.staff import PREFIX, signed_in

pytestmark = pytest.mark.django_db
DASHBOARD = f"{PREFIX}/evaluation/"


def contributions(count: int, before: int = 1, after: int = 3) -> None:
    for _ in range(count):
        Contribution.objects.create(
            module="reality",
            week=iso_week(),
            ratings={s: [before, after] for s in ("abuse-is-real", "own-justifications")},
        )


@pytest.fixture
def coordinator(client):
    return signed_in(client, "coordinator-eva", Role.COORDINATOR)


def test_nine_contributions_show_fewer_than_ten(coordinator):
    contributions(9)
    page = coordinator.get(DASHBOARD).content.decode()
    assert "minder dan 10" in page  # the staff area speaks the default language
    assert "Bijdragen van" in page
    assert "100%" not in page and ">9<" not in page and " 9." not in page


def test_ten_contributions_show_the_figures(coordinator):
    contributions(10)
    page = coordinator.get(DASHBOARD).content.decode()
    assert "<td>10</td>" in page and "100%" in page
    assert "<svg" in page and "<table" in page


def test_a_lone_hidden_part_hides_another_so_it_cannot_be_subtracted(coordinator):
    contributions(12)
    contributions(3, before=2, after=1)  # 3 lower, 12 higher, 0 the same: total 15
    page = coordinator.get(DASHBOARD).content.decode()
    assert "Totaal: 15." in page
    assert "<td>12</td>" not in page  # hidden too: 15 − 12 would give the 3 away
    assert "niet getoond (het zou een kleiner aantal verraden)" in page
    contributions(10, before=2, after=1)  # 13 lower, 0 the same, 12 higher
    page = coordinator.get(DASHBOARD).content.decode()
    assert "<td>12</td>" in page and "<td>13</td>" in page


def test_reach_counts_below_the_threshold_are_hidden(coordinator):
    week = iso_week()
    StepCount.objects.create(module="reality", step="goals", week=week, reached=10, saved=9)
    page = coordinator.get(DASHBOARD).content.decode()
    assert "<td>10</td><td>minder dan 10</td>" in page


def test_the_csv_has_aggregates_only(coordinator):
    contributions(10)
    Feedback.objects.create(module="reality", week=iso_week(), helpfulness=4)
    response = coordinator.get(f"{DASHBOARD}figures.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["module", "what", "item", "part", "figure"]
    assert ["reality", "contributions", "", "", "10"] in rows
    assert ["reality", "change", "abuse-is-real", "hoger", "10"] in rows
    # No row of a table: no id, and the one feedback row shows as "fewer than 10".
    text = response.content.decode()
    for pk in Contribution.objects.values_list("pk", flat=True):
        assert str(pk) not in text and pk.hex not in text
    assert ["reality", "feedback", "helpfulness", "total", "minder dan 10"] in rows


def test_the_period_chooser_limits_the_weeks(coordinator):
    contributions(10)
    Contribution.objects.update(week="2020-W01")
    contributions(10)
    page = coordinator.get(f"{DASHBOARD}?from=2020-W01&to=2020-W01").content.decode()
    assert "<td>10</td>" in page
    page = coordinator.get(DASHBOARD).content.decode()
    assert "<td>20</td>" in page


@pytest.mark.parametrize(("value", "refused"), [(9, True), (0, True), (10, False), (25, False)])
def test_the_threshold_may_only_be_raised(value, refused):
    with override_settings(BAKEN_EVALUATION_MIN_COUNT=value):
        errors = [e for e in run_checks() if e.id == "baken.E101"]
    assert bool(errors) == refused


@override_settings(BAKEN_EVALUATION_MIN_COUNT=20)
def test_a_raised_threshold_hides_more(coordinator):
    contributions(15)
    page = coordinator.get(DASHBOARD).content.decode()
    assert "minder dan 20" in page and "<td>15</td>" not in page
