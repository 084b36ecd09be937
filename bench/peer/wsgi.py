"""WSGI entry point of the peer (see bench/peer/__init__.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.peer.settings"
application = get_wsgi_application()
