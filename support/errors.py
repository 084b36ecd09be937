"""What an error report may contain: never POST data, cookies or anything a visitor typed."""

from django.views.debug import SafeExceptionReporterFilter


class NoVisitorDataFilter(SafeExceptionReporterFilter):
    def is_active(self, request):
        return True  # also with DEBUG on

    def get_post_parameters(self, request):
        return {}

    def get_traceback_frame_variables(self, request, tb_frame):
        return []
