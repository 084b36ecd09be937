"""Production settings: every secret and host comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env
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
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env("BAKEN_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
