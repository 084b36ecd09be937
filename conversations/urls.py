from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("", views.write, name="write"),
    path("close/", views.close, name="close"),
]
