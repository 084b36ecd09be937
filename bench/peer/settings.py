"""Settings of the peer (see bench/peer/__init__.py): a conventional Django site."""

import os
from pathlib import Path

import dj_database_url
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"

SECRET_KEY = "bench-peer-not-secret"  # noqa: S105 (a benchmark's baseline, made-up visitors)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.sessions", "bench.peer"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "bench.peer.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
# Connections kept between requests, as Baken's are.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-peer.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The default language of the content: the bench's visitors see its pages.
LANGUAGE_CODE = yaml.safe_load((CONTENT_DIR / "languages.yaml").read_text())[0]["code"]
USE_TZ = True
