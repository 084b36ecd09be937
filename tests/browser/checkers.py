"""The real tools the browser tests use: Chromium, axe-core and the Nu HTML Checker.

Each is found on this machine or the test fails, saying how to install it: a browser suite that
quietly skips proves nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.helpers.live import free_port, wait_until_answering

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Chromium talks only to the site: no update checks, sync, field trials or QUIC probes that
# would otherwise go to Google's hosts, and the sandbox off because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-features=Translate",
    "--metrics-recording-only",
    "--no-pings",
]

# WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules the product promises to meet.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


class Missing(Exception):
    """A tool the browser tests need is not installed; the message says how to install it."""


SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "/usr/bin/chromium")


def chromium_executable(managed: str, system: tuple[str, ...] = SYSTEM_CHROMIUMS) -> str | None:
    """A system Chromium (Debian's), else Playwright's own download; None means "use managed".

    BAKEN_TEST_CHROMIUM names another browser binary explicitly.
    """
    chosen = os.environ.get("BAKEN_TEST_CHROMIUM")
    if chosen:
        if not Path(chosen).is_file():
            raise Missing(f"BAKEN_TEST_CHROMIUM={chosen} does not exist.")
        return chosen
    for name in system:
        found = shutil.which(name)
        if found:
            return found
    if managed and Path(managed).is_file():
        return None
    raise Missing(
        "No Chromium found for the browser tests. Install Debian's with "
        "`sudo apt-get install chromium`, or Playwright's with "
        "`.venv/bin/playwright install chromium`, or set BAKEN_TEST_CHROMIUM to a Chromium binary."
    )


def _need(path: Path) -> Path:
    if not path.is_file():
        raise Missing(f"{path} is missing: run `npm ci --ignore-scripts` (`make test` does).")
    return path


# --- axe-core ------------------------------------------------------------------------------


def axe(page) -> dict:
    """Run axe-core in the page with the WCAG A and AA rules; its violations and the checks
    it could not decide (`incomplete`).

    The script is evaluated by the browser's debugging protocol, which the page's strict
    Content-Security-Policy does not govern; nothing is added to the site for it.
    """
    page.evaluate(_need(AXE_JS).read_text())
    return page.evaluate(
        """tags => axe.run(document, {
               runOnly: {type: "tag", values: tags},
               resultTypes: ["violations", "incomplete"],
           }).then(r => ({violations: r.violations, incomplete: r.incomplete}))""",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict]) -> str:
    """One line per failing element: rule, impact, what to fix, where."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                f"{' '.join(map(str, node['target']))}: {node['html'][:160]}"
            )
    return "\n".join(lines)


# --- the Nu HTML Checker ---------------------------------------------------------------------


@dataclass(frozen=True)
class Checker:
    """The Nu HTML Checker (vnu.jar) running as a local web service on a loopback port."""

    base: str

    def check(self, document: bytes, content_type: str = "text/html; charset=utf-8") -> list[dict]:
        """Every message the checker gives for the document (errors, warnings, info)."""
        request = urllib.request.Request(
            f"{self.base}/?out=json", data=document, headers={"Content-Type": content_type}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)["messages"]

    def errors(self, document: bytes, content_type: str = "text/html; charset=utf-8") -> list[dict]:
        """The messages that make a document invalid."""
        return [
            m
            for m in self.check(document, content_type)
            if m["type"] == "error" or m.get("subType") == "fatal"
        ]


def describe_messages(messages: list[dict]) -> str:
    return "\n".join(
        f"line {m.get('lastLine', '?')}: {m['type']}: {m['message']}"
        f"  [{m.get('extract', '').strip()[:120]}]"
        for m in messages
    )


@contextmanager
def nu_checker(tmp: Path) -> Iterator[Checker]:
    """Start vnu.jar's own web service with the machine's Java; stop it afterwards."""
    java = shutil.which("java")
    if java is None:
        raise Missing(
            "No Java found for the Nu HTML Checker: `sudo apt-get install default-jre-headless`."
        )
    port = free_port()
    log = tmp / "vnu.log"
    with log.open("wb") as out:
        # The schema loader recurses deeply: it needs a bigger stack than Java's default.
        process = subprocess.Popen(
            [
                java,
                "-Xss4m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(_need(VNU_JAR)),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(base, process, log, seconds=120, what="the Nu checker")
            yield Checker(base)
        finally:
            process.terminate()
            process.wait(timeout=30)
