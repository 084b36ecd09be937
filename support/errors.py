"""What an error report may contain: never POST data, cookies or anything a visitor typed, and
never a secret: Django's list of sensitive names, plus the peppers and the database address
(which holds its password)."""

import re

from django.views.debug import SafeExceptionReporterFilter


class NoVisitorDataFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|PEPPER|DATABASE_URL|DSN", flags=re.I
    )

    def is_active(self, request):
        return True  # also with DEBUG on

    def get_post_parameters(self, request):
        return {}

    def get_traceback_frame_variables(self, request, tb_frame):
        return []
