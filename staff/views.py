"""The staff area's pages: signing in with two factors, accounts, the audit log.

Every page is wrapped by `staff_page`, which is where access is decided (with staff.roles).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from core.http.responses import see_other
from core.navigation import address

from . import keys, service, throttle
from .forms import AcceptForm, ChangePasswordForm, CodeForm, InviteForm, LoginForm
from .models import Action, AuditEvent, Staff
from .roles import Permission, Role, allowed

View = Callable[..., HttpResponse]
# A second-factor step allows this many wrong codes before the password must be typed again.
CODE_TRIES = 5
FRESH_CODES, FRESH_LINK, CODE_FAILURES = "fresh_codes", "fresh_link", "code_failures"
AUDIT_PAGE = 200


# --- access ----------------------------------------------------------------------------------

# How far a visitor to a page must have signed in (the ladder test reads these).
PASSWORD, VERIFIED = "password", "verified"


def staff_page(
    permission: str | None = None, *, methods: tuple[str, ...] = ("GET",), step: str = VERIFIED
) -> Callable[[View], View]:
    """Who may see a page: signed in with both factors (or, for the sign-in steps, with the
    password only) and holding `permission` (None: every role)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return see_other(address("staff:login"))
            if step == VERIFIED and not user.is_verified():
                return see_other(address("staff:second-factor"))
            if not allowed(user.role, permission):
                return render(request, "staff/forbidden.html", {}, status=403)
            return view(request, *args, **kwargs)

        checked.staff_access = (step, permission)  # type: ignore[attr-defined]
        return require_http_methods(list(methods))(checked)

    return decorate


def open_page(methods: tuple[str, ...] = ("GET",)) -> Callable[[View], View]:
    """A page anyone may reach: the sign-in form and an invitation link."""

    def decorate(view: View) -> View:
        view.staff_access = (None, None)  # type: ignore[attr-defined]
        return require_http_methods(list(methods))(view)

    return decorate


# --- signing in ------------------------------------------------------------------------------


@open_page(methods=("GET", "POST"))
def sign_in(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and user.is_verified():
        return see_other(address("staff:home"))
    form = LoginForm(request.POST or None)
    both = False  # whether this sign-in must carry the code too (staff.throttle)
    if request.method == "POST" and form.is_valid():
        username, password = form.cleaned_data["username"], form.cleaned_data["password"]
        code = "".join(form.cleaned_data["code"].split())
        both = throttle.protected(username)
        if both and not code:
            form.add_error("code", _("For now, sign-ins need the code together with the password."))
        else:
            staff = authenticate(request, username=username, password=password)
            device = match_token(staff, code) if staff is not None and both else None
            if staff is None or (both and device is None):
                throttle.failed(username)
                found = Staff.objects.filter(username=username, is_active=True).first()
                service.audit(found, Action.LOGIN_FAILED)
                form.add_error(None, _("The user name, password or code is not right."))
                both = throttle.protected(username)
            else:
                service.forget_expired_sessions()
                login(request, staff)
                service.hold_inbox_key(request.session, staff, password)
                if device is None:
                    return see_other(address("staff:second-factor"))
                return _verified(request, staff, device)
    return render(request, "staff/login.html", {"form": form, "both": both}, status=_status(form))


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


def _verified(request: HttpRequest, staff: Staff, device: Any) -> HttpResponse:
    django_otp.login(request, device)
    request.session.pop(CODE_FAILURES, None)
    backup = isinstance(device, StaticDevice)
    service.audit(staff, Action.BACKUP_CODE_USED if backup else Action.LOGIN)
    return see_other(address("staff:home"))


@staff_page(methods=("GET", "POST"), step=PASSWORD)
def second_factor(request: HttpRequest) -> HttpResponse:
    staff = request.user
    if staff.is_verified():
        return see_other(address("staff:home"))
    if service.totp_device(staff) is None:
        return see_other(address("staff:enrol"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(staff, form.cleaned_data["code"])
        if device is not None:
            return _verified(request, staff, device)
        service.audit(staff, Action.SECOND_FACTOR_FAILED)
        throttle.failed(staff.username)
        failures = request.session.get(CODE_FAILURES, 0) + 1
        if failures >= CODE_TRIES:
            logout(request)
            return see_other(address("staff:login") + "?" + urlencode({"ended": "codes"}))
        request.session[CODE_FAILURES] = failures
        form.add_error(
            "code",
            _(
                "This code is not right, or has been used. Type the newest code; after a wrong "
                "one, wait a few seconds."
            ),
        )
    return render(request, "staff/second_factor.html", {"form": form}, status=_status(form))


@staff_page(methods=("GET", "POST"), step=PASSWORD)
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code drawn on the server, and its secret as text."""
    staff = request.user
    if service.totp_device(staff) is not None:
        return see_other(address("staff:second-factor"))
    device = service.pending_totp(staff)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            service.audit(staff, Action.TOTP_ENROLLED)
            request.session[FRESH_CODES] = service.new_backup_codes(staff)
            django_otp.login(request, device)
            service.audit(staff, Action.LOGIN)
            return see_other(address("staff:backup-codes"))
        form.add_error(
            "code",
            _(
                "This code is not right. Check the time on your phone, and type the code "
                "the app shows now; after a wrong one, wait a few seconds."
            ),
        )
    secret = keys.base32_secret(device.bin_key)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "staff/enrol.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": qr.svg_inline(scale=4, border=2, title=_("QR code to scan")),
        },
        status=_status(form),
    )


@staff_page(methods=("GET", "POST"))
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The ten backup codes, shown once; a POST makes ten new ones."""
    if request.method == "POST":
        request.session[FRESH_CODES] = service.new_backup_codes(request.user)
        return see_other(address("staff:backup-codes"))
    codes = request.session.pop(FRESH_CODES, None)
    left = StaticToken.objects.filter(device__user=request.user).count()
    return render(request, "staff/backup_codes.html", {"codes": codes, "left": left})


@staff_page(methods=("POST",), step=PASSWORD)
def sign_out(request: HttpRequest) -> HttpResponse:
    service.audit(request.user, Action.LOGOUT)
    logout(request)  # ends the session on the server: the held inbox key goes with it
    return see_other(address("staff:login") + "?" + urlencode({"ended": "signed-out"}))


# --- the staff member's own pages ------------------------------------------------------------


@staff_page()
def home(request: HttpRequest) -> HttpResponse:
    staff = request.user
    return render(
        request,
        "staff/home.html",
        {
            "can": {p.value: allowed(staff.role, p) for p in Permission},
            "holds_key": service.held_inbox_key(request.session) is not None,
            "inbox_exists": service.inbox() is not None,
        },
    )


@staff_page(methods=("GET", "POST"))
def password(request: HttpRequest) -> HttpResponse:
    staff = request.user
    form = ChangePasswordForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        service.change_password(request, staff, form.cleaned_data["new_password"])
        return see_other(address("staff:home") + "?" + urlencode({"done": "password"}))
    return render(request, "staff/password.html", {"form": form}, status=_status(form))


# --- accounts (administrators) ---------------------------------------------------------------


@staff_page(Permission.ACCOUNTS, methods=("GET", "POST"))
def accounts(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = service.invite(request, request.user, form.cleaned_data["role"])
        request.session[FRESH_LINK] = request.build_absolute_uri(
            address("staff:invitation", secret)
        )
        return see_other(address("staff:accounts"))
    people = Staff.objects.order_by("-is_active", "username")
    enrolled = set(Staff.objects.filter(totpdevice__confirmed=True).values_list("pk", flat=True))
    return render(
        request,
        "staff/accounts.html",
        {
            "form": form,
            "people": people,
            "enrolled": enrolled,
            "link": request.session.pop(FRESH_LINK, None),
            "hours": service.INVITATION_HOURS,
            "holds_key": service.held_inbox_key(request.session) is not None,
        },
        status=_status(form),
    )


@staff_page(Permission.ACCOUNTS, methods=("POST",))
def reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    other = get_object_or_404(Staff, pk=pk)
    service.reset_second_factor(request.user, other)
    if other.pk == request.user.pk:  # their own: they set it up again now
        logout(request)
        return see_other(address("staff:login"))
    return see_other(address("staff:accounts"))


@staff_page(Permission.ACCOUNTS, methods=("POST",))
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    other = get_object_or_404(Staff, pk=pk, is_active=True)
    if other.pk == request.user.pk:
        raise Http404  # the form is not offered for one's own account
    service.deactivate(request.user, other)
    return see_other(address("staff:accounts"))


@open_page(methods=("GET", "POST"))
def invitation(request: HttpRequest, secret: str) -> HttpResponse:
    """A one-time link: choose a user name and a password, then set up the second factor."""
    found = service.open_invitation(secret)
    if found is None:
        return render(request, "staff/invitation_gone.html", {}, status=404)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff = service.accept(
                found, secret, form.cleaned_data["username"], form.cleaned_data["new_password"]
            )
        except ValueError:
            return render(request, "staff/invitation_gone.html", {}, status=404)
        login(request, staff, backend="django.contrib.auth.backends.ModelBackend")
        service.hold_inbox_key(request.session, staff, form.cleaned_data["new_password"])
        return see_other(address("staff:enrol"))
    return render(
        request,
        "staff/invitation.html",
        {"form": form, "role": Role.label_of(found.role), "expires": found.expires},
        status=_status(form),
    )


# --- the audit log (administrators) ----------------------------------------------------------


@staff_page(Permission.AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "iso": event.at.isoformat(timespec="seconds"),
            "when": formats.date_format(localtime(event.at), "SHORT_DATETIME_FORMAT"),
            "staff": event.staff.username if event.staff else "",
            "action": event.get_action_display(),
            "target": event.target,
        }
        for event in AuditEvent.objects.select_related("staff")[:AUDIT_PAGE]
    ]
    return render(request, "staff/audit.html", {"rows": rows, "shown": AUDIT_PAGE})


@staff_page(Permission.AUDIT)
def audit_export(request: HttpRequest) -> HttpResponse:
    service.audit(request.user, Action.AUDIT_EXPORTED)
    events = AuditEvent.objects.select_related("staff").order_by("at", "pk")
    response = HttpResponse(service.audit_csv(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="baken-audit.csv"'
    return response


# --- error pages of a staff host (baken.staff_urls) ------------------------------------------


def _error(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "staff/error.html", {"status": status}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500)
