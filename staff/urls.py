"""The staff area's addresses, under BAKEN_STAFF_PREFIX (or at the root of BAKEN_STAFF_HOST)."""

from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/code/", views.second_factor, name="second-factor"),
    path("sign-in/authenticator/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="logout"),
    path("backup-codes/", views.backup_codes, name="backup-codes"),
    path("password/", views.password, name="password"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/reset-second-factor/", views.reset_second_factor, name="reset"),
    path("accounts/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("invitation/<str:secret>/", views.invitation, name="invitation"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit-export"),
]
