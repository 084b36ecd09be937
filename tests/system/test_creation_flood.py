"""A flood of new journals against the production server (issue 16, finding 3).

Clients loop "new session → first save" while another visitor reads a step page; the site's
budget of new journals per second holds (`bench/creation_flood.py` measures the same, longer,
and prints the other visitor's median alone and under the flood).
"""

from __future__ import annotations

import math

import pytest

from bench.creation_flood import measure
from tests.helpers.live import migrate, server_env, serving

pytestmark = pytest.mark.live

SECONDS, CLIENTS, BUDGET = 6.0, 6, 1


def test_a_flood_of_first_saves_makes_no_more_journals_than_the_budget(tmp_path):
    env = server_env(tmp_path, BAKEN_NEW_JOURNALS_PER_SECOND=str(BUDGET))
    migrate(env)
    log = tmp_path / "server.log"
    with serving(env, log) as base:
        result = measure(base, tmp_path / "server.sqlite3", SECONDS, CLIENTS)
    print(result)
    assert result["other"] == [], log.read_text()[-3000:]
    # Windows are whole seconds: the flood spans at most its length, rounded up, plus one.
    assert result["made"] <= BUDGET * (math.ceil(result["elapsed"]) + 1), result
    assert result["made"] > 0, result  # the first saves do make journals
    assert result["made"] < result["first_saves"], result  # some were turned away
