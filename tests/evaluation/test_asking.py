"""The question after the closing ratings (the `contribute` block), and the feedback page."""

from __future__ import annotations

import pytest
from django.urls import resolve

from evaluation.models import Contribution, Feedback
from tests.helpers.files import edit
from tests.helpers.forms import the_form
from tests.modules.test_content import problems

pytestmark = pytest.mark.django_db


def test_the_question_must_name_an_after_rating(copy):
    edit(copy / "nl/reality/13-closing.yaml", "    rating: end\n", "    rating: start\n")
    (found,) = problems(copy)
    assert found.startswith("content/nl/reality/13-closing.yaml:")
    assert "'start' is not an 'after' rating earlier in the module" in found


def test_the_question_has_no_default_and_refuses_other_answers(client):
    page = client.get("/m/reality/closing/").content.decode()
    assert 'name="count-scores" value="yes">' in page  # not checked
    assert 'name="count-scores" value="no">' in page
    form = the_form(page)
    data = {**form.fields, "count-scores": "misschien"}
    for name in form.radios:
        if name.startswith("end."):
            data[name] = "2"
    response = client.post("/m/reality/closing/", data)
    assert response.status_code == 400
    assert Contribution.objects.count() == 0


def test_feedback_is_sent_only_with_a_choice_and_once_a_session(client):
    url = "/m/reality/feedback/"
    fields = the_form(client.get(url).content.decode()).fields
    assert client.post(url, fields).status_code == 400  # nothing chosen: nothing sent
    assert Feedback.objects.count() == 0
    assert client.post(url, {**fields, "recommend": "yes"}).status_code == 303
    assert client.post(url, {**fields, "recommend": "no"}).status_code == 303
    assert list(Feedback.objects.values_list("recommend", "helpfulness", "intent")) == [
        ("yes", None, "")
    ]


def test_a_staff_host_serves_the_dashboard_too():
    assert resolve("/staff/evaluation/", urlconf="baken.staff_urls").view_name == (
        "evaluation:dashboard"
    )
