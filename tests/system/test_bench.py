"""`make bench`'s frame baseline is the app minus a step's own work, and its report is right.

The frame (bench/frame_settings.py) must cost what a step costs outside its view: the same
middleware and headers, the visitor's session read from the database, the same page
compressed. If it skipped any of that, the report would understate what a step's own work
takes.
"""

from __future__ import annotations

import gzip

from django.db import connection
from django.test.utils import CaptureQueriesContext

import bench.floor
from bench.__main__ import _room, budget, summarise
from tests.helpers.walk import start_journal
from tests.journal.test_queries import CONTROL

HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cache-Control",
    "Content-Type",
    "Vary",
]


def test_the_frame_runs_the_whole_middleware_and_reads_the_session(
    client, module, settings, monkeypatch
):
    start_journal(client, module)
    url = f"/m/{module.id}/{module.steps[1].id}/"
    step = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert step.status_code == 200
    page = gzip.decompress(step.content)
    monkeypatch.setattr(bench.floor, "BODY", page)
    settings.ROOT_URLCONF = "bench.floor"

    with CaptureQueriesContext(connection) as captured:
        framed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert framed.status_code == 200
    assert framed["Content-Encoding"] == "gzip"
    assert gzip.decompress(framed.content) == page
    for name in HEADERS:
        assert framed[name] == step[name], name
    sent = [q["sql"] for q in captured.captured_queries if not CONTROL.match(q["sql"])]
    assert len(sent) == 1, sent
    assert "visitorsession" in sent[0].lower()


def test_the_report_says_what_the_budget_leaves_for_a_steps_and_a_saves_own_work():
    rows = [
        {"name": "floor", "rps": 6000.0, "ratio": 1.0},
        {"name": "frame", "rps": 3000.0, "ratio": 0.5},
        {"name": "peer", "rps": 800.0, "ratio": 0.13},
        {"name": "step", "rps": 1500.0, "ratio": 0.25},
        {"name": "save", "rps": 1000.0, "ratio": 0.17},
    ]
    # Step: 1/1500 s - 1/3000 s = 333 µs taken; of its lines, 2 × the peer asks for more
    # (1,600 req/s) than 0.5 × the frame (1,500): 1/1600 s - 1/3000 s = 292 µs allowed.
    # Save: 1/1000 s - 1/3000 s = 667 µs taken; 1/(0.3 × 3000) s - 1/3000 s = 778 µs allowed.
    assert _room(rows) == (
        "The frame alone reaches 0.50 × the floor. Per request, the machine (1 ÷ req/s) "
        "spends 333 µs on a step's own work (its key, its answers, its page) beyond the "
        "frame; 2 × the peer (1,600 req/s) would leave it 292 µs; and 667 µs on a save's (its "
        "form, its key, the commit) beyond the frame; 0.3 × the frame (900 req/s) would leave "
        "it 778 µs."
    )
    assert _room([row for row in rows if row["name"] != "frame"]) == ""
    assert _room(rows[:3]) == ""


def test_the_report_says_so_when_the_frame_alone_misses_the_budget():
    rows = [
        {"name": "floor", "rps": 6000.0, "ratio": 1.0},
        {"name": "frame", "rps": 2000.0, "ratio": 0.33},
        {"name": "peer", "rps": 1100.0, "ratio": 0.18},
        {"name": "step", "rps": 1500.0, "ratio": 0.25},
    ]
    assert _room(rows).endswith(
        "spends 167 µs on a step's own work (its key, its answers, its page) beyond the frame; "
        "2 × the peer (2,200 req/s) would leave it nothing: the frame alone does not reach it."
    )


def test_the_budget_says_which_of_its_conditions_are_missed_with_their_figures():
    save = {"name": "save", "to": {"frame": 0.25, "peer": 0.9}, "p99_ms": 70.0, "errors": 0}
    assert budget(save) == "MISSED: ≥ 0.3 × frame (0.25); MET: p99 < 100 ms (70.0), 0 errors (0)"
    assert budget(save | {"to": {"frame": 0.3}}) == (
        "MET: ≥ 0.3 × frame (0.30), p99 < 100 ms (70.0), 0 errors (0)"
    )
    assert budget(save | {"p99_ms": 100.0, "errors": 3}) == (
        "MISSED: ≥ 0.3 × frame (0.25), p99 < 100 ms (100.0), 0 errors (3)"
    )
    step = {"name": "step", "to": {"frame": 0.55, "peer": 1.9}}
    assert budget(step) == "MISSED: ≥ 2 × peer (1.90); MET: ≥ 0.5 × frame (0.55)"
    assert budget(step | {"to": {"frame": 0.5, "peer": 2.0}}) == (
        "MET: ≥ 2 × peer (2.00), ≥ 0.5 × frame (0.50)"
    )
    assert budget({"name": "summary", "to": {"frame": 0.2, "peer": 0.5}}) == ""


def test_the_ratios_to_the_baselines_are_medians_of_the_same_rounds_ratios():
    def result(rps: float) -> dict:
        return {
            "rps": rps,
            "p50_ms": 1.0,
            "p99_ms": 2.0,
            "requests": 1,
            "errors": 0,
            "error_detail": {},
            "cpu_ms": None,
        }

    rounds = [
        {"floor": result(f), "frame": result(fr), "peer": result(p), "step": result(s)}
        for f, fr, p, s in [
            (6000, 3000, 1000, 1500),
            (3000, 1000, 400, 1000),
            (6000, 2000, 1000, 1800),
        ]
    ]
    step = next(row for row in summarise({"rounds": rounds}) if row["name"] == "step")
    # Same-round ratios to the peer: 1.5, 2.5, 1.8 (median 1.8); the ratio of the medians
    # (1500 ÷ 1000) would be 1.5. To the frame: 0.5, 1.0, 0.9.
    assert step["to"] == {"frame": 0.9, "peer": 1.8}
