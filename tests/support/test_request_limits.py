"""Bodies no form of Baken's sends are refused unread, with a clear page (issue 16, finding 9)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from journal.models import Journal
from tests.helpers.forms import the_form

STEP = "/m/reality/empathy-1/"


def _form(client, url=STEP):
    return the_form(client.get(url).content.decode())


def test_a_multipart_post_with_a_large_file_is_refused_and_nothing_is_saved(client):
    fields = _form(client).fields
    upload = SimpleUploadedFile("big.bin", b"x" * 20_000_000)
    response = Client.post(client, STEP, {**fields, "file": upload})  # multipart, as Django's
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er klopte iets niet aan het verzoek" in page
    assert "alleen tekst" in page  # what was wrong, in the visitor's language
    assert not Journal.objects.exists()


def test_a_small_multipart_post_is_refused_too_in_the_visitors_language(client):
    fields = _form(client, "/en" + STEP).fields
    response = Client.post(client, "/en" + STEP, {**fields})  # multipart
    assert response.status_code == 400
    assert "send text only" in response.content.decode()
    assert not Journal.objects.exists()


def test_a_body_declared_over_the_limit_is_refused_unread(client):
    fields = _form(client).fields
    response = client.post(
        STEP,
        {**fields},
        CONTENT_LENGTH="3000000",
    )
    assert response.status_code == 400
    assert "hoogstens 2,5 MB" in response.content.decode()
