"""Small response helpers."""

from django.http import HttpResponseRedirect


def see_other(url: str) -> HttpResponseRedirect:
    """303 See Other: after a POST, the browser GETs the next page (Back will not re-post)."""
    return HttpResponseRedirect(url, status=303)
