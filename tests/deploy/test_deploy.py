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

import gzip
import html
import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

from core.http.middleware import CONTENT_SECURITY_POLICY
from tests.helpers.forms import the_form
from tests.helpers.live import BIN, free_port
from tests.helpers.livewalk import walk_live

pytestmark = pytest.mark.deploy

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
ONION = "baken" + "a" * 51 + ".onion"  # 56 characters, as a v3 address
TOOLS = {
    "nginx": "nginx",
    "tor": "tor",
    "age": "age",
    "age-keygen": "age",
    "pg_dump": "postgresql-client",
    "pg_restore": "postgresql-client",
    "openssl": "openssl",
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


# --- the shipped files ------------------------------------------------------------------


def render(text: str, changes: dict[str, str]) -> str:
    """The shipped text with the operator's edits; each edited line must still be there."""
    for old, new in changes.items():
        assert old in text, f"{old!r} is no longer in the shipped file: update the test"
        text = text.replace(old, new)
    return text


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's settings, each key with its values in order."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def unit_environment(settings_: dict[str, list[str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for value in settings_.get("Environment", []):
        for item in shlex.split(value):
            key, _, val = item.partition("=")
            env[key] = val
    return env


def unit_command(settings_: dict[str, list[str]], instance: str = "") -> list[str]:
    """ExecStart with this checkout in place of /srv/baken and its .venv."""
    (line,) = settings_["ExecStart"]
    line = line.replace("/srv/baken/.venv/bin/", f"{BIN}/").replace("/srv/baken/", f"{ROOT}/")
    return shlex.split(line.replace("%i", instance))


def production_env(tmp: Path, database_url: str, **extra: str) -> dict[str, str]:
    """What /etc/baken/env holds (deploy/env.example), made up for this test."""
    helpline = tmp / "helpline.yaml"
    if not helpline.exists():
        example = (ROOT / "config" / "helpline.example.yaml").read_text()
        helpline.write_text(render(example, {"\nexample: true\n": "\n"}))
    return {
        "PATH": f"{BIN}:/usr/bin:/bin:/usr/sbin:/sbin",
        "BAKEN_SECRET_KEY": secrets.token_urlsafe(48),
        "BAKEN_LOOKUP_PEPPER": secrets.token_urlsafe(48),
        "BAKEN_KEY_PEPPER": secrets.token_urlsafe(48),
        "BAKEN_ALLOWED_HOSTS": "localhost",
        "BAKEN_ONION_HOST": ONION,
        "DATABASE_URL": database_url,
        "BAKEN_WORKERS": "1",
        "BAKEN_HELPLINE_FILE": str(helpline),
        **extra,
    }


# --- PostgreSQL ---------------------------------------------------------------------------


def postgres_server() -> str:
    """postgres://user@host:port of the server the suite uses, or the machine's local one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("BAKEN_DEPLOY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def admin(sql: str) -> None:
    import psycopg

    server = postgres_server()
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as c:
            c.execute(sql)
    except psycopg.OperationalError as error:
        pytest.skip(f"the deployment test needs PostgreSQL at {server}: {error}")


@pytest.fixture(scope="module")
def databases() -> Iterator[dict[str, str]]:
    """Two scratch databases: the site's, and an empty one to restore a backup into."""
    tag = uuid.uuid4().hex[:8]
    names = {"site": f"baken_deploy_{tag}", "restored": f"baken_deploy_{tag}_restored"}
    for name in names.values():
        admin(f"CREATE DATABASE {name}")
    try:
        yield {k: f"{postgres_server()}/{name}" for k, name in names.items()}
    finally:
        for name in names.values():
            admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- processes ----------------------------------------------------------------------------


class Process:
    def __init__(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str],
        cwd: Path,
        log: Path,
        port: int | None = None,
    ):
        self.name, self.argv, self.env, self.cwd, self.log = name, argv, env, cwd, log
        self.port = port
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed whole
            )

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the server and its workers at once: a crash, not a clean stop. Returns
        once the port refuses connections (the workers, which hold it too, are gone)."""
        assert self.popen is not None
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)
        if self.port is None:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} still listens after SIGKILL")

    def stop(self) -> None:
        if self.running():
            assert self.popen is not None
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for_port(process: Process, port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if not process.running():
                raise RuntimeError(f"{process.name} stopped:\n{process.log.read_text()}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{process.name} did not listen in {seconds:g} s:\n{process.log.read_text()}"
                ) from None
            time.sleep(0.2)


def listening_port(process: Process, seconds: float = 60) -> int:
    """The port the server took. It is started on port 0 and the kernel picks a free one: a
    port picked beforehand could be taken by another server on this machine before gunicorn
    binds it, and gunicorn's log (level warning) does not say where it listens. So: the
    listening TCP socket among the master's open files (Linux's /proc)."""
    assert process.popen is not None
    deadline = time.monotonic() + seconds
    while True:
        inodes = set()
        for fd in Path(f"/proc/{process.popen.pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                process.port = int(fields[1].split(":")[1], 16)
                return process.port
        if not process.running():
            raise RuntimeError(f"{process.name} stopped:\n{process.log.read_text()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{process.name} did not listen:\n{process.log.read_text()}")
        time.sleep(0.2)


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "python", "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )


# --- a visitor ----------------------------------------------------------------------------


class Visitor:
    """A browser with JavaScript off, as far as the walk needs: real form posts with the
    Origin header browsers send, the session cookie kept (Secure and all, as Tor Browser
    keeps it on an onion address), redirects not followed."""

    def __init__(
        self,
        port: int,
        host: str,
        *,
        tls: ssl.SSLContext | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.port, self.host, self.tls = port, host, tls
        self.origin = f"{'https' if tls else 'http'}://{host}"
        self.extra = headers or {}
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []
        self.requests = 0

    def connection(self) -> http.client.HTTPConnection:
        if self.tls is not None:
            # The certificate's name (and SNI); nginx listens on 127.0.0.1 only.
            return http.client.HTTPSConnection("localhost", self.port, context=self.tls, timeout=60)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, dict]:
        self.requests += 1
        headers = {"Host": self.host, **self.extra}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Origin"] = self.origin
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = self.connection()
        try:
            connection.request("POST" if data is not None else "GET", path, body, headers)
            response = connection.getresponse()
            raw = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            text = raw.decode()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                self.set_cookies.append(cookie)
                name, _, value = cookie.split(";")[0].partition("=")
                if "max-age=0" in cookie.lower() or not value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return response.status, text, dict(response.headers)
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, str, dict]:
        return self.request(path)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, dict]:
        return self.request(path, data)


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


def resume(visitor: Visitor, phrase: str) -> None:
    _, page, _ = visitor.get("/journal/continue/")
    status, _, headers = visitor.post(
        "/journal/continue/", dict(the_form(page).fields, phrase=phrase)
    )
    assert status == 303, (status, headers)


# --- the stack ----------------------------------------------------------------------------


NGINX_MAIN = """\
# What Debian's /etc/nginx/nginx.conf sets around the sites, where it matters here: an
# access log for every request and an error log, both of which the site must turn off for
# itself, and its older TLS protocol list. Paths of this test's own.
user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    access_log {tmp}/nginx-access.log;
    gzip on;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    include {tmp}/baken-upstream.conf;
    include {tmp}/baken.conf;
}}
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory, databases) -> Iterator[dict[str, Any]]:
    needs("nginx", "openssl")
    tmp = tmp_path_factory.mktemp("deploy")
    env = production_env(tmp, databases["site"])
    server_unit = unit("baken@.service")
    env.update(unit_environment(server_unit))
    assert env["DJANGO_SETTINGS_MODULE"] == "baken.settings.prod"
    (workdir,) = server_unit["WorkingDirectory"]
    assert workdir == "/srv/baken"

    step("PostgreSQL: migrate the scratch database")
    migrated = manage(env, "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr

    apps = {}
    for name in ("a", "b"):
        argv = unit_command(server_unit, "0")
        apps[name] = Process(f"baken-{name}", argv, env, ROOT, tmp / f"app-{name}.log")
    step("two application servers, as baken@.service starts them: " + shlex.join(argv))
    proxy = Process("nginx", [], env, tmp, tmp / "nginx.out")
    try:
        for app in apps.values():
            app.start()
        ports = {name: listening_port(app) for name, app in apps.items()}
        ports.update({name: free_port() for name in ("https", "http", "onion")})

        step("a throwaway certificate for localhost")
        cert, key = tmp / "cert.pem", tmp / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
            + ["-nodes", "-days", "1", "-subj", "/CN=localhost"]
            + ["-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert],
            check=True,
            capture_output=True,
        )

        site = render(
            (DEPLOY / "nginx" / "baken.conf").read_text(),
            {
                "listen 80 default_server;": f"listen 127.0.0.1:{ports['http']} default_server;",
                "listen 443 ssl http2 default_server;": (
                    f"listen 127.0.0.1:{ports['https']} ssl http2 default_server;"
                ),
                "listen 80;": f"listen 127.0.0.1:{ports['http']};",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
                # IPv6 may be missing in a container: this test listens on 127.0.0.1 only.
                "listen [::]:80 default_server;": "",
                "listen [::]:443 ssl http2 default_server;": "",
                "listen [::]:80;": "",
                "listen [::]:443 ssl http2;": "",
                "listen 127.0.0.1:8080;": f"listen 127.0.0.1:{ports['onion']};",
                "server_name baken.example;": "server_name localhost;",
                "/etc/letsencrypt/live/baken.example/fullchain.pem": str(cert),
                "/etc/letsencrypt/live/baken.example/privkey.pem": str(key),
                "/srv/baken/staticfiles/": f"{ROOT}/staticfiles/",
                '    https "";': f'    https "http://{ONION}$request_uri";',
            },
        )
        upstream = render(
            (DEPLOY / "nginx" / "baken-upstream.conf").read_text(),
            {
                "127.0.0.1:8001": f"127.0.0.1:{ports['a']}",
                "127.0.0.1:8002": f"127.0.0.1:{ports['b']}",
            },
        )
        (tmp / "baken.conf").write_text(site)
        (tmp / "baken-upstream.conf").write_text(upstream)
        (tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp))
        nginx = ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
        step("nginx -t with the shipped site")
        checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
        print(checked.stderr.strip())
        assert checked.returncode == 0, checked.stderr
        if os.geteuid() == 0:  # not root: nginx warns that it ignores `user`
            assert "[warn]" not in checked.stderr, checked.stderr

        proxy.argv = [*nginx, "-g", "daemon off;"]
        proxy.start()
        wait_for_port(proxy, ports["https"])
        tls = ssl.create_default_context(cafile=str(cert))
        yield {"tmp": tmp, "env": env, "ports": ports, "apps": apps, "tls": tls, "cert": cert}
    finally:
        proxy.stop()
        for app in apps.values():
            app.stop()
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
    print("TLSv1.3 h2 | TLSv1.2 | TLSv1.1 refused")

    step("HTTP redirects to HTTPS; other names get nothing")
    plain = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    plain.request("GET", "/m/reality/goals/?a=b", headers={"Host": "localhost"})
    response = plain.getresponse()
    assert (response.status, response.headers["Location"]) == (
        301,
        "https://localhost/m/reality/goals/?a=b",
    )
    plain.close()
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
    # The one cookie, every time it was set (a new key when the journal was made).
    assert {c.split("=")[0] for c in visitor.set_cookies} == {"__Host-session"}
    print("Set-Cookie: __Host-session=…; " + visitor.set_cookies[-1].split(";", 1)[1].strip())
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

    step("expirejournals, with baken-expirejournals.service's command line")
    expire_unit = unit("baken-expirejournals.service")
    expired = subprocess.run(
        unit_command(expire_unit),
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

    step("nginx logged no address and no request")
    logs = {
        name: (tmp / name).read_text() if (tmp / name).exists() else ""
        for name in ("nginx-access.log", "nginx-error.log", "nginx.out")
    }
    for name, text in logs.items():
        assert "127.0.0.1" not in text and "client:" not in text, (name, text[-2000:])
        assert "/m/" not in text and ONION not in text, (name, text[-2000:])
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
