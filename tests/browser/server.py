"""The site as production runs it (gunicorn, two workers), on a database of its own.

Each pytest-xdist worker starts one. With DATABASE_URL pointing at PostgreSQL the server gets a
fresh PostgreSQL database beside the test databases (`<name>_browser_<worker>`), so the
PostgreSQL CI run drives the browser against PostgreSQL too; otherwise a fresh SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.conf import settings

from tests.helpers.live import free_port, migrate, server_env, serving


@dataclass(frozen=True)
class LiveServer:
    base: str  # http://127.0.0.1:<port>, the one origin every request must go to
    exit_url: str  # where the quick exit sends the visitor (on this origin: nothing leaves)
    log: Path
    env: dict[str, str]  # the server's environment, for running manage.py against its data

    def manage(self, *args: str, stdin: str = "") -> str:
        """Run a management command on the server's database, as its operator would."""
        import subprocess

        from tests.helpers.live import BIN

        done = subprocess.run(
            [BIN / "python", "manage.py", *args],
            env=self.env,
            cwd=settings.BASE_DIR,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout


@contextmanager
def live_server(tmp: Path, worker: str, clock: float | None = None) -> Iterator[LiveServer]:
    """Migrate a fresh database, start gunicorn, wait until it answers; stop it afterwards.
    With `clock`, the server's clock starts at that Unix time (the tests' own one)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with _database(tmp, worker) as database_url:
        env = server_env(
            tmp,
            DATABASE_URL=database_url,
            # A page no link leads to, on the site's own origin, so the test can see the exit
            # happened without the browser contacting another site.
            BAKEN_EXIT_URL=f"{base}/?weather",
            # The shipped example: the pages show a helpline, its hours and crisis lines.
            BAKEN_HELPLINE_FILE=str(Path(settings.BASE_DIR) / "config/helpline.example.yaml"),
            BAKEN_WORKERS="2",  # two processes sharing sessions, as in production
            # The tests make journals one after another, faster than visitors do: the whole
            # budget of new journals is open to each (the part kept for visitors who were asked
            # to wait, and its cookie, are tested in tests/journal and tests/system).
            BAKEN_NEW_JOURNALS_KEPT_FOR_WAITING="0",
            # The phrase's key derivation at its cheapest, as in the other tests: its cost is
            # measured by `manage.py kdftime`, not here.
            BAKEN_KDF_MEMORY_KIB="64",
            BAKEN_KDF_ITERATIONS="1",
            # Likewise the inbox key's wrap under a staff password.
            BAKEN_STAFF_KDF_OPSLIMIT="1",
            BAKEN_STAFF_KDF_MEMLIMIT="8192",
        )
        migrate(env)
        log = tmp / "gunicorn.log"
        with serving(env, log, port=port, clock=clock, seconds=60, what="gunicorn"):
            yield LiveServer(base=base, exit_url=f"{base}/?weather", log=log, env=env)


@contextmanager
def _database(tmp: Path, worker: str) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp / 'browser.sqlite3'}"
        return
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_browser_{worker}"
    admin = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The staff's first administrator, made once per server as docs/staff.md says.
FIRST_ADMIN, FIRST_ADMIN_PASSWORD = "beheer-a", "een lange neutrale testzin"  # noqa: S105


def make_inbox(server: LiveServer) -> dict[str, str]:
    """`createstaff` and `initinbox` on the server's database, as docs/staff.md says: the
    administrator, the password, the recovery code and what initinbox printed."""
    import re

    password = FIRST_ADMIN_PASSWORD
    server.manage("createstaff", FIRST_ADMIN, stdin=f"{password}\n{password}\n")
    printed = server.manage("initinbox", FIRST_ADMIN, stdin=f"{password}\n")
    code = re.search(r"[A-Z2-9]{5}(?:-[A-Z2-9]{5}){9}", printed)
    assert code, printed
    return {"admin": FIRST_ADMIN, "password": password, "code": code.group(0), "printed": printed}


def make_counsellor(server: LiveServer, name: str, password: str, code: str) -> None:
    """A counsellor account given the inbox key with its recovery code."""
    server.manage("createstaff", name, "--role", "counsellor", stdin=f"{password}\n{password}\n")
    server.manage("recoverinbox", name, stdin=f"{code}\n{password}\n")
