"""A system check, so `manage.py check`, `migrate` and the server refuse broken content."""

from django.core import checks

from .content import ContentError, get_library


@checks.register("content")
def check_content(app_configs, **kwargs):
    try:
        get_library()
    except ContentError as error:
        return [checks.Error(str(p), id="baken.E001") for p in error.problems]
    return []
