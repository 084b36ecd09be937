"""Real server processes for tests: a free port, the environment `make run` gives gunicorn, and
waiting until a started process answers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "baken.settings.dev",
        "BAKEN_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}",
        **extra,
    }


def migrate(env: dict[str, str]) -> None:
    """`manage.py migrate`, as `make run` does before it serves."""
    from django.conf import settings

    subprocess.run(
        [BIN / "python", "manage.py", "migrate", "-v0"], env=env, cwd=settings.BASE_DIR, check=True
    )


def start_gunicorn(
    env: dict[str, str], port: int, output: Any, *options: str, clock: float | None = None
) -> subprocess.Popen[bytes]:
    """The production server as `make run` starts it, on 127.0.0.1:`port`, writing to `output`;
    with `clock`, its clock starts at that Unix time (tests/helpers/at_time.py)."""
    from django.conf import settings

    start = [BIN / "gunicorn"]
    if clock is not None:
        start = [BIN / "python", "-m", "tests.helpers.at_time", str(clock), "gunicorn"]
    return subprocess.Popen(
        [
            *start,
            "baken.wsgi",
            "--config",
            "baken/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            *options,
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def wait_until_answering(
    base: str,
    process: subprocess.Popen[bytes],
    log: Path,
    seconds: float = 30,
    what: str = "the server",
) -> None:
    """Return once `base`/ answers; fail with the process's output if it stops or never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/").close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{what} stopped:\n{log.read_text()}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{what} did not answer in {seconds:g} s:\n{log.read_text()}"
                ) from None
            time.sleep(0.2)


@contextmanager
def serving(
    env: dict[str, str],
    log: Path,
    *options: str,
    port: int | None = None,
    clock: float | None = None,
    seconds: float = 30,
    what: str = "the server",
) -> Iterator[str]:
    """gunicorn as `make run` starts it, on `port` (or a free one), writing to `log`: yields
    its address once it answers, and stops it afterwards (`clock`: see start_gunicorn)."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = start_gunicorn(env, port, out, *options, clock=clock)
        try:
            wait_until_answering(base, process, log, seconds=seconds, what=what)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def at_rest(database_url: str) -> dict[str, bytes]:
    """Every byte a database keeps, by place: an SQLite file with its -wal and -shm, or a
    PostgreSQL database's pg_dump."""
    if database_url.startswith("sqlite"):
        database = Path(database_url.removeprefix("sqlite:///"))
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        return {f.name: f.read_bytes() for f in files if f.exists()}
    if shutil.which("pg_dump") is None:
        raise RuntimeError("reading PostgreSQL at rest needs pg_dump (postgresql-client)")
    dump = subprocess.run(["pg_dump", database_url], capture_output=True, check=True)
    return {"pg_dump": dump.stdout}
