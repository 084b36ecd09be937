"""`python -m bench` (`make bench`): measure the production server, with baselines, in one run.

For each database (SQLite, PostgreSQL) the app is started as `make run` starts it, visitors are
made through the site, and wrk drives each kind of request for a fixed time. In the same run,
round by round: the framework floor (same server and Django, no middleware, a constant page of
the same size), nginx serving a saved copy of the page when nginx is installed, the app's frame
(its middleware and sessions around the same constant page) and the peer (the same step built
the conventional Django way, bench/peer/, on its own database of the same engine). Results: a
table on stdout, var/bench/report.md and var/bench/results.json.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import creation_flood
from . import visitors as visitor_setup

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "var" / "bench"))
WRK_DIR = Path(__file__).resolve().parent / "wrk"

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARMUP_SECONDS = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
THREADS = 2
VISITORS = int(os.environ.get("BENCH_VISITORS", "128"))
DISK_PROBE_SECONDS = float(os.environ.get("BENCH_DISK_SECONDS", "10"))
TRACE = os.environ.get("BENCH_TRACE") == "1"
SLOW_SAVE_MS = 15.0
BACKENDS = [
    b.strip() for b in os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",") if b.strip()
]
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/baken_bench"
)
FIRST_STEP = "/m/reality/goals/"
PEER = "_peer"  # the peer's database: bench_peer.sqlite3, or baken_bench_peer on PostgreSQL
SAVE_TAG = "benchsave"

# The budget (docs/performance.md): ratios to baselines measured in the same rounds. A step
# ≥ 2 × the peer and ≥ 0.5 × the frame; a save ≥ 0.3 × the frame, p99 < 100 ms, no errors.
STEP_PEER, STEP_FRAME, SAVE_FRAME = 2.0, 0.5, 0.3
SAVE_P99_MS, START_SECONDS, PAGE_BYTES = 100.0, 2.0, 14 * 1024
LINES = {"step": (("peer", STEP_PEER), ("frame", STEP_FRAME)), "save": (("frame", SAVE_FRAME),)}


@dataclass
class Result:
    name: str
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    errors: int = 0
    error_detail: dict[str, int] = field(default_factory=dict)
    cpu_ms: float | None = None  # the server's processes' CPU time per request

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn started exactly as `make run` starts it (config file, workers, preload)."""

    def __init__(self, app: str, env: dict[str, str], log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("ab")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [
                BIN / "gunicorn",
                app,
                "--config",
                "baken/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait(self, path: str, timeout: float = 30) -> float:
        """Seconds from the start of the process to the first page served."""
        while True:
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as response:
                    if response.status == 200:
                        return time.monotonic() - self.started
            except (OSError, urllib.error.HTTPError):
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {self.log.name}")
            if time.monotonic() - self.started > timeout:
                raise RuntimeError(f"no page after {timeout} s; see {self.log.name}")
            time.sleep(0.01)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


class Nginx:
    """nginx serving a saved copy of the page (compressed and plain), if nginx is installed."""

    def __init__(self, folder: Path, page: bytes, compressed: bytes | None):
        binary = shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
        )
        if binary is None:
            raise FileNotFoundError("nginx")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        html = folder / "html"
        html.mkdir(parents=True, exist_ok=True)
        (html / "page.html").write_bytes(page)
        if compressed is not None:
            (html / "page.html.gz").write_bytes(compressed)
        for part in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / "spool" / part).mkdir(parents=True, exist_ok=True)
        temp = " ".join(
            f"{kind}_temp_path {folder}/spool/{part};"
            for kind, part in (
                ("client_body", "body"),
                ("proxy", "proxy"),
                ("fastcgi", "fastcgi"),
                ("uwsgi", "uwsgi"),
                ("scgi", "scgi"),
            )
        )
        conf = folder / "nginx.conf"
        conf.write_text(f"""
worker_processes 2;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  {temp}
  server {{
    listen 127.0.0.1:{self.port};
    root {html};
    location = /page.html {{ default_type "text/html; charset=utf-8"; gzip_static on; }}
  }}
}}
""")
        self.process = subprocess.Popen([binary, "-c", str(conf), "-e", str(folder / "error.log")])
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(self.base + "/page.html", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"nginx did not start; see {folder}/error.log") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and all its descendants that are
    still running: a gunicorn master and its workers, nginx and its workers."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # gone meanwhile
    return total


def wrk(
    name: str, url: str, script: str, *args: str, seconds: int = SECONDS, pid: int | None = None
) -> Result:
    """Drive one kind of request with wrk for `seconds`; the script reports one JSON line.
    With the server's `pid`, also the CPU time its processes spent per request."""
    before = cpu_seconds(pid) if pid is not None else 0.0
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "-s",
        str(WRK_DIR / script),
        url,
        "--",
        *args,
    ]
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_WRK_DIR": str(WRK_DIR)},
    )
    line = next((x for x in run.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{run.stdout}\n{run.stderr}")
    data = json.loads(line[6:])
    detail = {k: data[k] for k in ("unexpected", "connect", "read", "write", "timeout") if data[k]}
    cpu_ms = None
    if pid is not None and data["requests"]:
        cpu_ms = (cpu_seconds(pid) - before) * 1000 / data["requests"]
    return Result(
        name,
        data["requests"],
        data["seconds"],
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        data["max_us"] / 1000,
        sum(detail.values()),
        detail,
        cpu_ms,
    )


def fetch(url: str, cookie: str = "") -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", "Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), dict(response.headers)


# --- one database ------------------------------------------------------------------------------


def prepare_database(backend: str, folder: Path, suffix: str = "") -> str:
    """A new, empty database for this run: the app's, or with a suffix (`_peer`) another."""
    if backend == "sqlite":
        for extra in ("", "-wal", "-shm"):
            Path(f"{folder}/bench{suffix}.sqlite3{extra}").unlink(missing_ok=True)
        return f"sqlite:///{folder}/bench{suffix}.sqlite3"
    if backend == "postgresql":
        _postgres_admin(f'DROP DATABASE IF EXISTS "{_pg_name(suffix)}" WITH (FORCE)')
        _postgres_admin(f'CREATE DATABASE "{_pg_name(suffix)}"')
        return urlsplit(POSTGRES_URL)._replace(path=f"/{_pg_name(suffix)}").geturl()
    raise SystemExit(f"unknown backend {backend!r}: use sqlite and/or postgresql")


def _pg_name(suffix: str = "") -> str:
    return urlsplit(POSTGRES_URL).path.lstrip("/") + suffix


def _postgres_admin(sql: str) -> None:
    import psycopg

    parts = urlsplit(POSTGRES_URL)
    try:
        with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as db:
            db.execute(sql)
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"PostgreSQL is not reachable at {parts.hostname}:{parts.port}: {error}\n"
            "Start it, set BENCH_POSTGRES_URL, or run BENCH_BACKENDS=sqlite make bench."
        ) from None


def drop_database(backend: str, suffix: str = "") -> None:
    if backend == "postgresql":
        _postgres_admin(f'DROP DATABASE IF EXISTS "{_pg_name(suffix)}" WITH (FORCE)')


def bench_backend(backend: str) -> dict[str, Any]:
    folder = OUT / backend
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "baken.settings.dev",
        "BAKEN_VAR_DIR": str(folder / "var"),
        "DATABASE_URL": prepare_database(backend, folder),
        # A live site always shows its helpline (and works out "open now" for every page).
        "BAKEN_HELPLINE_FILE": str(ROOT / "config" / "helpline.example.yaml"),
        # The visitors' journals, and the creations round, are made as fast as the server can
        # (the site's limits on new journals are measured by bench.creation_flood).
        "BAKEN_NEW_JOURNALS_PER_SECOND": "100000",
        "BAKEN_ONE_NEW_JOURNAL_AT_A_TIME": "0",
    }
    # Only variables Baken reads (BAKEN_*) pass through, so the run is the same on any machine.
    env.update({k: v for k, v in os.environ.items() if k.startswith("BAKEN_")})
    log = folder / "server.log"
    print(f"\n== {backend}: migrate, start, make {VISITORS} visitors", flush=True)
    subprocess.run(
        [BIN / "python", "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )

    servers: list[Server | Nginx] = []
    try:
        trace = folder / "trace"
        shutil.rmtree(trace, ignore_errors=True)
        if TRACE:
            trace.mkdir()
        app = Server(
            "bench.traced_wsgi" if TRACE else "baken.wsgi",
            {**env, "BENCH_TRACE_DIR": str(trace)} if TRACE else env,
            log,
        )
        servers.append(app)
        start_seconds = app.wait("/")
        made = time.monotonic()
        visitors, journey = visitor_setup.make(app.base, FIRST_STEP, VISITORS)
        print(
            f"   start to first page {start_seconds:.2f} s; visitors made in "
            f"{time.monotonic() - made:.0f} s",
            flush=True,
        )
        data = folder / "visitors.lua"
        visitor_setup.write_lua(data, visitors, journey, SAVE_TAG)
        page_path = journey.steps[len(journey.steps) // 2]
        wire, headers = fetch(app.base + page_path, visitors[0].cookie)
        encoding = headers.get("Content-Encoding", "")
        plain = gzip.decompress(wire) if encoding == "gzip" else wire
        (folder / "page.wire").write_bytes(wire)
        (folder / "page.html").write_bytes(plain)

        # Every server runs from here on, idle while another is driven: each round drives each
        # kind of request in turn, so a ratio compares figures measured seconds apart.
        floor = Server(
            "bench.floor_wsgi",
            {
                **env,
                "BENCH_FLOOR_BODY": str(folder / "page.wire"),
                "BENCH_FLOOR_ENCODING": encoding,
            },
            log,
        )
        servers.append(floor)
        floor.wait("/page")
        kinds: list[tuple[str, str, str, tuple[str, ...]]] = [
            ("floor", floor.base + "/page", "page.lua", ("200",))
        ]
        pids = {"floor": floor.process.pid}
        try:
            nginx = Nginx(folder / "nginx", plain, wire if encoding == "gzip" else None)
        except FileNotFoundError:
            print("   nginx is not installed: no static baseline", flush=True)
        else:
            servers.append(nginx)
            kinds.append(("nginx", nginx.base + "/page.html", "page.lua", ("200",)))
            pids["nginx"] = nginx.process.pid
        # The app's frame: the floor's view, uncompressed, behind the app's settings.
        frame = Server(
            "baken.wsgi",
            {
                **env,
                "DJANGO_SETTINGS_MODULE": "bench.frame_settings",
                "BENCH_FLOOR_BODY": str(folder / "page.html"),
            },
            log,
        )
        servers.append(frame)
        frame.wait("/")
        pids["frame"] = frame.process.pid
        # The peer: the same step built the conventional Django way, on its own database.
        peer, peer_data, peer_cookie = start_peer(backend, folder, env, log, page_path)
        servers.append(peer)
        peer.wait(page_path)
        pids["peer"] = peer.process.pid
        peer_wire, peer_headers = fetch(peer.base + page_path, peer_cookie)
        peer_encoding = peer_headers.get("Content-Encoding", "")
        peer_plain = gzip.decompress(peer_wire) if peer_encoding == "gzip" else peer_wire
        journal = (str(data), str(THREADS))
        kinds += [
            ("frame", frame.base + "/", "journal.lua", ("step", *journal)),
            ("peer", peer.base + "/", "journal.lua", ("step", str(peer_data), str(THREADS))),
            ("home", app.base + "/", "page.lua", ("200",)),
            ("step", app.base + "/", "journal.lua", ("step", *journal)),
            ("summary", app.base + "/", "journal.lua", ("summary", *journal)),
            ("save", app.base + "/", "journal.lua", ("save", *journal)),
        ]
        for _name, url, script, args in kinds:
            wrk("warm-up", url, script, *args, seconds=WARMUP_SECONDS)
        rounds: list[dict[str, Result]] = []
        if TRACE:
            (trace / "on").touch()
        for number in range(1, ROUNDS + 1):
            print(f"   round {number} of {ROUNDS}: {', '.join(k[0] for k in kinds)}", flush=True)
            rounds.append(
                {
                    name: wrk(name, url, script, *args, pid=pids.get(name, app.process.pid))
                    for name, url, script, args in kinds
                }
            )
        # The saves really were saved: a visitor's page now shows the text the bench posted.
        checked = next(path for path, body in journey.saves if "bench0" in body)
        shown, _ = fetch(app.base + checked, visitors[-1].cookie)
        saved_ok = SAVE_TAG in (gzip.decompress(shown) if encoding == "gzip" else shown).decode()
        if TRACE:
            (trace / "on").unlink()
        # New journals: each pays for the key derivation (issue 16, finding 11).
        creations = creation_flood.capacity(app.base, app.process.pid, float(SECONDS * 2))
        print(
            f"   journal creations: {creations['per_second']:.1f}/s, p99 "
            f"{creations['p99_ms']:.0f} ms",
            flush=True,
        )
    finally:
        for server in servers:
            server.stop()
    drop_database(backend)
    drop_database(backend, PEER)
    return {
        "backend": backend,
        "start_seconds": start_seconds,
        "page": {
            "path": page_path,
            "bytes": len(plain),
            "wire_bytes": len(wire),
            "encoding": encoding or "none",
        },
        "peer_page": {
            "bytes": len(peer_plain),
            "wire_bytes": len(peer_wire),
            "encoding": peer_encoding or "none",
            "answers_shown": "bench0-" in peer_plain.decode(),
        },
        "rounds": [{name: asdict(r) | {"rps": r.rps} for name, r in one.items()} for one in rounds],
        "saves_verified": saved_ok,
        "creations": creations,
        "saves_traced": read_trace(folder / "trace") if TRACE else None,
    }


def start_peer(
    backend: str, folder: Path, env: dict[str, str], log: Path, page_path: str
) -> tuple[Server, Path, str]:
    """The peer (bench/peer/) on a database of its own on the app's engine, seeded with as many
    visitors as the app has before anything is timed. Returns its server (starting), the data
    file journal.lua drives its visitors with, and its first visitor's cookie."""
    peer_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
        "DATABASE_URL": prepare_database(backend, folder, PEER),
    }
    module_id = page_path.split("/")[2]
    seeded = subprocess.run(
        [BIN / "python", "-m", "bench.peer.seed", str(VISITORS), module_id],
        env=peer_env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    visitors = [visitor_setup.Visitor(cookie, "") for cookie in json.loads(seeded.stdout)]
    data = folder / "peer-visitors.lua"
    # Its one page is the only step its visitors read (journal.lua's step mode reads no more).
    visitor_setup.write_lua(
        data, visitors, visitor_setup.Journey((page_path,), page_path, ()), SAVE_TAG
    )
    return Server("bench.peer.wsgi", peer_env, log), data, visitors[0].cookie


def read_trace(folder: Path) -> dict[str, Any]:
    """Saves inside the server (bench/traced_wsgi.py): how long, and where the slow ones waited."""
    rows = sorted(
        tuple(map(float, line.split()))
        for path in folder.glob("saves-*.txt")
        for line in path.read_text().splitlines()
    )
    n = len(rows)
    slow = [r for r in rows if r[0] > SLOW_SAVE_MS]
    mean = (lambda i: sum(r[i] for r in slow) / len(slow)) if slow else (lambda i: 0.0)
    return {
        "count": n,
        "p50_ms": rows[n // 2][0],
        "p99_ms": rows[int(n * 0.99)][0],
        "p999_ms": rows[int(n * 0.999)][0],
        "max_ms": rows[-1][0],
        "slow": len(slow),
        "slow_wall_ms": mean(0),
        "slow_cpu_ms": mean(1),
        "slow_commit_ms": mean(2),
        "slow_lock_ms": mean(3),
    }


# --- the report ----------------------------------------------------------------------------------

LABELS = {
    "floor": "floor: Django, no middleware, constant page",
    "nginx": "nginx: saved copy of the page (static limit)",
    "frame": "frame: Baken's middleware and a visitor's session, view returns the page",
    "peer": "peer: the page's step the conventional Django way (DTL, form, ORM, db sessions)",
    "home": "landing page, no session",
    "step": "module step showing saved answers",
    "summary": "summary of all answers",
    "save": "save a step (validate, encrypt, commit, 303)",
}


def summarise(run: dict[str, Any]) -> list[dict[str, Any]]:
    """Per kind: medians over the rounds (req/s, its ratios to that round's floor, frame and
    peer, p50, p99)."""
    rows = []
    for name in run["rounds"][0]:
        per_round = [one[name] for one in run["rounds"]]
        ratios = [one[name]["rps"] / one["floor"]["rps"] for one in run["rounds"]]
        rows.append(
            {
                "name": name,
                "rps": statistics.median(r["rps"] for r in per_round),
                "ratio": statistics.median(ratios),
                "ratios": ratios,
                "to": {
                    base: statistics.median(
                        one[name]["rps"] / one[base]["rps"] for one in run["rounds"]
                    )
                    for base in ("frame", "peer")
                    if base in run["rounds"][0]
                },
                "p50_ms": statistics.median(r["p50_ms"] for r in per_round),
                "p99_ms": statistics.median(r["p99_ms"] for r in per_round),
                "worst_p99_ms": max(r["p99_ms"] for r in per_round),
                "cpu_ms": _median_or_none([r.get("cpu_ms") for r in per_round]),
                "cpu_ratio": _median_or_none(
                    [
                        one["floor"]["cpu_ms"] / one[name]["cpu_ms"]
                        for one in run["rounds"]
                        if one["floor"].get("cpu_ms") and one[name].get("cpu_ms")
                    ]
                ),
                "requests": sum(r["requests"] for r in per_round),
                "errors": sum(r["errors"] for r in per_round),
                "error_detail": {
                    k: sum(r["error_detail"].get(k, 0) for r in per_round)
                    for k in {k for r in per_round for k in r["error_detail"]}
                },
            }
        )
    return rows


def _median_or_none(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def budget(row: dict[str, Any]) -> str:
    """The budget's line for a step or a save: which of its conditions are missed and which
    are met, each with its figure (medians of the same-round ratios)."""
    to = row.get("to", {})
    parts = [
        (to[base] >= least, f"≥ {least:g} × {base} ({to[base]:.2f})")
        for base, least in LINES.get(row["name"], ())
        if base in to
    ]
    if row["name"] == "save":
        parts += [
            (row["p99_ms"] < SAVE_P99_MS, f"p99 < {SAVE_P99_MS:.0f} ms ({row['p99_ms']:.1f})"),
            (row["errors"] == 0, f"0 errors ({row['errors']})"),
        ]
    missed = ", ".join(text for ok, text in parts if not ok)
    met = ", ".join(text for ok, text in parts if ok)
    return "; ".join(
        cell for cell in (missed and _check(False, missed), met and _check(True, met)) if cell
    )


def _room(rows: list[dict[str, Any]]) -> str:
    """What the budget leaves for a step's and a save's own work, beside what that work takes:
    the time a request holds the machine (1 ÷ req/s) beyond the frame's, which has everything
    but their own work, and beyond which the line asking for the most requests a second allows
    them."""
    by_name = {row["name"]: row for row in rows}
    if not {"floor", "frame"} <= by_name.keys():
        return ""
    frame = by_name["frame"]["rps"]
    parts = []
    kinds = [
        ("step", "a step's own work (its key, its answers, its page)"),
        ("save", "a save's (its form, its key, the commit)"),
    ]
    for name, work in kinds:
        lines = [
            (least * by_name[base]["rps"], least, base)
            for base, least in LINES[name]
            if base in by_name
        ]
        if name not in by_name or not lines:
            continue
        needed, least, base = max(lines)  # the line that asks for the most requests a second
        allowed = 1e6 / needed - 1e6 / frame
        taken = 1e6 / by_name[name]["rps"] - 1e6 / frame
        leaves = (
            f"would leave it {allowed:.0f} µs"
            if allowed >= 0.5
            else "would leave it nothing: the frame alone does not reach it"
        )
        parts.append(
            f"{taken:.0f} µs on {work} beyond the frame; {least:g} × the {base} "
            f"({needed:,.0f} req/s) {leaves}"
        )
    if not parts:
        return ""
    return (
        f"The frame alone reaches {by_name['frame']['ratio']:.2f} × the floor. Per request, "
        f"the machine (1 ÷ req/s) spends {'; and '.join(parts)}."
    )


def _number(value: float | None, places: int) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def _check(ok: bool, text: str) -> str:
    return f"{'MET' if ok else 'MISSED'}: {text}"


def report(runs: list[dict[str, Any]]) -> str:
    lines = [
        "# make bench",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} cores, load average before: "
        f"{runs[0]['load_before']}; Python {platform.python_version()}; gunicorn as `make run` "
        f"starts it ({os.environ.get('BAKEN_WORKERS', '2')} sync workers); wrk {THREADS} "
        f"threads, {CONNECTIONS} connections, every request on a new connection; {ROUNDS} "
        f"rounds of {SECONDS} s per kind of request, medians shown; {VISITORS} visitors with "
        "full journals (and as many for the peer, with the same answers, on a database of "
        "its own). The load generator shares the cores with the servers. Ratios are medians "
        "of the same-round ratios.",
    ]
    for run in runs:
        page = run["page"]
        lines += [
            "",
            f"## {run['backend']}",
            "",
            "| request | req/s | × floor | p50 ms | p99 ms | errors | budget "
            "| server CPU ms/req | × floor, by CPU |",
            "|---|---:|---:|---:|---:|---:|---|---:|---:|",
        ]
        rows = summarise(run)
        for row in rows:
            lines.append(
                f"| {LABELS[row['name']]} | {row['rps']:.0f} | {row['ratio']:.2f} | "
                f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']}{_detail(row)} | "
                f"{budget(row)} | {_number(row['cpu_ms'], 2)} | {_number(row['cpu_ratio'], 2)} |"
            )
        start = run["start_seconds"]
        room = _room(rows)
        peer = run["peer_page"]
        sent = page["wire_bytes"]
        lines += [
            *(["", room] if room else []),
            "",
            f"Server start to first served page: {start:.2f} s "
            f"({_check(start < START_SECONDS, f'< {START_SECONDS:.0f} s')}). "
            f"The page of the floor, nginx, the frame and the peer: `{page['path']}`, "
            f"{page['bytes']:,} bytes, {sent:,} bytes sent ({page['encoding']}; "
            f"{_check(sent <= PAGE_BYTES, f'≤ {PAGE_BYTES // 1024} KB sent')}); the floor and "
            "nginx send those same bytes, the frame compresses the page anew. The peer's "
            f"page: {peer['bytes']:,} bytes, {peer['wire_bytes']:,} bytes sent "
            f"({peer['encoding']}), its visitor's answers "
            f"{'shown' if peer['answers_shown'] else 'NOT SHOWN'}. Saves checked afterwards "
            f"on a visitor's page: {'found' if run['saves_verified'] else 'NOT FOUND'}.",
        ]
        made = run.get("creations")
        if made:
            peak = max(made["peak_kib"].values(), default=0) / 1024
            lines.append(
                f"Journal creations ({made['clients']} clients looping new session → first "
                f"save for {made['seconds']:.0f} s, the site's limits off): "
                f"{made['per_second']:.1f}/s, p50 {made['p50_ms']:.0f} ms, p99 "
                f"{made['p99_ms']:.0f} ms ({_check(made['p99_ms'] < 1000, 'p99 < 1 s')}; "
                f"{_check(made['per_second'] >= 25, '≥ 25/s')}), {made['errors']} errors; "
                f"peak memory of a server process {peak:.0f} MiB."
            )
        if "disk_before" in run:
            lines.append(
                f"The disk just before, {DISK_PROBE_SECONDS:.0f} s of 16 KB writes each made "
                f"durable: {_disk(run['disk_before'])}. A save is acknowledged only after its "
                "fsync, so a stall of the disk during the save rounds goes straight into "
                "the save's p99."
            )
        traced = run.get("saves_traced")
        if traced:
            lines.append(
                f"Saves inside the server, all rounds ({traced['count']:,}): p50 "
                f"{traced['p50_ms']:.1f} ms, p99 {traced['p99_ms']:.1f} ms, p99.9 "
                f"{traced['p999_ms']:.0f} ms, longest {traced['max_ms']:,.0f} ms. Over "
                f"{SLOW_SAVE_MS:.0f} ms: {traced['slow']}, on average {traced['slow_wall_ms']:.0f} "
                f"ms = CPU {traced['slow_cpu_ms']:.1f} + committing {traced['slow_commit_ms']:.0f}"
                f" + waiting for the writer lock {traced['slow_lock_ms']:.0f} (+ the rest "
                "waiting elsewhere)."
            )
        lines.append(
            "Server CPU: the CPU time the server's own processes (gunicorn's master and workers, "
            "or nginx's) spent per request, from /proc; the load generator's and PostgreSQL's "
            "are not in it. It shows what a request costs the server itself, apart from the "
            "load generator; the budget is stated in requests per second."
        )
        if not any(row["name"] == "nginx" for row in rows):
            lines.append("nginx is not installed, so there is no static baseline.")
    return "\n".join(lines) + "\n"


def disk_probe(folder: Path, seconds: float = DISK_PROBE_SECONDS) -> dict[str, float]:
    """How long the disk takes to make a small write durable (fsync), and how often it stalls.

    Every save waits for an fsync before it is acknowledged, so a disk that sometimes stalls
    for a second puts that second into the save's p99, whatever the application does.
    """
    path = folder / "fsync-probe"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    times: list[float] = []
    block = os.urandom(16384)
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            os.pwrite(descriptor, block, (len(times) % 64) * len(block))
            started = time.perf_counter()
            os.fsync(descriptor)
            times.append(time.perf_counter() - started)
    finally:
        os.close(descriptor)
        path.unlink(missing_ok=True)
    times.sort()
    n = len(times)
    return {
        "count": n,
        "p50_ms": times[n // 2] * 1e3,
        "p999_ms": times[int(n * 0.999)] * 1e3,
        "max_ms": times[-1] * 1e3,
        "over_50ms": sum(t > 0.05 for t in times),
    }


def _disk(probe: dict[str, float]) -> str:
    return (
        f"{probe['count']:,} fsyncs, p50 {probe['p50_ms']:.2f} ms, p99.9 "
        f"{probe['p999_ms']:.1f} ms, longest {probe['max_ms']:,.0f} ms, "
        f"{probe['over_50ms']:.0f} over 50 ms"
    )


def _detail(result: dict) -> str:
    detail = result.get("error_detail") or {}
    return f" ({', '.join(f'{k} {v}' for k, v in detail.items())})" if detail else ""


def main() -> int:
    if shutil.which("wrk") is None:
        raise SystemExit("make bench needs wrk: apt-get install wrk (see docs/performance.md)")
    OUT.mkdir(parents=True, exist_ok=True)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    runs = []
    for backend in BACKENDS:
        disk = disk_probe(OUT)
        run = bench_backend(backend)
        run["load_before"] = load
        run["disk_before"] = disk
        runs.append(run)
    text = report(runs)
    (OUT / "report.md").write_text(text)
    (OUT / "results.json").write_text(json.dumps(runs, indent=2) + "\n")
    print("\n" + text)
    print(f"Saved to {OUT / 'report.md'} and {OUT / 'results.json'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
