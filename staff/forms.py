"""The staff area's forms. Every error is said in words, next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Staff
from .roles import Role


class LoginForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=64)
    password = forms.CharField(label=_("Password"), max_length=256, strip=False)
    # Asked for only while sign-ins are being protected (staff.throttle).
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"), max_length=16, required=False
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"), max_length=16
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class NewPasswordForm(forms.Form):
    """A new password, typed twice and checked by Django's validators."""

    new_password = forms.CharField(
        label=_("New password"),
        max_length=256,
        strip=False,
        help_text=_("At least 12 characters; not a common password."),
    )
    again = forms.CharField(label=_("The new password again"), max_length=256, strip=False)

    def __init__(self, *args: Any, staff: Staff | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.staff = staff

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, again = data.get("new_password"), data.get("again")
        if new and again and new != again:
            self.add_error("again", _("The two passwords are not the same."))
        elif new:
            try:
                password_validation.validate_password(new, self.staff)
            except forms.ValidationError as problem:
                self.add_error("new_password", problem)
        return data


class ChangePasswordForm(NewPasswordForm):
    current_password = forms.CharField(label=_("Current password"), max_length=256, strip=False)
    field_order = ["current_password", "new_password", "again"]

    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        if self.staff is None or not self.staff.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password


class AcceptForm(NewPasswordForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=64,
        help_text=_("Letters, digits and . - _ only. Colleagues see it in the audit log."),
        validators=[RegexValidator(r"^[\w.-]{2,64}$", _("Use 2 to 64 letters, digits, . - or _."))],
    )
    field_order = ["username", "new_password", "again"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if Staff.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken; choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        # The validators compare the password with the user name being chosen.
        self.staff = Staff(username=self.cleaned_data.get("username", ""))
        return super().clean()


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices())
