"""Baken's URLs: the default language without a prefix, every other one under /<code>/.

The staff area is under BAKEN_STAFF_PREFIX, outside the language prefixes, unless it has a host
name of its own (BAKEN_STAFF_HOST, served by baken.staff_urls).
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from .staff_urls import staff_patterns

urlpatterns = i18n_patterns(
    path("", include("modules.urls")),
    path("facts/", include("factsheets.urls")),
    path("journal/", include("journal.urls")),
    path("messages/", include("conversations.urls")),
    path("", include("support.urls")),
    prefix_default_language=False,
)
if not settings.BAKEN_STAFF_HOST:
    urlpatterns[:0] = staff_patterns()

handler400 = "support.views.bad_request"
handler403 = "support.views.permission_denied"
handler404 = "support.views.not_found"
handler500 = "support.views.server_error"
