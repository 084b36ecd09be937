"""Baken's URLs."""

from django.urls import include, path

urlpatterns = [
    path("", include("modules.urls")),
    path("facts/", include("factsheets.urls")),
    path("journal/", include("journal.urls")),
    path("", include("support.urls")),
]

handler400 = "support.views.bad_request"
handler403 = "support.views.permission_denied"
handler404 = "support.views.not_found"
handler500 = "support.views.server_error"
