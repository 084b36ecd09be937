"""A flood of new conversations against the production server (issue 18, point 5).

Clients loop "new session → message → phrase → send"; a visitor already in a conversation
goes on writing, and a newcomer writes for the first time. Nobody is locked out by the site's
count of new conversations: past the hour's budget they are sent and marked, listed after the
others (`bench/message_flood.py` measures the same, longer, and prints the times).
"""

from __future__ import annotations

import pytest

from bench.message_flood import make_inbox, measure
from tests.helpers.live import migrate, server_env, serving

pytestmark = pytest.mark.live


def test_a_flood_of_new_conversations_locks_no_real_visitor_out(tmp_path):
    env = server_env(tmp_path, BAKEN_MESSAGE_NEW_PER_HOUR="3")
    migrate(env)
    make_inbox(env)
    log = tmp_path / "server.log"
    with serving(env, log) as base:
        result = measure(
            base, tmp_path / "server.sqlite3", seconds=5.0, clients=4, shares_waited=False
        )
    print(result)
    assert result["other"] == [], log.read_text()[-3000:]
    assert result["talking_sent"] == [303, 303, 303]  # never counted, never refused
    assert result["talking_place"] == 1  # first in the inbox: the flood came later
    assert result["newcomer_sent"] and result["newcomer_surge"]  # sent, and marked
    # pressing again a second later, the newcomer may use the part of the budget kept for them
    assert result["newcomer_attempts"] <= 5, result
    assert result["surge"] == result["conversations"] - 3  # every one past the budget marked
    assert "more than 3 new conversations this hour" in log.read_text()
