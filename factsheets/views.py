"""The factsheet page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from .charts import page
from .content import get_factsheets


@require_GET
def factsheet(request: HttpRequest) -> HttpResponse:
    """The factsheet in the visitor's language, with a chart and a table for every figure."""
    return render(
        request, "factsheets/factsheet.html", {"page": page(get_factsheets(), get_language())}
    )
