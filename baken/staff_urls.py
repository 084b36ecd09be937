"""The URLs of a staff host (BAKEN_STAFF_HOST): the staff area only, nothing of the visitor's."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path


def staff_patterns() -> list[URLPattern | URLResolver]:
    """The staff area's addresses under BAKEN_STAFF_PREFIX: here, and in baken.urls when the
    staff area has no host of its own."""
    prefix = settings.BAKEN_STAFF_PREFIX
    return [
        path(f"{prefix}/inbox/", include("conversations.staff_urls")),
        path(f"{prefix}/evaluation/", include("evaluation.urls")),
        path(f"{prefix}/", include("staff.urls")),
    ]


urlpatterns = staff_patterns()

# The staff host's own error pages: the visitor's frame links to visitor pages it does not have.
handler400 = "staff.views.bad_request"
handler403 = "staff.views.permission_denied"
handler404 = "staff.views.not_found"
handler500 = "staff.views.server_error"
