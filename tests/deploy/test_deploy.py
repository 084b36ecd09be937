"""`make deploy-test`: the files in deploy/ run for real, as docs/deploy.md installs them.

A scratch PostgreSQL database; two application servers started with the command line,
environment and working directory of deploy/systemd/baken@.service (the production settings);
nginx with deploy/nginx/baken.conf and baken-upstream.conf and a throwaway self-signed
certificate. Only what an operator edits is changed (ports, paths, names: `render` fails when
one is no longer in the file). Then, over HTTPS through nginx: the no-JS walk of a module with
canaries, one application server killed mid-walk, the response headers, static files served
by nginx, a body over Baken's limit refused by nginx; the onion listener; nginx's logs without
an address; the backup job (age) and the restore procedure, and the journal resumed from the
restored copy. Besides: `tor --verify-config` on the shipped torrc, `manage.py check --deploy`
with the production settings, the units' hardening, and the container files' agreement.

nginx, tor and age are Debian packages: `tools/test-prerequisites` installs them when root
(make test, make deploy-test); otherwise these tests skip and say what to install.
"""

from __future__ import annotations

import html
import http.client
import re
import shutil
import socket
import ssl
import subprocess
import time
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from core.http.middleware import CONTENT_SECURITY_POLICY
from tests.helpers.deploy import (
    BIN,
    DEPLOY,
    ONION,
    ROOT,
    Process,
    Visitor,
    admin,
    listening_port,
    manage,
    postgres_server,
    production_env,
    render,
    resume,
    start_site,
    unit,
    unit_command,
    unit_environment,
)
from tests.helpers.forms import the_form
from tests.helpers.livewalk import walk_live

pytestmark = pytest.mark.deploy

TOOLS = {
    "nginx": "nginx",
    "tor": "tor",
    "age": "age",
    "age-keygen": "age",
    "pg_dump": "postgresql-client",
    "pg_restore": "postgresql-client",
    "openssl": "openssl",
    "curl": "curl",
}


def needs(*tools: str) -> None:
    missing = sorted({TOOLS[t] for t in tools if shutil.which(t) is None})
    if missing:
        pytest.skip(
            f"the deployment test needs {', '.join(missing)} (Debian packages), which this "
            "machine does not have and could not install (not root): "
            f"apt-get install {' '.join(missing)}, then run make deploy-test"
        )


def step(text: str) -> None:
    """One line of make deploy-test's output."""
    print(f"\n== {text}", flush=True)


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def databases() -> Iterator[dict[str, str]]:
    """Two scratch databases: the site's, and an empty one to restore a backup into."""
    import psycopg

    tag = uuid.uuid4().hex[:8]
    names = {"site": f"baken_deploy_{tag}", "restored": f"baken_deploy_{tag}_restored"}
    try:
        admin(f"CREATE DATABASE {names['site']}")
    except psycopg.OperationalError as error:
        pytest.skip(f"the deployment test needs PostgreSQL at {postgres_server()}: {error}")
    admin(f"CREATE DATABASE {names['restored']}")
    try:
        yield {k: f"{postgres_server()}/{name}" for k, name in names.items()}
    finally:
        for name in names.values():
            admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- the stack ----------------------------------------------------------------------------


class KillingVisitor(Visitor):
    """Kills an application server just before its `at`-th request, a form post."""

    def __init__(self, *args: Any, victim: Process, at: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.victim, self.at = victim, at
        self.killed_before: int | None = None

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, dict]:
        if self.killed_before is None and self.requests + 1 >= self.at and data is not None:
            self.victim.kill()
            self.killed_before = self.requests + 1
            step(f"killed application server {self.victim.name} before request {self.requests + 1}")
        return super().request(path, data)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, databases) -> Iterator[dict[str, Any]]:
    needs("nginx", "openssl", "curl")
    tmp = tmp_path_factory.mktemp("deploy")
    env = production_env(tmp, databases["site"])
    step("PostgreSQL: migrate the scratch database")
    migrated = manage({**env, **unit_environment(unit("baken@.service"))}, "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    site = start_site(tmp, env, ("a", "b"), say=lambda text: print(f"\n== {text}"))
    try:
        yield {
            "tmp": tmp,
            "env": site.env,
            "ports": site.ports,
            "apps": site.apps,
            "tls": site.tls(),
            "cert": site.cert,
        }
    finally:
        site.stop()
        for log in ("app-a.log", "app-b.log", "nginx.out"):
            if (tmp / log).exists():
                print(f"--- {log}\n{(tmp / log).read_text()[-2000:]}")


def https_visitor(stack, **kwargs: Any) -> Visitor:
    return Visitor(
        stack["ports"]["https"], f"localhost:{stack['ports']['https']}", tls=stack["tls"], **kwargs
    )


# --- the test -----------------------------------------------------------------------------


def test_the_deployment_serves_the_site_and_survives_a_lost_server(stack, module, databases):
    ports, apps, tmp = stack["ports"], stack["apps"], stack["tmp"]

    step("TLS: 1.3 by default, 1.2 accepted, 1.1 refused; HTTP/2 offered")
    with socket.create_connection(("127.0.0.1", ports["https"])) as raw:
        context = ssl.create_default_context(cafile=str(stack["cert"]))
        context.set_alpn_protocols(["h2", "http/1.1"])
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert (tls.version(), tls.selected_alpn_protocol()) == ("TLSv1.3", "h2")
    assert tls_version(stack, ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    # The server's alert, not the client's refusal to offer TLS 1.1.
    with pytest.raises(ssl.SSLError, match="ALERT_PROTOCOL_VERSION"):
        tls_version(stack, ssl.TLSVersion.TLSv1_1)
    # A page over HTTP/2, as browsers ask for it: nginx passes the :authority on as Host.
    fetched = subprocess.run(
        ["curl", "--http2", "--silent", "--cacert", stack["cert"], "--output", "/dev/null"]
        + ["--write-out", "%{http_version} %{http_code}"]
        + [f"https://localhost:{ports['https']}/m/reality/goals/"],
        capture_output=True,
        text=True,
    )
    assert fetched.stdout == "2 200", fetched
    print("TLSv1.3 h2 | TLSv1.2 | TLSv1.1 refused | a step page over HTTP/2: 200")

    step("HTTP redirects to HTTPS; other names get nothing")
    plain = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    plain.request("GET", "/m/reality/goals/?a=b", headers={"Host": "localhost"})
    response = plain.getresponse()
    assert (response.status, response.headers["Location"]) == (
        301,
        "https://localhost/m/reality/goals/?a=b",
    )
    plain.close()
    acme = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    acme.request("GET", "/.well-known/acme-challenge/x", headers={"Host": "localhost"})
    assert acme.getresponse().status == 404  # a file certbot would have put there
    acme.close()
    other = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    other.request("GET", "/", headers={"Host": "elsewhere.example"})
    with pytest.raises(http.client.RemoteDisconnected):
        other.getresponse()
    with pytest.raises(ssl.SSLError, match="(?i)unrecognized.name|alert"):
        with socket.create_connection(("127.0.0.1", ports["https"])) as raw:
            stack["tls"].wrap_socket(raw, server_hostname="elsewhere.example")

    step("the no-JS walk over HTTPS with canaries; application server a killed mid-walk")
    tag = "deploy" + uuid.uuid4().hex[:8]
    visitor = KillingVisitor(
        ports["https"],
        f"localhost:{ports['https']}",
        tls=stack["tls"],
        victim=apps["a"],
        at=len(module.steps),  # about halfway: two requests a step
    )
    written, phrase = walk_live(visitor, module, tag)
    assert visitor.killed_before is not None and not apps["a"].running()
    assert apps["b"].running()
    texts = [v for v in written.values() if tag in v]
    assert len(texts) >= 40 and len(phrase.split()) == 7
    _, summary, _ = visitor.get(f"/m/{module.id}/summary/")
    assert [t for t in texts if t not in html.unescape(summary)] == []
    print(
        f"{visitor.requests} requests, {len(texts)} canaries saved and shown on the summary; "
        f"server a killed before request {visitor.killed_before}, the rest served by b"
    )

    step("response headers of a step page through nginx")
    status, page, headers = visitor.get(f"/m/{module.id}/{module.steps[1].id}/")
    assert status == 200
    for name, value in headers.items():
        if name.lower() != "set-cookie":
            print(f"{name}: {value}")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Server"] == "nginx"  # no version
    assert headers["Onion-Location"] == f"http://{ONION}/m/{module.id}/{module.steps[1].id}/"
    # The two cookies, every time they were set: the session (a new key when the journal was
    # made) and the CSRF secret (its own cookie, so a page with a form stores nothing).
    assert {c.split("=")[0] for c in visitor.set_cookies} == {"__Host-session", "__Host-csrftoken"}
    session = [c for c in visitor.set_cookies if c.startswith("__Host-session=")]
    print("Set-Cookie: __Host-session=…; " + session[-1].split(";", 1)[1].strip())
    for cookie in visitor.set_cookies:
        attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
        assert {"secure", "httponly", "path", "samesite"} <= attributes, cookie
        assert "domain" not in attributes and "expires" not in attributes, cookie
        assert "SameSite=Strict" in cookie and "Path=/" in cookie

    step("static files: served by nginx, hashed names immutable, gzip beside them")
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page).group(1)
    static = https_visitor(stack, headers={"Accept-Encoding": "gzip"})
    status, served, css_headers = static.get(css)
    assert status == 200 and css_headers["Content-Type"].startswith("text/css")
    assert served == (ROOT / "staticfiles" / css.removeprefix("/static/")).read_text()
    assert css_headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css_headers["Content-Encoding"] == "gzip"
    assert css_headers["Strict-Transport-Security"].startswith("max-age=31536000")
    print(f"GET {css}: 200, {css_headers['Cache-Control']}, gzip")

    step("a body over Baken's limit is refused by nginx; one at the limit reaches Baken")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    target = f"/m/{module.id}/{module.steps[0].id}/"
    status, answer = raw_post(stack, target, limit + 1, send_body=False)
    assert status == 413 and "Content-Security-Policy" not in answer, answer[:500]
    # Baken's answer (its headers): here its CSRF refusal, as the post has no session.
    status, answer = raw_post(stack, target, limit)
    assert status != 413 and "Content-Security-Policy" in answer, answer[:500]
    print(f"{limit + 1:,} bytes: 413 from nginx; {limit:,} bytes: {status} from Baken")

    step("the onion listener: Host <address>.onion over plain HTTP, forms posted from it")
    onion = Visitor(ports["onion"], ONION)
    first = module.steps[0]
    status, page, headers = onion.get(f"/m/{module.id}/{first.id}/")
    assert status == 200 and "Onion-Location" not in headers
    form = the_form(page)
    status, _, headers = onion.post(f"/m/{module.id}/{first.id}/", dict(form.fields))
    assert status == 303 and headers["Location"].startswith("/"), headers
    stranger = Visitor(ports["onion"], ONION)
    stranger.origin = "http://someone-else.onion"
    stranger.get(f"/m/{module.id}/{first.id}/")
    assert stranger.post(f"/m/{module.id}/{first.id}/", dict(form.fields))[0] == 403
    print("a save over the onion listener: 303; the same post from another origin: 403")

    step("expirejournals and expiremessages, with baken-expirejournals.service's command lines")
    expire_unit = unit("baken-expirejournals.service")
    assert len(expire_unit["ExecStart"]) == 2
    for number in range(2):
        expired = subprocess.run(
            unit_command(expire_unit, number=number),
            env={**stack["env"], **unit_environment(expire_unit)},
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert expired.returncode == 0, expired.stderr
        print(expired.stdout.strip())

    step("backup (baken-backup.service's command, age) and restore into a new database")
    restored = backup_and_restore(stack, databases, tag)

    step("a journal resumed from the restored copy")
    restored_app = Process(
        "restored",
        unit_command(unit("baken@.service"), "0"),
        {**stack["env"], "DATABASE_URL": restored},
        ROOT,
        tmp / "app-restored.log",
    )
    restored_app.start()
    try:
        restored_port = listening_port(restored_app)
        # Straight to the server, saying what nginx says: the connection is secure.
        again = Visitor(restored_port, "localhost", headers={"X-Forwarded-Proto": "https"})
        again.origin = "https://localhost"
        resume(again, phrase)
        _, summary, _ = again.get(f"/m/{module.id}/summary/")
        assert [t for t in texts if t not in html.unescape(summary)] == []
        print(f"all {len(texts)} answers read back from the restored database")
    finally:
        restored_app.stop()

    step("both application servers stopped: static files still served, pages 502")
    apps["b"].stop()
    assert static.get(css)[0] == 200
    assert https_visitor(stack).get("/")[0] == 502
    print("static 200, page 502")

    step("nginx logged no address and no request; no canary in any log or in the database")
    logs = {
        name: (tmp / name).read_text() if (tmp / name).exists() else ""
        for name in ("nginx-access.log", "nginx-error.log", "nginx.out")
    }
    for name, text in logs.items():
        assert "127.0.0.1" not in text and "client:" not in text, (name, text[-2000:])
        assert "/m/" not in text and ONION not in text, (name, text[-2000:])
    for name in ("app-a.log", "app-b.log", "app-restored.log", *logs):
        text = (tmp / name).read_text() if (tmp / name).exists() else ""
        assert tag not in text and phrase not in text, name
    dump = subprocess.run(["pg_dump", databases["site"]], capture_output=True, check=True)
    assert len(dump.stdout) > 10_000 and tag.encode() not in dump.stdout
    print(", ".join(f"{name}: {len(text)} bytes" for name, text in logs.items()))


def tls_version(stack, version: ssl.TLSVersion) -> str:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile=str(stack["cert"]))
    with warnings.catch_warnings():  # TLS 1.1 is deprecated: offered on purpose
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = min(version, ssl.TLSVersion.TLSv1_2)
        context.maximum_version = version
    context.set_ciphers("DEFAULT:@SECLEVEL=0")  # let the client offer the old ones
    with socket.create_connection(("127.0.0.1", stack["ports"]["https"])) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            return tls.version() or ""


def raw_post(stack, path: str, length: int, send_body: bool = True) -> tuple[int, str]:
    """A form post of `length` bytes; without the body, only the headers that announce it."""
    port = stack["ports"]["https"]
    head = (
        f"POST {path} HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: https://localhost:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as raw:
        with stack["tls"].wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(head)
            if send_body:
                tls.sendall(b"a=" + b"x" * (length - 2))
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
    text = answer.decode(errors="replace")
    return int(text.split(" ", 2)[1]), text


def backup_and_restore(stack, databases: dict[str, str], canary: str) -> str:
    needs("age", "age-keygen", "pg_dump", "pg_restore")
    tmp = stack["tmp"]
    identity, recipients, backups = tmp / "operator-key.txt", tmp / "recipients", tmp / "backups"
    backups.mkdir(mode=0o700)
    subprocess.run(["age-keygen", "-o", identity], check=True, capture_output=True)
    public = subprocess.run(
        ["age-keygen", "-y", identity], check=True, capture_output=True, text=True
    ).stdout
    recipients.write_text(public)

    backup_unit = unit("baken-backup.service")
    env = {
        **stack["env"],
        **unit_environment(backup_unit),
        "BAKEN_BACKUP_DIR": str(backups),
        "BAKEN_BACKUP_RECIPIENTS": str(recipients),
        "BAKEN_BACKUP_KEEP": "2",
    }
    for _ in range(3):  # three backups, the newest two kept
        made = subprocess.run(
            unit_command(backup_unit), env=env, cwd=tmp, capture_output=True, text=True
        )
        assert made.returncode == 0, made.stderr
        print(made.stdout.strip())
        time.sleep(1.1)  # the names carry the time to the second
    files = sorted(backups.glob("baken-*.dump.age"))
    assert len(files) == 2 and not list(backups.glob(".*"))
    newest = files[-1]
    assert newest.stat().st_mode & 0o077 == 0
    sealed = newest.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n")
    assert b"PGDMP" not in sealed and canary.encode() not in sealed

    restore = DEPLOY / "backup" / "baken-restore"
    done = subprocess.run(
        [restore, newest, identity, databases["restored"]], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    print(done.stdout.strip())
    # The procedure's next step: the restored database needs no migration.
    checked = manage({**stack["env"], "DATABASE_URL": databases["restored"]}, "migrate", "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return databases["restored"]


# --- the files on their own --------------------------------------------------------------


def test_tor_accepts_the_shipped_torrc_and_refuses_a_broken_one(tmp_path):
    needs("tor")
    service = tmp_path / "hs"
    shipped = render((DEPLOY / "tor" / "torrc").read_text(), {"/var/lib/tor/baken/": f"{service}/"})
    assert "HiddenServicePort 80 127.0.0.1:8080" in shipped  # nginx's onion listener
    results = {}
    for name, text in {
        "shipped": shipped,
        "broken": shipped.replace("HiddenServicePort", "HiddenServicePrt"),
    }.items():
        (tmp_path / name).write_text(text)
        results[name] = subprocess.run(
            ["tor", "--verify-config", "-f", tmp_path / name]
            + ["--DataDirectory", tmp_path / "data", "--Log", "notice stdout"],
            capture_output=True,
            text=True,
        )
    print(results["shipped"].stdout)
    assert results["shipped"].returncode == 0 and "Configuration was valid" in (
        results["shipped"].stdout
    )
    assert results["broken"].returncode != 0


def test_check_deploy_finds_nothing_with_the_production_settings(tmp_path):
    env = production_env(tmp_path, "postgres://baken@127.0.0.1:5432/baken")
    env.update(unit_environment(unit("baken@.service")))
    checked = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    print(checked.stdout, checked.stderr)
    assert checked.returncode == 0
    assert "System check identified no issues" in checked.stdout
    # It can fail: without a helpline, or with a weak secret, it does.
    env.pop("BAKEN_HELPLINE_FILE")
    env["BAKEN_HELPLINE_FILE"] = str(tmp_path / "missing.yaml")
    assert manage(env, "check", "--deploy", "--fail-level", "WARNING").returncode != 0


def test_the_onion_address_is_a_configured_host(tmp_path):
    env = production_env(tmp_path, "postgres://baken@127.0.0.1:5432/baken")
    env.update(unit_environment(unit("baken@.service")))
    show = (
        "from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.SECURE_HSTS_PRELOAD)"
    )
    shown = manage(env, "shell", "--no-imports", "-c", show)
    assert shown.stdout.strip() == f"['localhost', '{ONION}'] ['http://{ONION}'] False"
    shown = manage(
        {**env, "BAKEN_ONION_HOST": "", "BAKEN_HSTS_PRELOAD": "1"},
        "shell",
        "--no-imports",
        "-c",
        show,
    )
    assert shown.stdout.strip() == "['localhost'] [] True"
    wrong = manage({**env, "BAKEN_ONION_HOST": "http://x.onion/"}, "shell", "-c", show)
    assert wrong.returncode != 0 and "BAKEN_ONION_HOST is the onion address alone" in wrong.stderr


HARDENING = {
    "User": "baken",
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "CapabilityBoundingSet": "",
    "UMask": "0077",
}


@pytest.mark.parametrize(
    "name", ["baken@.service", "baken-expirejournals.service", "baken-backup.service"]
)
def test_every_unit_runs_as_the_baken_user_hardened_with_secrets_from_a_file(name):
    settings_ = unit(name)
    for key, value in HARDENING.items():
        assert settings_.get(key) == [value], (name, key)
    assert settings_["EnvironmentFile"] == ["/etc/baken/env"]
    assert unit_environment(settings_).get("BAKEN_SECRET_KEY") is None  # never in the unit


def test_systemd_accepts_every_unit_and_timer(tmp_path):
    """`systemd-analyze verify`: every key known, every path absolute, every command there."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("needs systemd-analyze (Debian package systemd)")
    files = []
    for shipped in sorted((DEPLOY / "systemd").iterdir()):
        text = shipped.read_text().replace("/srv/baken/.venv/bin/", f"{BIN}/")
        name = shipped.name.replace("@.", "@8001.")
        (tmp_path / name).write_text(text.replace("/srv/baken", str(ROOT)))
        files.append(f"./{name}")
    for broken in (False, True):
        if broken:  # it can fail: a misspelt key
            unit_file = tmp_path / "baken@8001.service"
            text = unit_file.read_text()
            unit_file.write_text(text.replace("ProtectSystem=", "ProtectSystm="))
        checked = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", *files],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        print(checked.stdout + checked.stderr)
        if broken:
            assert "Unknown key 'ProtectSystm'" in checked.stderr
        else:
            assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr


@pytest.mark.parametrize("name", ["baken-expirejournals", "baken-backup"])
def test_every_job_has_a_daily_timer(name):
    timer = unit(f"{name}.timer")
    assert timer["OnCalendar"][0].startswith("*-*-* ") and timer["Persistent"] == ["true"]
    assert (DEPLOY / "systemd" / f"{name}.service").exists()


def test_the_container_files_run_the_units_command_and_settings():
    containerfile = (DEPLOY / "Containerfile").read_text()
    command = re.search(r'^CMD \[(".venv/bin/gunicorn".*)\]$', containerfile, re.M).group(1)
    argv = [part.strip().strip('"') for part in command.split(",")]
    server = unit_command(unit("baken@.service"), "8000")
    assert argv[1:-1] == [a.replace(f"{BIN}/", ".venv/bin/") for a in server][1:-1]
    assert argv[-1] == "0.0.0.0:8000" and server[-1] == "127.0.0.1:8000"
    assert "DJANGO_SETTINGS_MODULE=baken.settings.prod" in containerfile
    compose = (DEPLOY / "compose.yaml").read_text()
    assert "DJANGO_SETTINGS_MODULE: baken.settings.prod" in compose
    assert "COPY deploy/nginx/baken.conf " in containerfile
    assert "COPY deploy/tor/torrc " in containerfile
    upstream = (DEPLOY / "container" / "upstream.conf").read_text()
    assert "server app1:8000;" in upstream and "server app2:8000;" in upstream


def test_nginx_refuses_exactly_what_baken_refuses():
    site = (DEPLOY / "nginx" / "baken.conf").read_text()
    (limit,) = re.findall(r"client_max_body_size (\d+);", site)
    assert int(limit) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # Nothing that logs: every server turns both logs off.
    assert site.count("server {") == site.count("access_log off;")
    assert site.count("server {") == site.count("error_log /dev/null;")
    assert "$remote_addr" not in site and "X-Forwarded-For $" not in site
