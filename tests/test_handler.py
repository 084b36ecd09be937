"""baken.handler: the WSGI handler remembers which view an address leads to, and is the one
the server runs."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, get_resolver
from django.utils import translation


def test_the_server_runs_the_remembering_handler():
    from baken.handler import Handler
    from baken.wsgi import application

    assert isinstance(application, Handler)


@pytest.mark.parametrize("path", ["/", "/m/reality/", "/m/reality/goals/", "/m/reality/summary/",
                                  "/en/", "/en/m/reality/goals/", "/journal/phrase/", "/help/",
                                  "/en/facts/"])
def test_an_address_leads_to_the_view_django_finds_and_is_remembered(path):
    from baken.handler import Handler, _resolve

    _resolve.cache_clear()
    language = translation.get_language_from_path(path) or "nl"
    with translation.override(language):
        expected = get_resolver().resolve(path)
        first = Handler().resolve_request(RequestFactory().get(path))
        again_request = RequestFactory().get(path)
        again = Handler().resolve_request(again_request)
    assert (first.func, first.args, first.kwargs, first.url_name) == (
        expected.func, expected.args, expected.kwargs, expected.url_name)
    assert again is first and again_request.resolver_match is first
    assert _resolve.cache_info().hits == 1


def test_the_same_path_in_another_language_is_looked_up_apart():
    from baken.handler import Handler, _resolve

    _resolve.cache_clear()
    with translation.override("en"):
        english = Handler().resolve_request(RequestFactory().get("/en/m/reality/goals/"))
    with translation.override("nl"):
        with pytest.raises(Resolver404):  # a Dutch request for the English address
            Handler().resolve_request(RequestFactory().get("/en/m/reality/goals/"))
    assert english.kwargs == {"module_id": "reality", "step_id": "goals"}


def test_an_address_that_leads_nowhere_is_a_404_and_is_not_kept(client):
    from baken.handler import Handler, _resolve

    _resolve.cache_clear()
    with translation.override("nl"), pytest.raises(Resolver404):
        Handler().resolve_request(RequestFactory().get("/nothing-here/"))
    assert _resolve.cache_info().currsize == 0
    assert client.get("/nothing-here/").status_code == 404
