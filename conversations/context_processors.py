"""'1 new reply' on every page while a journal with a conversation is open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import service

CHECKED = "conversation"  # in the session: whether this journal has a conversation (0/1)


def replies(request: HttpRequest) -> dict[str, Any]:
    session: Any = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return {"new_replies": 0}
    data = session.get("journal")
    # Visitors who never wrote pay one query, once per session, not one per page.
    if not data or session.get(CHECKED) == 0:
        return {"new_replies": 0}
    if CHECKED not in session:
        session[CHECKED] = 1 if service.open_conversation(data["pk"]) else 0
        if not session[CHECKED]:
            return {"new_replies": 0}
    return {"new_replies": service.new_replies(data["pk"])}
