from django.urls import path

from . import views

app_name = "journal"
urlpatterns = [
    path("phrase/", views.phrase, name="phrase"),
    path("continue/", views.resume, name="resume"),
    path("end/", views.end, name="end"),
    path("delete/", views.delete, name="delete"),
]
