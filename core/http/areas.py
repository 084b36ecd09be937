"""The two areas of the site: the visitor's, and the helpline staff's (the staff app).

They share a server but nothing a browser keeps: each has its own session cookie. The staff
area is every address under `BAKEN_STAFF_PREFIX`, or, when `BAKEN_STAFF_HOST` is set, every
address on that host name (and nothing under the prefix on the visitor's host).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest


def staff_area(request: HttpRequest) -> bool:
    """Whether a request is for the staff area (worked out once per request)."""
    found = getattr(request, "_staff_area", None)
    if found is None:
        found = request._staff_area = _staff_area(request)
    return found


def _staff_area(request: HttpRequest) -> bool:
    host = settings.BAKEN_STAFF_HOST
    if host:
        try:
            return request.get_host().partition(":")[0] == host
        except DisallowedHost:
            return False
    prefix = f"/{settings.BAKEN_STAFF_PREFIX}/"
    return request.path_info.startswith(prefix) or request.path_info == prefix[:-1]
