from django.apps import AppConfig
from django.core import checks


class FactsheetsConfig(AppConfig):
    name = "factsheets"
    verbose_name = "Factsheet"

    def ready(self) -> None:
        checks.register(check_factsheet, "content")


def check_factsheet(app_configs, **kwargs):
    """`manage.py check`, `migrate` and `runserver` refuse a broken factsheet."""
    from core.content import ContentError

    from .content import get_factsheets

    try:
        get_factsheets()
    except ContentError as error:
        return [checks.Error(str(p), id="baken.E004") for p in error.problems]
    return []
