from django.urls import path

from . import views

app_name = "factsheets"
urlpatterns = [
    path("", views.factsheet, name="factsheet"),
]
