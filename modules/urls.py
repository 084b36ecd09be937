from django.urls import path

from . import views

app_name = "modules"
urlpatterns = [
    path("", views.home, name="home"),
    path("m/<slug:module_id>/", views.overview, name="overview"),
    path("m/<slug:module_id>/summary/", views.summary, name="summary"),
    path("m/<slug:module_id>/feedback/", views.feedback, name="feedback"),
    path("m/<slug:module_id>/<slug:step_id>/", views.step, name="step"),
    # The journal's pages that show answers are the module player's: it knows the modules.
    path("journal/continue/where/", views.continue_where_left, name="continue"),
    path("journal/export/answers.html", views.download, {"kind": "html"}, name="export-html"),
    path("journal/export/answers.txt", views.download, {"kind": "txt"}, name="export-txt"),
]
