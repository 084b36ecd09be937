"""The staff area apart from the visitor's: its own address or host, never linked, never
cached or indexed; administrators' account actions and the audit log."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from staff.models import Action, AuditEvent, Staff, StaffSession
from staff.roles import Role
from tests.helpers.staff import PREFIX, make, post_action, sign_in_with_password, signed_in

pytestmark = pytest.mark.django_db


def test_staff_pages_are_never_cached_or_indexed(client):
    page = client.get(f"{PREFIX}/sign-in/")
    assert page["Cache-Control"] == "no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_no_visitor_page_mentions_the_staff_area(client):
    for path in ("/", "/en/", "/help/", "/en/help/", "/facts/", "/journal/continue/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert "/staff" not in response.content.decode(), path


def test_a_visitor_session_and_a_staff_session_never_meet(client):
    signed_in(client, "ana", Role.COUNSELLOR)
    staff_cookie = client.cookies["staff"].value
    client.get("/journal/continue/")  # a visitor page with a form: the visitor's own session
    assert client.cookies["staff"].value == staff_cookie
    assert client.get(f"{PREFIX}/").status_code == 200


@pytest.fixture
def staff_host(settings):
    settings.BAKEN_STAFF_HOST = "staff.example.test"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "staff.example.test"]
    import importlib

    import baken.urls

    importlib.reload(baken.urls)
    clear_url_caches()
    yield
    settings.BAKEN_STAFF_HOST = ""
    importlib.reload(baken.urls)
    clear_url_caches()


def test_a_staff_host_of_its_own(client, staff_host):
    assert client.get(f"{PREFIX}/sign-in/").status_code == 404  # not on the visitor's host
    on_staff_host = client.get(f"{PREFIX}/sign-in/", HTTP_HOST="staff.example.test")
    assert on_staff_host.status_code == 200
    assert client.get("/", HTTP_HOST="staff.example.test").status_code == 404
    assert client.get("/", HTTP_HOST="testserver").status_code == 200


def test_the_prefix_is_configurable(client, settings):
    import importlib

    import baken.urls

    settings.BAKEN_STAFF_PREFIX = "team-7f3a"
    try:
        importlib.reload(baken.urls)
        clear_url_caches()
        assert client.get("/team-7f3a/sign-in/").status_code == 200
        assert client.get("/staff/sign-in/").status_code == 404
    finally:
        settings.BAKEN_STAFF_PREFIX = "staff"
        importlib.reload(baken.urls)
        clear_url_caches()


def test_resetting_a_second_factor_ends_their_sessions_and_is_audited(client):
    signed_in(client, "ana", Role.ADMINISTRATOR)
    other = type(client)()
    signed_in(other, "ben", Role.COUNSELLOR)
    assert StaffSession.objects.count() == 2
    ben = Staff.objects.get(username="ben")
    reset = post_action(client, f"{PREFIX}/accounts/{ben.pk}/reset-second-factor/")
    assert reset.status_code == 303
    assert other.get(f"{PREFIX}/").status_code == 303  # ben's session has ended
    assert StaffSession.objects.count() == 1
    sign_in_with_password(other, "ben")
    assert other.get(f"{PREFIX}/sign-in/code/")["Location"] == f"{PREFIX}/sign-in/authenticator/"
    assert AuditEvent.objects.filter(
        staff__username="ana", action=Action.SECOND_FACTOR_RESET, target="ben"
    ).exists()


def test_a_deactivated_account_cannot_sign_in(client):
    signed_in(client, "ana", Role.ADMINISTRATOR)
    ben = make("ben", Role.COUNSELLOR)
    assert post_action(client, f"{PREFIX}/accounts/{ben.pk}/deactivate/").status_code == 303
    assert sign_in_with_password(type(client)(), "ben").status_code == 400
    assert AuditEvent.objects.filter(action=Action.DEACTIVATED, target="ben").exists()


def test_the_audit_log_is_exported_and_cannot_be_changed(client):
    signed_in(client, "ana", Role.ADMINISTRATOR)
    export = client.get(f"{PREFIX}/audit/export.csv")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0] == ["time (UTC)", "staff", "action", "about"]
    assert [r[1:3] for r in rows[1:]] == [
        ["ana", Action.TOTP_ENROLLED],
        ["ana", Action.BACKUP_CODES_MADE],
        ["ana", Action.LOGIN],
        ["ana", Action.AUDIT_EXPORTED],  # the export itself is written first
    ]
    event = AuditEvent.objects.first()
    event.action = Action.LOGOUT
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action=Action.LOGOUT)
    page = client.get(f"{PREFIX}/audit/").content.decode()
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]


@override_settings(BAKEN_STAFF_IDLE_SECONDS=900)
def test_the_audit_log_holds_no_address_or_browser(client):
    signed_in(client, "ana", Role.ADMINISTRATOR)
    client.get(f"{PREFIX}/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="NeutralAgent/1.0")
    for row in AuditEvent.objects.values():
        text = str(row)
        assert "203.0.113" not in text and "NeutralAgent" not in text and "127.0.0.1" not in text
