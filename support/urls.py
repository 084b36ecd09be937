from django.urls import path

from . import asking, views

app_name = "support"
urlpatterns = [
    path("exit/", views.quick_exit, name="exit"),
    path("break/", views.take_a_break, name="break"),
    path("safety/", views.browsing_safely, name="safety"),
    path("help/", views.contact, name="contact"),
    path("urge/", views.urge, name="urge"),
    path("help/asking/", asking.asking_for_help, name="asking"),
    path("about/", views.about, name="about"),
]
