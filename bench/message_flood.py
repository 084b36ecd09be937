"""`python -m bench.message_flood`: what a flood of new conversations does to real visitors.

The production server (`make run`'s gunicorn, 2 workers) on a fresh SQLite database with an
inbox key. A visitor already in a conversation writes before the flood (the baseline) and
during it; `FLOOD_CLIENTS` clients loop "new session → message → phrase → send it, then as many
as the journal may" (each loop a new journal); halfway, a newcomer writes for the first time and
presses Send again while the site says it is busy. Printed: whether both real visitors' messages
were sent, their times, what the flood made, and where the inbox lists the real visitors
(issue 18, point 5: no site-wide limit a flood can use to lock real visitors out).
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECONDS = float(os.environ.get("FLOOD_SECONDS", "10"))
CLIENTS = int(os.environ.get("FLOOD_CLIENTS", "8"))
# FLOOD_SHARES_WAITED=1: the flood copies the "waited" cookie of its first turned-away send
# into every new session, as a flood written against this site would.
SHARES_WAITED = os.environ.get("FLOOD_SHARES_WAITED") == "1"
ADMIN, PASSWORD = "beheer-bench", "een lange neutrale testzin voor de bench"  # noqa: S105


def make_inbox(env: dict[str, str]) -> None:
    """An administrator and the inbox key, as an operator makes them (docs/staff.md)."""
    for command, stdin in (
        (["createstaff", ADMIN], f"{PASSWORD}\n{PASSWORD}\n"),
        (["initinbox", ADMIN], f"{PASSWORD}\n"),
    ):
        subprocess.run(
            [BIN / "python", "manage.py", *command],
            env=env,
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )


def measure(
    base: str,
    db: Path,
    seconds: float = SECONDS,
    clients: int = CLIENTS,
    shares_waited: bool = SHARES_WAITED,
) -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.helpers.forms import forms
    from tests.helpers.livewalk import Browser

    def send(browser: Browser, text: str) -> tuple[int, float]:
        """Send from /messages/; through the phrase page if this is the first. (status, ms)"""
        started = time.perf_counter()
        for _ in range(2):
            _, page, _ = browser.get("/messages/")
            form = next(f for f in forms(page) if f.action == "/messages/")
            status, page, headers = browser.post("/messages/", {**form.fields, "message": text})
            if status == 429:
                assert text in page, "a refused message must stay in the field"
            if status != 303 or not headers["Location"].startswith("/journal/phrase/"):
                break
            browser.get(headers["Location"])  # the phrase is shown; the text waits on /messages/
        return status, (time.perf_counter() - started) * 1000

    talking = Browser(base)
    assert send(talking, "een neutraal eerste bericht")[0] == 303
    first = _conversations(db)[0]
    alone = [send(talking, "een neutraal bericht voor de vloed")]

    stop = time.monotonic() + seconds
    statuses: list[int] = []
    waited: list = []  # the "waited" cookie, when the flood shares it

    def flood() -> None:
        while time.monotonic() < stop:
            browser = Browser(base)
            for cookie in waited if shares_waited else ():
                browser.jar.set_cookie(cookie)
            while time.monotonic() < stop:
                status, _ = send(browser, "een neutraal bericht uit de vloed")
                statuses.append(status)
                if status != 303:
                    waited[:] = waited or [c for c in browser.jar if c.name == "waited"]
                    break  # this journal's limit, or busy: a new session

    threads = [threading.Thread(target=flood) for _ in range(clients)]
    for t in threads:
        t.start()
    time.sleep(seconds / 4)
    during = [send(talking, "een neutraal bericht tijdens de vloed") for _ in range(2)]
    newcomer, attempts, newcomer_status, newcomer_ms = Browser(base), 0, 0, 0.0
    while newcomer_status != 303 and attempts < 60:  # after the flood, the first one goes
        attempts += 1
        newcomer_status, newcomer_ms = send(newcomer, "een neutraal bericht van een nieuwkomer")
        if newcomer_status != 303:
            time.sleep(1)  # "press Send again in a moment"
    newcomer_in_flood = time.monotonic() < stop
    for t in threads:
        t.join()
    rows = _conversations(db)
    newcomer_row = rows[-1] if newcomer_status == 303 else None
    # the inbox order (conversations.service.inbox_list): not in a surge first, oldest first
    waiting = sorted(rows, key=lambda r: (r[1], r[2], r[0]))
    return {
        "talking_sent": [s for s, _ in alone + during],
        "talking_alone_ms": alone[0][1],
        "talking_under_flood_ms": statistics.median(ms for _, ms in during),
        "newcomer_sent": newcomer_status == 303,
        "newcomer_in_flood": newcomer_in_flood,
        "newcomer_attempts": attempts,
        "newcomer_ms": newcomer_ms,
        "newcomer_surge": bool(newcomer_row and newcomer_row[1]),
        "flood_posts": len(statuses),
        "flood_sent": sum(1 for s in statuses if s == 303),
        "flood_refused": sum(1 for s in statuses if s == 429),
        "other": sorted({s for s in statuses if s not in (303, 429)}),
        "conversations": len(rows),
        "surge": sum(1 for r in rows if r[1]),
        "talking_place": [r[0] for r in waiting].index(first[0]) + 1,
        "seconds": seconds,
    }


def _conversations(db: Path) -> list[tuple[int, int, str]]:
    """(pk, surge, waiting since) of every conversation, in the order they were made."""
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT id, surge, waiting_since FROM conversations_conversation ORDER BY id"
        ).fetchall()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings.dev")
    sys.path.insert(0, str(ROOT))
    from tests.helpers.live import migrate, server_env, serving

    tmp = Path(tempfile.mkdtemp(prefix="baken-message-flood-"))
    env = server_env(tmp)
    migrate(env)
    make_inbox(env)
    with serving(env, tmp / "server.log") as base:
        r = measure(base, tmp / "server.sqlite3")
    print(
        f"load average {os.getloadavg()[0]:.1f}; {CLIENTS} clients flooding for {r['seconds']:g} s"
        + (", sharing one 'waited' cookie" if SHARES_WAITED else "")
        + " "
        f"(new journals 5/s, 30 new conversations an hour before the surge mark): "
        f"{r['flood_posts']} sends, {r['flood_sent']} sent, {r['flood_refused']} turned away "
        f"(429: a journal's limit or a busy second), {r['conversations']} conversations, "
        f"{r['surge']} marked 'started in a surge'"
        + (f", other statuses {r['other']}" if r["other"] else "")
    )
    print(
        f"visitor already in a conversation: statuses {r['talking_sent']}, "
        f"{r['talking_alone_ms']:.0f} ms alone, median {r['talking_under_flood_ms']:.0f} ms under "
        f"the flood, place {r['talking_place']} in the inbox"
    )
    print(
        f"newcomer, from a quarter into the flood: sent={r['newcomer_sent']} "
        f"(still during the flood: {r['newcomer_in_flood']}) after {r['newcomer_attempts']} "
        f"attempt(s) a second apart, the last {r['newcomer_ms']:.0f} ms; "
        f"marked surge={r['newcomer_surge']}"
    )


if __name__ == "__main__":
    main()
