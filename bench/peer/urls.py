from django.urls import path

from . import views

urlpatterns = [path("m/<slug:module_id>/<slug:step_id>/", views.step, name="step")]
