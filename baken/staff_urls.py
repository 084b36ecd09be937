"""The URLs of a staff host (BAKEN_STAFF_HOST): the staff area only, nothing of the visitor's."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path(f"{settings.BAKEN_STAFF_PREFIX}/inbox/", include("conversations.staff_urls")),
    path(f"{settings.BAKEN_STAFF_PREFIX}/evaluation/", include("evaluation.urls")),
    path(f"{settings.BAKEN_STAFF_PREFIX}/", include("staff.urls")),
]

# The staff host's own error pages: the visitor's frame links to visitor pages it does not have.
handler400 = "staff.views.bad_request"
handler403 = "staff.views.permission_denied"
handler404 = "staff.views.not_found"
handler500 = "staff.views.server_error"
