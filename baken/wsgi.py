"""WSGI entry point. Loads and checks all content first: invalid content stops the server."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings.dev")
django.setup(set_prefix=False)  # as get_wsgi_application() does

from baken.handler import Handler  # noqa: E402

application = Handler()

from factsheets.content import get_factsheets  # noqa: E402
from modules.content import ContentError, get_library  # noqa: E402

try:
    get_library()
    get_factsheets()
except ContentError as error:
    sys.stderr.write("Baken will not start: the content has errors.\n")
    sys.stderr.write(str(error) + "\n")
    raise SystemExit(3) from None
