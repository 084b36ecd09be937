"""Drive a real server over HTTP with a cookie jar, like a browser with JavaScript off."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

from .forms import the_form
from .walk import fill


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def get(self, path: str) -> tuple[int, str, dict]:
        return self.request(path)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, dict]:
        return self.request(path, data)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def walk_live(
    browser: Browser, module, tag: str, choices: dict[str, str] | None = None
) -> tuple[dict[str, str], str]:
    """Save every step over HTTP; returns what was written and the recovery phrase. `choices`
    sets radio groups by name (such as "yes" to counting the scores anonymously)."""
    written: dict[str, str] = {}
    phrase = ""
    for step in module.steps:
        url = f"/m/{module.id}/{step.id}/"
        status, page, _ = browser.get(url)
        assert status == 200, (url, status)
        data, step_written = fill(the_form(page), step.id, tag)
        data.update({k: v for k, v in (choices or {}).items() if k in data})
        written.update(step_written)
        status, _, headers = browser.post(url, data)
        assert status == 303, (url, status)
        if headers["Location"].startswith("/journal/phrase/"):
            _, page, _ = browser.get(headers["Location"])
            phrase = " ".join(re.findall(r'<span class="word">([^<]+)</span>', page))
    return written, phrase
