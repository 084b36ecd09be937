"""Odd input to every staff form never gets a 500: the visitor fuzz test's odd values and
bodies, posted to the sign-in, code, authenticator, password, invitation and account forms by
someone signed out, someone with a password only, and an administrator."""

from __future__ import annotations

import collections
import os
import random
from urllib.parse import quote

import pytest

from staff import service
from staff.models import Staff
from staff.roles import Role
from tests.helpers.forms import forms
from tests.helpers.staff import PREFIX, make, sign_in_with_password, signed_in
from tests.system.test_fuzz import RAW_BODIES, SEED, _odd_post

POSTS = int(os.environ.get("FUZZ_STAFF_POSTS", "600"))


@pytest.mark.fuzz
@pytest.mark.django_db
def test_odd_posts_to_every_staff_form_never_get_a_500(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    # Odd sign-ins would soon ask every sign-in for both factors (staff.throttle): not here.
    settings.BAKEN_STAFF_LOGIN_LIMITS = {"account_failures": 10**6, "site_failures": 10**6}
    rng = random.Random(SEED)
    anonymous, half, admin = type(client)(), type(client)(), type(client)()
    make("half", Role.COUNSELLOR)
    signed_in(admin, "boss", Role.ADMINISTRATOR)
    invitation = service.invite(
        type("R", (), {"session": {}})(), Staff.objects.get(username="boss"), Role.COUNSELLOR
    )
    pages = {
        0: [f"{PREFIX}/sign-in/", f"{PREFIX}/invitation/{invitation}/"],
        1: [f"{PREFIX}/sign-in/authenticator/", f"{PREFIX}/sign-in/"],
        2: [f"{PREFIX}/password/", f"{PREFIX}/accounts/", f"{PREFIX}/backup-codes/"],
    }
    who_is = [anonymous, half, admin]
    statuses: collections.Counter[int] = collections.Counter()
    failures = []
    for number in range(POSTS):
        who = rng.randrange(3)
        browser = who_is[who]
        if who == 1 and not browser.cookies.get("staff", None):
            sign_in_with_password(browser, "half")
        if who == 2 and browser.get(f"{PREFIX}/").status_code != 200:
            # Signed out by the fuzz (a refused token ends nothing, but a sign-out button
            # might be pressed): a new administrator takes over.
            browser = who_is[2] = type(client)()
            signed_in(browser, f"boss-{number}", Role.ADMINISTRATOR)
        page = rng.choice(pages[who])
        shown = [f for f in forms(browser.get(page).content.decode()) if f.in_main]
        if not shown:
            continue
        form = rng.choice(shown)
        names = [n for n in [*form.fields, *form.radios] if n != "csrfmiddlewaretoken"]
        url = form.action or page
        if rng.random() < 0.1:
            body = (
                rng.choice(RAW_BODIES)
                + b"&"
                + "&".join(f"{quote(k)}={quote(v)}" for k, v in form.fields.items()).encode()
            )
            response = browser.generic(
                "POST", url, body, content_type="application/x-www-form-urlencoded"
            )
        else:
            response = browser.post(url, _odd_post(rng, dict(form.fields), names))
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append((number, url, response.status_code))
    sent = sum(statuses.values())
    print(f"\nstaff fuzz: {sent} posts (seed {SEED}), statuses: {dict(sorted(statuses.items()))}")
    assert failures == [], failures[:10]
