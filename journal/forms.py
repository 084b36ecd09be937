"""The journal's fixed forms: continuing with the phrase, and deleting everything."""

from __future__ import annotations

from typing import Any

from django import forms

# Longer than any phrase (7 words of at most a dozen letters), short enough to bound the work.
MAX_TYPED = 500


class ResumeForm(forms.Form):
    """The recovery phrase as typed; what it opens is decided by journal.service.resume."""

    phrase = forms.CharField(required=False, strip=False)
    next = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django refuses a NUL character in any text field; here it is dropped instead
        # (clean_phrase), so whatever was typed gets the phrase's own message, never a
        # form without cleaned data.
        for field in self.fields.values():
            field.validators = []

    def clean_phrase(self) -> str:
        # Kept as typed (shown back on an error), without what could not be shown or stored.
        return str(self.cleaned_data["phrase"])[:MAX_TYPED].replace("\x00", "")

    def clean_next(self) -> str:
        return str(self.cleaned_data["next"]).replace("\x00", "")


class DeleteForm(forms.Form):
    """The confirmation: a post with a valid CSRF token is the visitor's "yes"."""
