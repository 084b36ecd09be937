"""The framework floor: the same server and Django, no middleware, one constant response.

Its body is a saved copy of a module step as the app sent it (compressed, as a browser gets
it), so the floor moves the same bytes the app does. Used as a settings module and URLconf;
the app's frame (bench/frame_settings.py) serves the same view behind Baken's settings. Every
address gets the page, so the frame can be driven with the visitors' step addresses.
"""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import re_path

SECRET_KEY = "bench-floor-not-secret"  # noqa: S105 (serves one constant page, no sessions)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.floor"
DATABASES: dict[str, dict[str, str]] = {}
USE_I18N = False

BODY = Path(os.environ.get("BENCH_FLOOR_BODY", "/dev/null")).read_bytes()
ENCODING = os.environ.get("BENCH_FLOOR_ENCODING", "")


def constant(request):
    """The same bytes every time."""
    response = HttpResponse(BODY, content_type="text/html; charset=utf-8")
    if ENCODING:
        response["Content-Encoding"] = ENCODING
    return response


urlpatterns = [re_path(r"", constant)]
