from django.urls import path

from . import views

app_name = "modules"
urlpatterns = [
    path("", views.home, name="home"),
    path("m/<slug:module_id>/", views.overview, name="overview"),
    path("m/<slug:module_id>/summary/", views.summary, name="summary"),
    path("m/<slug:module_id>/<slug:step_id>/", views.step, name="step"),
]
