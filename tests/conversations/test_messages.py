"""Anonymous messages between a visitor and the helpline's counsellors (issue 18)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import serializers
from django.test import override_settings
from django.utils import timezone

from conversations.models import CLOSED, Conversation, Message
from staff import keys
from staff import service as staff_service
from staff.models import Action, AuditEvent, Staff
from staff.roles import Role
from tests.helpers.forms import forms
from tests.helpers.staff import PREFIX, enrol, make, sign_in_with_password
from tests.helpers.walk import read_phrase

pytestmark = pytest.mark.django_db

VISITOR_CANARY = "kanarie-bezoeker-7f3a"
REPLY_CANARY = "kanarie-antwoord-91c2"


@pytest.fixture
def inbox():
    """An administrator who made the inbox key; returns the recovery code."""
    admin = make("ana", Role.ADMINISTRATOR)
    return staff_service.create_inbox(admin, "a long neutral test passphrase")


def counsellor(client, name: str, code: str):
    """A counsellor who holds the inbox key (given with the recovery code), signed in."""
    staff = make(name, Role.COUNSELLOR)
    staff_service.recover_inbox(staff, code, "a long neutral test passphrase")
    sign_in_with_password(client, name)
    enrol(client, name)
    return client


def post_message(client, text: str, path: str = "/messages/"):
    form = next(f for f in forms(client.get(path).content.decode()) if f.action == "/messages/")
    return client.post("/messages/", {**form.fields, "message": text})


def test_a_visitor_without_a_journal_gets_the_phrase_first_and_keeps_the_text(client, inbox):
    sent = post_message(client, VISITOR_CANARY)
    assert sent.status_code == 303
    assert sent["Location"] == "/journal/phrase/?next=/messages/"
    phrase = read_phrase(client.get(sent["Location"]).content.decode())
    assert len(phrase.split()) == 7
    assert not Message.objects.exists()  # not sent before the visitor has seen the phrase
    page = client.get("/messages/").content.decode()
    assert VISITOR_CANARY in page and "nog niet verstuurd" in page
    assert post_message(client, VISITOR_CANARY)["Location"] == "/messages/?sent=1"
    assert Message.objects.count() == 1


def test_the_whole_conversation_at_three_in_the_night(client, inbox):
    """A visitor writes at 03:00; a counsellor sees it first with its waiting time, replies;
    the visitor comes back in a fresh browser with the phrase and reads the whole thread."""
    night = datetime(2026, 12, 3, 2, 0, 17, tzinfo=UTC)  # 03:00 in Amsterdam
    visitor = type(client)()
    with mock.patch("django.utils.timezone.now", return_value=night - timedelta(hours=5)):
        earlier = type(client)()
        post_message(earlier, "een eerder neutraal bericht")
        post_message(earlier, "een eerder neutraal bericht")
    with mock.patch("django.utils.timezone.now", return_value=night):
        post_message(visitor, VISITOR_CANARY)
        phrase = read_phrase(visitor.get("/journal/phrase/").content.decode())
        post_message(visitor, VISITOR_CANARY)
    ours = Conversation.objects.exclude(pk=Conversation.objects.first().pk).get()
    assert ours.opened == night.replace(minute=0, second=0)  # to the hour, nothing finer
    staff = counsellor(type(client)(), "cora", inbox)
    with mock.patch("django.utils.timezone.now", return_value=night + timedelta(hours=7)):
        listing = staff.get(f"{PREFIX}/inbox/").content.decode()
    labels = re.findall(r'/staff/inbox/([A-Z0-9]+)/"', listing)
    assert labels == [Conversation.objects.first().label, ours.label]  # the longest waiting first
    assert "ongeveer 7 uur" in listing
    thread = staff.get(f"{PREFIX}/inbox/{ours.label}/").content.decode()
    assert VISITOR_CANARY in thread
    form = next(f for f in forms(thread) if "message" in [*f.fields, *f.textareas])
    replied = staff.post(
        f"{PREFIX}/inbox/{ours.label}/", {**form.fields, "message": REPLY_CANARY, "action": "reply"}
    )
    assert replied.status_code == 303
    assert set(AuditEvent.objects.filter(target=ours.label).values_list("action", flat=True)) == {
        Action.CONVERSATION_OPENED,
        Action.REPLIED,
    }
    # The visitor, in a fresh browser, with the phrase.
    again = type(client)()
    form = next(f for f in forms(again.get("/journal/continue/").content.decode()) if f.in_main)
    assert again.post("/journal/continue/", {**form.fields, "phrase": phrase}).status_code == 303
    assert "1 nieuw antwoord van een hulpverlener" in again.get("/").content.decode()
    page = again.get("/messages/").content.decode()
    assert page.index(VISITOR_CANARY) < page.index(REPLY_CANARY)
    assert "1 nieuw antwoord" not in again.get("/").content.decode()  # seen now

    # The canary scan: nothing of either message in the clear in the database.
    dump = "".join(
        serializers.serialize("json", model.objects.all())
        for model in (Conversation, Message, AuditEvent, Staff)
    )
    from django.apps import apps

    everything = "".join(
        serializers.serialize("json", model.objects.all()) for model in apps.get_models()
    )
    assert VISITOR_CANARY not in everything and REPLY_CANARY not in everything
    assert dump


def test_a_seized_database_with_every_secret_reads_no_message(client, inbox, settings):
    visitor = type(client)()
    post_message(visitor, VISITOR_CANARY)
    post_message(visitor, VISITOR_CANARY)
    from django.apps import apps

    values: set[bytes] = {
        settings.SECRET_KEY.encode(),
        *(p.encode() for p in settings.BAKEN_PEPPERS.values()),
    }
    for model in apps.get_models():
        for row in model.objects.values():
            for value in row.values():
                if isinstance(value, (bytes, memoryview)):
                    values.add(bytes(value))
                elif value is not None:
                    values.add(str(value).encode())
    candidates = {v[:32] for v in values if len(v) >= 32}
    candidates |= {__import__("hashlib").sha256(v).digest() for v in values}
    opened = 0
    for message in Message.objects.all():
        for sealed in (bytes(message.for_inbox), bytes(message.for_journal)):
            for candidate in candidates:
                try:
                    keys.open_sealed(candidate, sealed)
                    opened += 1
                except Exception:  # noqa: BLE001, S112 (every wrong key fails its own way)
                    continue
    copies = 2 * Message.objects.count()
    print(f"{len(candidates)} candidate keys × {copies} sealed copies: {opened} opened")
    assert opened == 0


def test_two_counsellors_one_reply(client, inbox):
    post_message(client, "een neutraal bericht")
    post_message(client, "een neutraal bericht")
    label = Conversation.objects.get().label
    first, second = (
        counsellor(type(client)(), "cora", inbox),
        counsellor(type(client)(), "dirk", inbox),
    )
    page_one = first.get(f"{PREFIX}/inbox/{label}/").content.decode()
    page_two = second.get(f"{PREFIX}/inbox/{label}/").content.decode()
    assert 'name="message"' in page_one and 'name="message"' not in page_two
    assert "cora beantwoordt dit gesprek nu" in page_two
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_two).group(1)
    refused = second.post(
        f"{PREFIX}/inbox/{label}/",
        {"csrfmiddlewaretoken": token, "message": "ook een antwoord", "action": "reply"},
    )
    assert refused.status_code == 400 and "niet verstuurd" in refused.content.decode()
    form = next(f for f in forms(page_one) if "message" in f.textareas)
    assert (
        first.post(
            f"{PREFIX}/inbox/{label}/",
            {**form.fields, "message": "het antwoord", "action": "reply"},
        ).status_code
        == 303
    )
    assert Message.objects.filter(from_visitor=False).count() == 1


def test_limits_keep_the_text_and_say_why(client, inbox, settings):
    post_message(client, "bericht")
    for number in range(5):
        assert post_message(client, f"bericht {number}").status_code == 303
    refused = post_message(client, "het zesde bericht, nog niet verstuurd")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "het zesde bericht, nog niet verstuurd" in page and "nog niet beantwoord" in page
    too_long = post_message(client, "x" * 5001)
    assert too_long.status_code == 400 and "x" * 5001 in too_long.content.decode()


def test_delete_everything_deletes_the_conversation(client, inbox):
    post_message(client, "bericht")
    post_message(client, "bericht")
    assert Conversation.objects.count() == 1
    form = next(f for f in forms(client.get("/journal/delete/").content.decode()) if f.in_main)
    client.post("/journal/delete/", form.fields)
    assert Conversation.objects.count() == Message.objects.count() == 0


def test_the_visitor_can_close_and_expiremessages_deletes_old_ones(client, inbox):
    from django.core.management import call_command

    post_message(client, "bericht")
    post_message(client, "bericht")
    form = next(
        f
        for f in forms(client.get("/messages/").content.decode())
        if f.action == "/messages/close/"
    )
    client.post("/messages/close/", form.fields)
    assert Conversation.objects.get().state == CLOSED
    call_command("expiremessages", days=1)
    assert Conversation.objects.count() == 1
    Conversation.objects.update(
        closed=timezone.now() - timedelta(days=2), last_activity=timezone.now() - timedelta(days=2)
    )
    call_command("expiremessages", days=1)
    assert Conversation.objects.count() == 0


def test_without_an_inbox_key_nothing_is_sent_and_the_text_stays(client):
    page = client.get("/messages/").content.decode()
    assert "nog niet ingesteld" in page and 'name="message"' not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    token = token.group(1) if token else ""
    if not token:  # no form on the page: take the token from another one
        other = client.get("/journal/continue/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', other).group(1)
    refused = client.post("/messages/", {"csrfmiddlewaretoken": token, "message": "mijn tekst 4d2"})
    assert refused.status_code == 409
    assert "mijn tekst 4d2" in refused.content.decode()
    assert not Conversation.objects.exists()


def test_past_the_hours_budget_new_conversations_are_sent_and_listed_after_the_others(
    client, inbox, settings, caplog
):
    """A flood of new conversations refuses nobody: past the hour's budget they are sent, marked,
    and listed after the other waiting ones; a conversation already open is never counted."""
    settings.BAKEN_MESSAGE_LIMITS = {**settings.BAKEN_MESSAGE_LIMITS, "new_per_hour": 2}
    talking = type(client)()  # a visitor already in a conversation when the flood starts
    post_message(talking, "een eerder neutraal bericht")
    post_message(talking, "een eerder neutraal bericht")
    flood = []
    for number in range(4):
        visitor = type(client)()
        post_message(visitor, f"neutraal bericht {number}")
        assert post_message(visitor, f"neutraal bericht {number}").status_code == 303
        flood.append(visitor)
    # The one already talking goes on writing, counted by nobody.
    assert post_message(talking, "nog een neutraal bericht").status_code == 303
    assert Message.objects.count() == 6
    surge = list(Conversation.objects.filter(surge=True).order_by("pk"))
    assert len(surge) == 3  # the hour's first two (the one talking, one from the flood) fit
    assert not Conversation.objects.order_by("pk").first().surge  # the one talking
    said = [r.getMessage() for r in caplog.records]
    assert said.count("more than 2 new conversations this hour") == 1
    staff = counsellor(type(client)(), "cora", inbox)
    listing = staff.get(f"{PREFIX}/inbox/").content.decode()
    labels = re.findall(r'/staff/inbox/([A-Z0-9]+)/"', listing)
    assert labels[-3:] == [c.label for c in surge]
    assert "3 wachtende gesprekken" in listing and listing.count("<td>begonnen in een drukte") == 3


@pytest.mark.parametrize(
    ("moment", "says_open"),
    [
        (datetime(2026, 12, 8, 15, 30, tzinfo=ZoneInfo("Europe/Amsterdam")), True),  # Tuesday
        (datetime(2026, 12, 8, 3, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), False),
    ],
)
def test_the_page_says_when_the_phone_line_is_open_now(client, inbox, moment, says_open):
    from support import helpline

    example = Path(settings.BASE_DIR) / "config" / "helpline.example.yaml"
    with override_settings(BAKEN_HELPLINE_FILE=example):
        helpline.get_helpline.cache_clear()
        try:
            with time_machine.travel(moment, tick=False):
                page = client.get("/messages/").content.decode()
        finally:
            helpline.get_helpline.cache_clear()
    assert ("De hulplijn is nu open" in page) is says_open
