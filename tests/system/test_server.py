"""The production server as `make run` starts it: it serves the site, and refuses bad content."""

import os
import secrets
import shutil
import subprocess
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers.live import BIN, free_port, migrate, server_env, start_gunicorn


def test_the_database_is_the_one_configured(db):
    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")


@pytest.mark.live
def test_gunicorn_serves_the_site_without_logging_visitors(tmp_path):
    env = server_env(tmp_path)
    migrate(env)
    port = free_port()
    server = start_gunicorn(env, port, subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/m/reality/goals/") as page:
                    body = page.read().decode()
                    server_header = page.headers.get("Server", "")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not answer in 30 s"
                time.sleep(0.2)
        assert "Stap 1 van 14" in body
        assert "gunicorn" in server_header  # a production server, not runserver
        send_odd_requests(port)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    # No access log: nothing about the request (path, address, browser) was written; nor, for
    # the odd requests, their Host, request line or browser (issue 16, finding 8).
    assert "/m/reality/goals/" not in output
    assert "127.0.0.1" not in output.replace(f"127.0.0.1:{port}", "")
    for canary in ODD_CANARIES:
        assert canary not in output, output


ODD_CANARIES = ("evil-host-canary", "line-canary", "agent-canary", "path-canary")


def send_odd_requests(port: int) -> None:
    """Requests an attacker sends: a foreign Host, a broken request line, an odd method, a
    header too long; each with something to look for in the log afterwards."""
    import socket

    raw = [
        b"GET /path-canary/ HTTP/1.1\r\nHost: evil-host-canary.example\r\n"
        b"User-Agent: agent-canary\r\nConnection: close\r\n\r\n",
        b"GET /line-canary HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n",
        b"BREW /path-canary/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: agent-canary\r\n"
        b"Connection: close\r\n\r\n",
        b"GET /path-canary/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: "
        + b"a" * 9000
        + b"\r\nUser-Agent: agent-canary\r\n\r\n",
        b"POST /m/reality/goals/ HTTP/1.1\r\nHost: evil-host-canary.example\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\n"
        b"Connection: close\r\n\r\na=line-canary",
    ]
    for request in raw:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request)
            try:
                while sock.recv(65536):
                    pass
            except OSError:
                pass


@pytest.mark.live
@pytest.mark.parametrize(
    "file, old, new, message",
    [
        (
            "nl/reality/02-start.yaml",
            "type: rating",
            "type: ratings",
            "unknown block type 'ratings'",
        ),
        ("figures.yaml", "value: 255571", "value: veel", "content/figures.yaml:"),
    ],
)
def test_gunicorn_refuses_to_start_on_invalid_content(tmp_path, file, old, new, message):
    content = tmp_path / "content"
    shutil.copytree(settings.BAKEN_CONTENT_DIR, content)
    path = content / file
    path.write_text(path.read_text().replace(old, new, 1))
    result = subprocess.run(
        [
            BIN / "gunicorn",
            "baken.wsgi",
            "--config",
            "baken/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{free_port()}",
        ],
        env=server_env(tmp_path, BAKEN_CONTENT_DIR=str(content)),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert f"content/{file}:" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("settings_module", ["baken.settings.dev", "baken.settings.prod"])
def test_no_setting_turns_on_debug_pages(settings_module, tmp_path):
    env = server_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE=settings_module,
        BAKEN_SECRET_KEY=secrets.token_urlsafe(48),
        BAKEN_LOOKUP_PEPPER=secrets.token_urlsafe(48),
        BAKEN_KEY_PEPPER=secrets.token_urlsafe(48),
    )
    result = subprocess.run(
        [
            BIN / "python",
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DEBUG, settings.SESSION_COOKIE_SAMESITE)",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "Strict"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = server_env(tmp_path, DJANGO_SETTINGS_MODULE="baken.settings.prod")
    result = subprocess.run(
        [BIN / "python", "manage.py", "check"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set the environment variable BAKEN_SECRET_KEY." in result.stderr


@pytest.mark.parametrize(
    "weak, said",
    [
        ({"BAKEN_KEY_PEPPER": "same"}, "BAKEN_KEY_PEPPER is the same as BAKEN_LOOKUP_PEPPER"),
        ({"BAKEN_LOOKUP_PEPPER": "a" * 40}, "BAKEN_LOOKUP_PEPPER is 40 characters long"),
        ({"BAKEN_SECRET_KEY": "x" * 50}, "BAKEN_SECRET_KEY does not look random"),
    ],
)
def test_production_refuses_weak_or_shared_secrets_and_says_why(tmp_path, weak, said):
    """Issue 16, finding 1: equal peppers undid the key separation; `check --deploy` says why."""
    good = {
        name: secrets.token_urlsafe(48)
        for name in ("BAKEN_SECRET_KEY", "BAKEN_LOOKUP_PEPPER", "BAKEN_KEY_PEPPER")
    }
    if weak.get("BAKEN_KEY_PEPPER") == "same":
        weak = {"BAKEN_KEY_PEPPER": good["BAKEN_LOOKUP_PEPPER"]}
    env = server_env(tmp_path, DJANGO_SETTINGS_MODULE="baken.settings.prod", **{**good, **weak})
    result = subprocess.run(
        [BIN / "python", "manage.py", "check", "--deploy"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Baken will not start with these secrets" in result.stderr
    assert said in result.stderr


def test_gunicorn_freezes_what_loading_the_app_made_before_forking():
    import gc
    import runpy

    hooks = runpy.run_path("baken/gunicorn.conf.py")
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        hooks["pre_fork"](None, None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_make_runs_secrets_are_kept_apart_from_the_data_and_private(tmp_path):
    """Issue 16, finding 10: the peppers lay in var/ beside the database."""
    var, kept = tmp_path / "var", tmp_path / "secrets"
    var.mkdir()
    (var / "lookup-pepper").write_text("an-earlier-pepper-kept-in-var")
    env = server_env(tmp_path, BAKEN_SECRETS_DIR=str(kept))
    subprocess.run(
        [BIN / "python", "-c", "import django; django.setup()"],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
    )
    assert sorted(p.name for p in kept.iterdir()) == ["key-pepper", "lookup-pepper", "secret-key"]
    assert not (var / "lookup-pepper").exists()  # moved, so earlier journals still open
    assert (kept / "lookup-pepper").read_text() == "an-earlier-pepper-kept-in-var"
    assert kept.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in kept.iterdir())
