from django.urls import path

from . import views

app_name = "journal"
urlpatterns = [
    path("phrase/", views.phrase, name="phrase"),
    path("continue/", views.resume, name="resume"),
    path("continue/where/", views.continue_where_left, name="continue"),
    path("end/", views.end, name="end"),
    path("delete/", views.delete, name="delete"),
    path("export/answers.html", views.download, {"kind": "html"}, name="export-html"),
    path("export/answers.txt", views.download, {"kind": "txt"}, name="export-txt"),
]
