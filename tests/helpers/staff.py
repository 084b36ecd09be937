"""Staff accounts for tests: made in the database, signed in through the real forms."""

from __future__ import annotations

from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers.forms import forms, the_form

PASSWORD = "a long neutral test passphrase"  # noqa: S105
PREFIX = "/staff"


def make(username: str, role: str, password: str = PASSWORD) -> Any:
    from staff.models import Staff

    return Staff.objects.create_user(username, password, role=role)


def code(device: TOTPDevice, ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `ahead` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return f"{totp.token():0{device.digits}d}"


def post_form(client: Any, path: str, values: dict[str, str], follow: bool = False) -> Any:
    """GET a page, fill its main form as a person would, and post it."""
    page = client.get(path)
    assert page.status_code in (200, 400), (path, page.status_code)
    html = page.content.decode()
    mine = [f for f in forms(html) if f.in_main and f.action in (path, "")]
    form = mine[0] if len(mine) == 1 else the_form(html)
    data = {**form.fields, **values}
    return client.post(form.action or path, data, follow=follow)


def sign_in_with_password(client: Any, username: str, password: str = PASSWORD) -> Any:
    return post_form(client, f"{PREFIX}/sign-in/", {"username": username, "password": password})


def enrol(client: Any, username: str) -> list[str]:
    """Set up the authenticator after the password step; returns the backup codes shown."""
    from staff.models import Staff

    client.get(f"{PREFIX}/sign-in/authenticator/")
    device = TOTPDevice.objects.get(user=Staff.objects.get(username=username), confirmed=False)
    done = post_form(client, f"{PREFIX}/sign-in/authenticator/", {"code": code(device)})
    assert done.status_code == 303, done.content.decode()[:2000]
    page = client.get(done["Location"]).content.decode()
    import re

    return re.findall(r"<li><code>([^<]+)</code></li>", page)


def signed_in(client: Any, username: str, role: str) -> Any:
    """A new account of `role`, signed in with both factors."""
    make(username, role)
    assert sign_in_with_password(client, username).status_code == 303
    enrol(client, username)
    return client


def post_action(client: Any, path: str) -> Any:
    """Press a button whose form posts to `path` (found on any staff page that shows it)."""
    import re

    for page in (f"{PREFIX}/accounts/", f"{PREFIX}/"):
        html = client.get(page).content.decode()
        found = re.search(
            rf'action="{re.escape(path)}"[^>]*>\s*<input type="hidden" '
            r'name="csrfmiddlewaretoken" value="([^"]+)"',
            html,
        )
        if found:
            return client.post(path, {"csrfmiddlewaretoken": found.group(1)})
    raise AssertionError(f"no button posts to {path}")
