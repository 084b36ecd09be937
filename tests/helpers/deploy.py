"""The deployment's files (deploy/) run for real: the systemd units' command lines, nginx
with the shipped site, a visitor over HTTPS or the onion listener. Used by tests/deploy and by
`python -m bench.deploy`. Only what an operator edits is changed (ports, paths, names):
`render` fails when one of them is no longer in the file."""

from __future__ import annotations

import gzip
import http.client
import os
import secrets
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .forms import the_form
from .live import free_port

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]

DEPLOY = ROOT / "deploy"
ONION = "baken" + "a" * 51 + ".onion"  # 56 characters, as a v3 address

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


def unit_command(settings_: dict[str, list[str]], instance: str = "", number: int = 0) -> list[str]:
    """The unit's ExecStart (the `number`th, for a oneshot unit with several) with this
    checkout in place of /srv/baken and its .venv."""
    line = settings_["ExecStart"][number]
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
    """Run one statement on the server's `postgres` database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(f"{postgres_server()}/postgres", autocommit=True, connect_timeout=5) as c:
        c.execute(sql)


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


def resume(visitor: Visitor, phrase: str) -> None:
    _, page, _ = visitor.get("/journal/continue/")
    status, _, headers = visitor.post(
        "/journal/continue/", dict(the_form(page).fields, phrase=phrase)
    )
    assert status == 303, (status, headers)


# --- nginx and the application servers ----------------------------------------------------


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


@dataclass
class Site:
    """Application servers started as baken@.service starts them, and nginx in front."""

    tmp: Path
    env: dict[str, str]
    apps: dict[str, Process]
    proxy: Process
    ports: dict[str, int] = field(default_factory=dict)
    cert: Path | None = None

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))

    def stop(self) -> None:
        self.proxy.stop()
        for app in self.apps.values():
            app.stop()


def start_site(
    tmp: Path, env: dict[str, str], names: tuple[str, ...] = ("a", "b"), say: Callable = print
) -> Site:
    """Start the application servers and nginx; stops what it started if something fails.
    `env` is /etc/baken/env's content; the unit's Environment= lines are added to it."""
    server_unit = unit("baken@.service")
    env = {**env, **unit_environment(server_unit)}
    assert env["DJANGO_SETTINGS_MODULE"] == "baken.settings.prod"
    assert server_unit["WorkingDirectory"] == ["/srv/baken"]
    argv = unit_command(server_unit, "0")
    apps = {n: Process(f"baken-{n}", argv, env, ROOT, tmp / f"app-{n}.log") for n in names}
    site = Site(tmp, env, apps, Process("nginx", [], env, tmp, tmp / "nginx.out"))
    say(f"{len(names)} application server(s), as baken@.service starts them: {shlex.join(argv)}")
    try:
        for app in apps.values():
            app.start()
        site.ports = {name: listening_port(app) for name, app in apps.items()}
        site.ports.update({name: free_port() for name in ("https", "http", "onion")})

        say("a throwaway certificate for localhost")
        site.cert, key = tmp / "cert.pem", tmp / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
            + ["-nodes", "-days", "1", "-subj", "/CN=localhost"]
            + ["-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", site.cert],
            check=True,
            capture_output=True,
        )
        ports = site.ports
        (tmp / "baken.conf").write_text(
            render(
                (DEPLOY / "nginx" / "baken.conf").read_text(),
                {
                    "listen 80 default_server;": (
                        f"listen 127.0.0.1:{ports['http']} default_server;"
                    ),
                    "listen 443 ssl http2 default_server;": (
                        f"listen 127.0.0.1:{ports['https']} ssl http2 default_server;"
                    ),
                    "listen 80;": f"listen 127.0.0.1:{ports['http']};",
                    "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
                    # IPv6 may be missing in a container: these listen on 127.0.0.1 only.
                    "listen [::]:80 default_server;": "",
                    "listen [::]:443 ssl http2 default_server;": "",
                    "listen [::]:80;": "",
                    "listen [::]:443 ssl http2;": "",
                    "listen 127.0.0.1:8080;": f"listen 127.0.0.1:{ports['onion']};",
                    "server_name baken.example;": "server_name localhost;",
                    "/etc/letsencrypt/live/baken.example/fullchain.pem": str(site.cert),
                    "/etc/letsencrypt/live/baken.example/privkey.pem": str(key),
                    "/srv/baken/staticfiles/": f"{ROOT}/staticfiles/",
                    '    https "";': f'    https "http://{ONION}$request_uri";',
                },
            )
        )
        shipped = (DEPLOY / "nginx" / "baken-upstream.conf").read_text()
        servers = "".join(f"    server 127.0.0.1:{ports[n]};\n" for n in names)
        (tmp / "baken-upstream.conf").write_text(
            render(shipped, {"    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n": servers})
        )
        (tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp))
        nginx = ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
        checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
        say("nginx -t with the shipped site: " + checked.stderr.strip().replace("\n", " | "))
        assert checked.returncode == 0, checked.stderr
        if os.geteuid() == 0:  # not root: nginx warns that it ignores `user`
            assert "[warn]" not in checked.stderr, checked.stderr
        site.proxy.argv = [*nginx, "-g", "daemon off;"]
        site.proxy.start()
        wait_for_port(site.proxy, ports["https"])
        return site
    except BaseException:
        site.stop()
        raise
