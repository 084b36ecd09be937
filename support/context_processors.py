"""What every page's frame shows of the helpline: its details and whether it is open now."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .views import helpline_context


def helpline(request: HttpRequest) -> dict[str, Any]:
    return {"info": helpline_context()}
