"""The app's frame: Baken's middleware and sessions, with a view that does nothing.

Served with `bench.frame_settings` (the settings `make run` uses, this URLconf), every request
goes through the whole middleware stack as a step does: security and privacy headers, the
session read from the database and its age checked (journal.middleware), CSRF, compression.
The view returns a saved copy of a module step, uncompressed, which the compression middleware
compresses as it does a step's page. What a step costs beyond this is its own work: its
journal key, its saved answers, its page.
"""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import re_path

BODY = Path(os.environ.get("BENCH_FRAME_BODY", "/dev/null")).read_bytes()


def saved_page(request):  # type: ignore[no-untyped-def]
    """The saved page, the same bytes every time."""
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", saved_page)]
