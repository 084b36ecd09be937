"""WSGI entry point of the framework floor (see bench/floor.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor"
application = get_wsgi_application()
