"""What every page's frame needs to know of the journal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .service import has_journal


def journal(request: HttpRequest) -> dict[str, Any]:
    """Whether this visitor's session has an open journal (never starts a session itself),
    and whether their previous session just ended."""
    session = getattr(request, "session", None)
    return {
        "journal_open": bool(session is not None and session.session_key and has_journal(session)),
        "session_ended": bool(getattr(request, "session_ended", False)),
    }
