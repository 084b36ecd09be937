"""The counsellors' inbox, under the staff area's prefix (baken/urls.py)."""

from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("<str:label>/", views.thread, name="thread"),
]
