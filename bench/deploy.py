"""`python -m bench.deploy`: requests per second of one application core behind nginx, on
PostgreSQL, with the shipped files (docs/deploy.md, "How far one database carries").

One application server with one worker (BAKEN_WORKERS=1: one core), started as
deploy/systemd/baken@.service starts it, with the production settings, on a new PostgreSQL
database; nginx in front with deploy/nginx/baken.conf and a throwaway certificate. Visitors are
made through nginx (each walks the whole module, so every step has answers), then wrk drives
them over HTTPS with connections kept open: step pages read, then steps saved. Besides the
rate: the CPU time per request of the application server, of nginx and of the PostgreSQL
backends serving this database, from /proc. Needs nginx, openssl and wrk (Debian packages).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from tests.helpers.deploy import (
    Visitor,
    admin,
    manage,
    postgres_server,
    production_env,
    start_site,
    unit,
    unit_environment,
)
from tests.helpers.forms import the_form
from tests.helpers.walk import fill

from .__main__ import WRK_DIR, cpu_seconds
from .visitors import Journey, write_lua
from .visitors import Visitor as Credentials

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
VISITORS = int(os.environ.get("BENCH_VISITORS", "32"))
THREADS = 2
FIRST_STEP = "/m/reality/goals/"


def walk(site, tag: str) -> tuple[Credentials, Journey]:
    """One visitor saves every step through nginx; its cookie, token and the journey."""
    visitor = Visitor(site.ports["https"], f"localhost:{site.ports['https']}", tls=site.tls())
    path, steps, saves, csrf = FIRST_STEP, [], [], ""
    while "/summary/" not in path:
        status, page, _ = visitor.get(path)
        assert status == 200, (path, status)
        data, _ = fill(the_form(page), path, tag)
        csrf = data.pop("csrfmiddlewaretoken")
        status, _, headers = visitor.post(path, {"csrfmiddlewaretoken": csrf, **data})
        assert status == 303, (path, status)
        steps.append(path)
        if any(data.values()):
            saves.append((path, urlencode(data)))
        target = headers["Location"]
        if target.startswith("/journal/phrase/"):
            visitor.get(target)
            target = target.split("next=", 1)[1].replace("%2F", "/")
            _, page, _ = visitor.get(path)
            csrf = the_form(page).fields["csrfmiddlewaretoken"]
        path = target
    cookie = "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())
    return Credentials(cookie, csrf), Journey(tuple(steps), path, tuple(saves))


def backend_pids(database: str) -> list[int]:
    import psycopg

    with psycopg.connect(f"{postgres_server()}/{database}", autocommit=True) as c:
        rows = c.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return [row[0] for row in rows]


def cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def drive(site, mode: str, data: Path, database: str, seconds: int) -> dict:
    app = site.apps["a"].popen.pid
    nginx = site.proxy.popen.pid
    backends = backend_pids(database)
    before = (cpu_seconds(app), cpu_seconds(nginx), cpu(backends))
    origin = f"https://localhost:{site.ports['https']}"
    run = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s"]
        + [str(WRK_DIR / "proxied.lua"), f"https://localhost:{site.ports['https']}/"]
        + ["--", mode, str(data), str(THREADS), origin],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_WRK_DIR": str(WRK_DIR)},
    )
    after = (cpu_seconds(app), cpu_seconds(nginx), cpu(backends))
    line = next(x for x in run.stdout.splitlines() if x.startswith("BENCH "))
    result = json.loads(line[6:])
    n = max(result["requests"], 1)
    ms = [(b - a) * 1000 / n for a, b in zip(before, after, strict=True)]
    return {
        "mode": mode,
        "rps": result["requests"] / result["seconds"],
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["unexpected"] + result["connect"] + result["read"] + result["timeout"],
        "app_cpu_ms": ms[0],
        "nginx_cpu_ms": ms[1],
        "postgres_cpu_ms": ms[2],
        "backends": len(backends),
    }


def main() -> int:
    for tool in ("wrk", "nginx", "openssl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"python -m bench.deploy needs {tool}: apt-get install {tool}")
    database = f"baken_deploybench_{uuid.uuid4().hex[:8]}"
    admin(f"CREATE DATABASE {database}")
    site = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            env = production_env(tmp, f"{postgres_server()}/{database}", BAKEN_WORKERS="1")
            migrated = manage({**env, **unit_environment(unit("baken@.service"))}, "migrate")
            assert migrated.returncode == 0, migrated.stderr
            site = start_site(tmp, env, ("a",), say=lambda text: None)
            with ThreadPoolExecutor(4) as pool:
                made = list(pool.map(lambda n: walk(site, f"bench{n}"), range(VISITORS)))
            data = tmp / "visitors.lua"
            write_lua(data, [v for v, _ in made], made[0][1], "benchsave")
            drive(site, "step", data, database, 2)  # warm-up
            results = [drive(site, m, data, database, SECONDS) for m in ("step", "save")]
    finally:
        if site is not None:
            site.stop()
        admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"one application core (BAKEN_WORKERS=1) behind nginx (HTTPS, kept-alive connections),"
        f" PostgreSQL; wrk {THREADS} threads, {CONNECTIONS} connections, {SECONDS} s, "
        f"{VISITORS} visitors; load after: {load}"
    )
    print(
        "| request | requests/s | p50 ms | p99 ms | errors | CPU ms per request: app, nginx,"
        " PostgreSQL |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        print(
            f"| {r['mode']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
            f"{r['errors']} | {r['app_cpu_ms']:.2f}, {r['nginx_cpu_ms']:.2f}, "
            f"{r['postgres_cpu_ms']:.2f} ({r['backends']} backends) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
