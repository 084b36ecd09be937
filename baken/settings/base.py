"""Settings shared by every environment. Configuration comes from environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.languages import read_languages

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("BAKEN_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str:
    """Read a setting from the environment, failing clearly when a required one is absent."""
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("BAKEN_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    # The staff side: Django's accounts and django-otp's second factors (staff/).
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "modules",
    "journal",
    "support",
    "factsheets",
    "staff",
    "conversations",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go out compressed (the page budget counts compressed bytes): Django's rules and
    # its random padding against BREACH, with a faster compressor (support/compression.py).
    # The SameSite=Strict cookie already keeps other sites from making a visitor's browser
    # fetch pages with answers in them.
    "core.http.compression.CompressionMiddleware",
    "core.http.middleware.PrivacyHeadersMiddleware",
    "support.middleware.FriendlyErrorPagesMiddleware",
    # The visitor's session, or in the staff area the staff's own (cookie, user, second
    # factor): the two never meet (staff/middleware.py).
    "staff.middleware.SessionsMiddleware",
    "journal.middleware.SessionLifetimeMiddleware",
    # The language comes from the address alone (/en/…), never from a cookie or a header.
    "core.http.middleware.LanguageFromAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

ROOT_URLCONF = "baken.urls"
WSGI_APPLICATION = "baken.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "core.templating.environment",
            # What every page's frame shows: whether a journal is open, and the helpline.
            "context_processors": [
                "core.templating.render_state",
                "journal.context_processors.journal",
                "support.context_processors.helpline",
                "conversations.context_processors.replies",
            ],
            "extensions": ["jinja2.ext.i18n", "jinja2.ext.do"],
            "autoescape": True,
        },
    },
]

# SQLite by default; DATABASE_URL (postgres://…) selects PostgreSQL. Each worker keeps its
# connection between requests (connecting, and SQLite's PRAGMAs, cost more than most queries).
_sqlite_path = VAR_DIR / "baken.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{_sqlite_path}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own connection pool (psycopg_pool) keeps each worker's connections open, so a
    # request does not pay for connecting; Django's persistent connections must be off with it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": int(env("BAKEN_DB_POOL_SIZE", "2"))},
        # Values travel apart from the statement (no quoting in Python: a save's ciphertexts
        # are sent as they are).
        "server_side_binding": True,
        # A statement a connection has run 5 times is prepared: PostgreSQL then no longer
        # parses and plans it each time.
        "prepare_threshold": 5,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and a writer work at once; secure_delete overwrites freed pages so
        # deleted answers do not linger in the file.
        # journal_size_limit=0: when the log starts over after a checkpoint, its file is cut
        # to nothing, so older copies of deleted pages do not stay in it.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA secure_delete=ON; PRAGMA synchronous=FULL; "
            "PRAGMA journal_size_limit=0;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live on the server, which stores only a hash of the key the cookie carries.
SESSION_ENGINE = "journal.sessions"
SESSION_COOKIE_NAME = "session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session ends after this long without a request, and after this long in any case.
BAKEN_SESSION_IDLE_SECONDS = int(env("BAKEN_SESSION_IDLE_MINUTES", "30")) * 60
BAKEN_SESSION_MAX_SECONDS = int(env("BAKEN_SESSION_MAX_HOURS", "8")) * 3600
# The CSRF secret lives in its own cookie, not in the session: a page with a form then stores
# nothing on the server, and a session row is made only by a visitor's first post (issue 16,
# finding 10). The cookie holds a random value and nothing else, ends with the browser, and
# is sent only by this site's own pages.
CSRF_USE_SESSIONS = False
CSRF_COOKIE_NAME = "csrftoken"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_AGE = None
# A rejected step form shows the visitor their text back (the module player knows the step).
CSRF_FAILURE_VIEW = "modules.views.csrf_failure"

# --- messages between visitors and counsellors (conversations/, docs/messages.md) -------------
BAKEN_MESSAGE_MAX_LENGTH = 5000
BAKEN_MESSAGE_LIMITS = {
    "unanswered": int(env("BAKEN_MESSAGE_UNANSWERED", "5")),  # a journal's messages in a row
    "per_day": int(env("BAKEN_MESSAGE_PER_DAY", "20")),  # a journal's messages in 24 hours
    # New conversations site-wide in an hour before the next ones are marked "in a surge" and
    # listed after the others (never refused: docs/messages.md, "A flood").
    "new_per_hour": int(env("BAKEN_MESSAGE_NEW_PER_HOUR", "30")),
}
# `manage.py expiremessages` deletes conversations closed or silent this long.
BAKEN_MESSAGE_EXPIRY_DAYS = int(env("BAKEN_MESSAGE_EXPIRY_DAYS", "90"))

# --- the staff area (staff/, docs/staff.md) ---------------------------------------------------
# Its address prefix, and optionally a host name of its own (then the visitor's host has no
# staff pages at all, and the staff host nothing else; add it to BAKEN_ALLOWED_HOSTS).
BAKEN_STAFF_PREFIX = env("BAKEN_STAFF_PREFIX", "staff").strip("/")
BAKEN_STAFF_HOST = env("BAKEN_STAFF_HOST", "")
BAKEN_STAFF_COOKIE_NAME = "staff"
BAKEN_STAFF_IDLE_SECONDS = int(env("BAKEN_STAFF_IDLE_MINUTES", "15")) * 60
BAKEN_STAFF_MAX_SECONDS = int(env("BAKEN_STAFF_MAX_HOURS", "8")) * 3600
# Failed sign-ins after which a sign-in needs password and code together (staff/throttle.py).
BAKEN_STAFF_LOGIN_LIMITS = {
    "account_failures": int(env("BAKEN_STAFF_ACCOUNT_FAILURES", "5")),
    "account_window": 15 * 60,
    "site_failures": int(env("BAKEN_STAFF_SITE_FAILURES_PER_MINUTE", "30")),
}
# How a staff password wraps the inbox key (Argon2id, libsodium's "interactive" cost: 2
# passes, 64 MiB). Each wrap records its own parameters.
BAKEN_STAFF_KDF = {
    "opslimit": int(env("BAKEN_STAFF_KDF_OPSLIMIT", "2")),
    "memlimit": int(env("BAKEN_STAFF_KDF_MEMLIMIT", str(64 * 1024 * 1024))),
}
AUTH_USER_MODEL = "staff.Staff"
LOGIN_URL = "staff:login"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Where the modules live: content/<language>/<module id>/.
BAKEN_CONTENT_DIR = Path(os.environ.get("BAKEN_CONTENT_DIR", BASE_DIR / "content"))
# Modules marked `draft` in content/modules.yaml (not yet clinically reviewed) are shown, with
# a mark, only where this is on: in development (`make run`) and the tests, or on a review
# server. Off in production: a draft is not listed and its addresses give 404.
BAKEN_SHOW_DRAFTS = env("BAKEN_SHOW_DRAFTS", "0") == "1"
# The one list of languages, content/languages.yaml, drives the address prefixes, the
# switcher, the catalogs, the content check and the docs. The first is the default.
LANGUAGES = read_languages(BAKEN_CONTENT_DIR / "languages.yaml")
LANGUAGE_CODE = LANGUAGES[0][0]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60

SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: under no-referrer browsers send `Origin: null` with every form
# post, and Django's CSRF check rejects it. Other sites still get no referrer (and every link
# to another site carries rel="noreferrer" as well).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# X-Frame-Options: DENY is set with the other constant headers (support.middleware), not by
# Django's XFrameOptionsMiddleware: one middleware fewer on every request.
SILENCED_SYSTEM_CHECKS = ["security.W002"]

# Requests larger than this are refused before a view sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# The longest free-text answer a question accepts unless its content file says otherwise.
BAKEN_DEFAULT_MAX_LENGTH = 10_000
# The anonymous evaluation (evaluation/): no figure is shown or exported unless at least this many
# contributions (or visitors, for the reach counters) make it up. May be raised, never set below
# 10 (a system check refuses it).
BAKEN_EVALUATION_MIN_COUNT = int(env("BAKEN_EVALUATION_MIN_COUNT", "10"))
# Contributions wait in the server process until this many can be written together, shuffled,
# by a later request (evaluation/service.py); 1 writes each at once.
BAKEN_EVALUATION_BATCH = int(env("BAKEN_EVALUATION_BATCH", "5"))
BAKEN_SITE_NAME = env("BAKEN_SITE_NAME", "Baken")
# The issuer name authenticator apps show beside a staff member's code.
OTP_TOTP_ISSUER = BAKEN_SITE_NAME + " staff"
# Page titles show in tabs and browser history: by default they name no module or step.
BAKEN_DISCREET_TITLES = env("BAKEN_DISCREET_TITLES", "1") == "1"
# Where the quick exit goes: an ordinary, neutral site (a weather forecast by default).
BAKEN_EXIT_URL = env("BAKEN_EXIT_URL", "https://www.buienradar.nl/")

# The recovery phrase's key derivation (Argon2id) for new journals, and for journals moved to
# it when they are next opened: OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane). The
# phrase's 90 bits are the protection; the cost is defence in depth. Each journal records
# the parameters it was made with, so these can change at any time (journal.crypto.Kdf).
BAKEN_KDF = {
    "memory_kib": int(env("BAKEN_KDF_MEMORY_KIB", "19456")),
    "iterations": int(env("BAKEN_KDF_ITERATIONS", "2")),
    "lanes": int(env("BAKEN_KDF_LANES", "1")),
}
# What journals made before the parameters were recorded used: the earlier defaults, unless
# BAKEN_KDF_* had been set then (set these to those values). Only read by migration 0004.
BAKEN_KDF_LEGACY = {
    "memory_kib": int(env("BAKEN_KDF_LEGACY_MEMORY_KIB", "65536")),
    "iterations": int(env("BAKEN_KDF_LEGACY_ITERATIONS", "3")),
    "lanes": int(env("BAKEN_KDF_LEGACY_LANES", "1")),
}
# Journals untouched for this many days are deleted by `manage.py expirejournals`.
BAKEN_JOURNAL_EXPIRY_DAYS = int(env("BAKEN_JOURNAL_EXPIRY_DAYS", "180"))
# Limits on guessing phrases (see journal/throttle.py): wrong phrases per session per 15
# minutes (refused past it), and site-wide per minute (reported in the log past it).
BAKEN_RESUME_LIMITS = {
    "site_wrong_per_minute": int(env("BAKEN_RESUME_SITE_WRONG_PER_MINUTE", "120")),
    "session_failures": int(env("BAKEN_RESUME_SESSION_FAILURES", "5")),
    # New journals on the whole site per second; past it a first save is asked to wait.
    "new_journals_per_second": int(env("BAKEN_NEW_JOURNALS_PER_SECOND", "5")),
    # Of those, kept for visitors who were asked to wait and pressed again (a signed cookie).
    "new_journals_kept_for_waiting": int(env("BAKEN_NEW_JOURNALS_KEPT_FOR_WAITING", "2")),
    # Each app server makes one journal at a time (0: as many as its workers).
    "one_new_journal_at_a_time": int(env("BAKEN_ONE_NEW_JOURNAL_AT_A_TIME", "1")),
}
# Error reports never carry what a visitor typed.
DEFAULT_EXCEPTION_REPORTER_FILTER = "support.errors.NoVisitorDataFilter"
# The helpline's contact details, opening hours and crisis lines (docs/helpline.md). The shipped
# config/helpline.example.yaml is never read unless this points at it, or under the development
# settings (dev.py) when there is no config/helpline.yaml.
BAKEN_HELPLINE_FILE = Path(
    os.environ.get("BAKEN_HELPLINE_FILE") or BASE_DIR / "config" / "helpline.yaml"
)

# Nothing that identifies a visitor is logged: no access log, no request bodies, no addresses.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # A logger with no handler at all falls back to Python's last resort, which prints.
        "nowhere": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Django's 4xx warnings name the path only; the server's access log is off.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Its message and traceback quote the Host the request sent: never logged.
        "django.security.DisallowedHost": {"handlers": ["nowhere"], "propagate": False},
    },
}
