"""The evaluation dashboard's addresses, under the staff area's prefix (baken.urls)."""

from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures.csv", views.export, name="export"),
]
