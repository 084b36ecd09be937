"""`python -m bench.creation_flood`: what a flood of new journals does to other visitors.

The production server (`make run`'s gunicorn, 2 workers, the shipped key derivation) on a fresh
SQLite database. First another visitor, who has a journal, reads a step page for a while: its
median time is the baseline. Then `FLOOD_CLIENTS` clients loop "new session → first save"
(each save would make a journal) while the same visitor keeps reading: its median then, how
many journals were made and how many first saves were turned away (issue 16, finding 3).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECONDS = float(os.environ.get("FLOOD_SECONDS", "10"))
CLIENTS = int(os.environ.get("FLOOD_CLIENTS", "8"))
# The first step that asks something: its first save makes a journal (a reading step makes none).
STEP_ID = "start"
STEP = f"/m/reality/{STEP_ID}/"
OFF = os.environ.get("FLOOD_LIMITS") == "off"


def measure(base: str, db: Path, seconds: float = SECONDS, clients: int = CLIENTS) -> dict:
    """The other visitor's median (ms) alone and under the flood, and what the flood made."""
    sys.path.insert(0, str(ROOT))
    from tests.helpers.forms import the_form
    from tests.helpers.livewalk import Browser
    from tests.helpers.walk import fill

    def first_save(browser: Browser) -> int:
        _, page, _ = browser.get(STEP)
        data, _ = fill(the_form(page), STEP_ID, "flood")
        return browser.post(STEP, data)[0]

    reader = Browser(base)
    assert first_save(reader) == 303

    def read_for(stop: float) -> list[float]:
        times = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, _, _ = reader.get(STEP)
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
            time.sleep(0.02)
        return times

    alone = read_for(time.monotonic() + seconds / 2)
    journals_before = _journals(db)
    statuses: list[int] = []
    started = time.monotonic()
    stop = started + seconds

    def flood() -> None:
        while time.monotonic() < stop:
            statuses.append(first_save(Browser(base)))

    threads = [threading.Thread(target=flood) for _ in range(clients)]
    for t in threads:
        t.start()
    under = read_for(stop)
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started  # the last saves end after `stop`
    return {
        "alone_ms": statistics.median(alone),
        "under_flood_ms": statistics.median(under),
        "first_saves": len(statuses),
        "made": _journals(db) - journals_before,
        "turned_away": sum(1 for s in statuses if s == 429),
        "other": sorted({s for s in statuses if s not in (303, 429)}),
        "seconds": seconds,
        "elapsed": elapsed,
    }


def capacity(base: str, pid: int, seconds: float = 10.0, clients: int = 4) -> dict:
    """Journal creations per second: `clients` loop "new session → first save" as fast as the
    server answers (run it with the site's limits off). Each first save's time (the POST that
    makes the journal), and the peak memory of the server's processes (VmHWM)."""
    sys.path.insert(0, str(ROOT))
    from tests.helpers.forms import the_form
    from tests.helpers.livewalk import Browser
    from tests.helpers.walk import fill

    times: list[float] = []
    statuses: list[int] = []
    stop = time.monotonic() + seconds

    def loop() -> None:
        while time.monotonic() < stop:
            browser = Browser(base)
            _, page, _ = browser.get(STEP)
            data, _ = fill(the_form(page), STEP_ID, "capacity")
            started = time.perf_counter()
            statuses.append(browser.post(STEP, data)[0])
            times.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    ordered = sorted(times)
    made = sum(1 for s in statuses if s == 303)
    return {
        "clients": clients,
        "seconds": elapsed,
        "made": made,
        "per_second": made / elapsed,
        "errors": len(statuses) - made,
        "p50_ms": statistics.median(ordered) if ordered else 0.0,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0,
        "peak_kib": _peak_kib(pid),
    }


def _peak_kib(pid: int) -> dict[str, int]:
    """VmHWM (the most resident memory a process ever had) of a process and its children."""
    peaks: dict[str, int] = {}
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    pids += [int(c) for c in children]
    for number, one in enumerate(pids):
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks["master" if number == 0 else f"worker {number}"] = int(found.group(1))
    return peaks


def _journals(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM journal_journal").fetchone()[0]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings.dev")
    sys.path.insert(0, str(ROOT))
    from tests.helpers.live import migrate, server_env, serving

    tmp = Path(tempfile.mkdtemp(prefix="baken-flood-"))
    env = server_env(
        tmp,
        # FLOOD_LIMITS=off: no limit on new journals, as before issue 16's finding 3
        BAKEN_NEW_JOURNALS_PER_SECOND="1000000" if OFF else "5",
        BAKEN_ONE_NEW_JOURNAL_AT_A_TIME="0" if OFF else "1",
    )
    migrate(env)
    with serving(env, tmp / "server.log") as base:
        result = measure(base, tmp / "server.sqlite3")
    print(
        ("no limit on new journals; " if OFF else "new journals: 5/s, one at a time; ")
        + f"load average {os.getloadavg()[0]:.1f}; "
        + f"{CLIENTS} clients looping 'new session → first save' for {result['seconds']:g} s: "
        f"{result['first_saves']} first saves, {result['made']} journals made "
        f"({result['made'] / result['seconds']:.1f}/s), {result['turned_away']} turned away (429)"
        + (f", other statuses {result['other']}" if result["other"] else "")
    )
    print(
        f"another visitor's step page, median: {result['alone_ms']:.1f} ms alone, "
        f"{result['under_flood_ms']:.1f} ms under the flood"
    )
    if not re.search(r"error", (tmp / "server.log").read_text(), re.I):
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
