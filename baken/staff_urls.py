"""The URLs of a staff host (BAKEN_STAFF_HOST): the staff area only, nothing of the visitor's."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [path(f"{settings.BAKEN_STAFF_PREFIX}/", include("staff.urls"))]

handler400 = "support.views.bad_request"
handler403 = "support.views.permission_denied"
handler404 = "support.views.not_found"
handler500 = "support.views.server_error"
