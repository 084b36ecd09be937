"""What an error report may contain: never POST data, cookies or anything a visitor typed."""

from django.views.debug import SafeExceptionReporterFilter


class NoVisitorDataFilter(SafeExceptionReporterFilter):
    def is_active(self, request):  # type: ignore[no-untyped-def]
        return True  # also with DEBUG on

    def get_post_parameters(self, request):  # type: ignore[no-untyped-def]
        return {}

    def get_traceback_frame_variables(self, request, tb_frame):  # type: ignore[no-untyped-def]
        return []
