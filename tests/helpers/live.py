"""Real server processes for tests: a free port, the environment `make run` gives gunicorn, and
waiting until a started process answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
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
