"""Production settings: every secret and host comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SILENCED_SYSTEM_CHECKS, env
from .secrets_check import problems

SECRET_KEY = env("BAKEN_SECRET_KEY")
# Two distinct server secrets: one finds a journal, the other is mixed into its key.
BAKEN_PEPPERS = {"lookup": env("BAKEN_LOOKUP_PEPPER"), "key": env("BAKEN_KEY_PEPPER")}
_weak = problems(
    {
        "BAKEN_SECRET_KEY": SECRET_KEY,
        "BAKEN_LOOKUP_PEPPER": BAKEN_PEPPERS["lookup"],
        "BAKEN_KEY_PEPPER": BAKEN_PEPPERS["key"],
    }
)
if _weak:
    raise ImproperlyConfigured("Baken will not start with these secrets:\n- " + "\n- ".join(_weak))
DEBUG = False

SESSION_COOKIE_SECURE = True
# __Host- binds the cookie to this host and path, over HTTPS only.
SESSION_COOKIE_NAME = "__Host-session"
BAKEN_STAFF_COOKIE_NAME = "__Host-staff"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env("BAKEN_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading asks browsers to hard-code HTTPS for the whole domain, for good: the
# organisation's choice for its domain (docs/deploy.md), so off unless asked for, and then
# Django's reminder about it is not a warning about Baken.
SECURE_HSTS_PRELOAD = env("BAKEN_HSTS_PRELOAD", "0") == "1"
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# The Tor onion service (deploy/tor/torrc): its address is one more name the site answers to.
# Tor Browser posts forms from http://<address>.onion (Tor encrypts and authenticates the
# connection, so there is no TLS), while nginx tells Baken the connection is secure: Django's
# CSRF check is told that this origin is the site's own.
BAKEN_ONION_HOST = env("BAKEN_ONION_HOST", "").strip().lower()
if BAKEN_ONION_HOST:
    if not BAKEN_ONION_HOST.endswith(".onion") or "/" in BAKEN_ONION_HOST:
        raise ImproperlyConfigured(
            "BAKEN_ONION_HOST is the onion address alone, such as "
            f"'{'a' * 56}.onion' (Tor writes it to the service's hostname file)."
        )
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, BAKEN_ONION_HOST]
    CSRF_TRUSTED_ORIGINS = [f"http://{BAKEN_ONION_HOST}"]
