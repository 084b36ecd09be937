"""WSGI entry point. Loads and checks all content first: invalid content stops the server."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings.dev")
application = get_wsgi_application()

from core.content import ContentError  # noqa: E402
from factsheets.content import get_factsheets  # noqa: E402
from modules.content import get_library  # noqa: E402
from support.asking import get_asking  # noqa: E402

try:
    get_library()
    get_factsheets()
    get_asking()
except ContentError as error:
    sys.stderr.write("Baken will not start: the content has errors.\n")
    sys.stderr.write(str(error) + "\n")
    raise SystemExit(3) from None
