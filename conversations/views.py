"""Messages: the visitor's page (/messages/) and the counsellors' inbox (in the staff area)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.http.responses import see_other
from core.navigation import address, switching_language
from journal import crypto as journal_crypto
from journal import service as journal_service
from journal import throttle
from staff import service as staff_service
from staff.roles import Permission
from staff.views import staff_page

from . import service
from .models import CLOSED, WAITING, Conversation

DRAFT = "message_draft"  # a message typed before the journal existed, wrapped by the session

REASONS = {
    "empty": lambda: _("Write your message first."),
    "too-long": lambda: (
        _("Your message is longer than %(max)s characters. Shorten it, or send it in two parts.")
        % {"max": settings.BAKEN_MESSAGE_MAX_LENGTH}
    ),
    "unanswered": lambda: (
        _(
            "You have sent %(n)s messages that have not been answered yet. Wait for an answer "
            "before you send more; your text is still here."
        )
        % {"n": settings.BAKEN_MESSAGE_LIMITS["unanswered"]}
    ),
    "per-day": lambda: (
        _(
            "You have sent %(n)s messages today, the most for one day. Your text is still here: "
            "send it tomorrow."
        )
        % {"n": settings.BAKEN_MESSAGE_LIMITS["per_day"]}
    ),
    "busy": lambda: _(
        "Many people are starting at this moment. Your text has not been sent, but it is still "
        "here: press Send again in a moment."
    ),
    "no-inbox": lambda: _(
        "Messages cannot be sent yet: the helpline has not set up its message service. Your "
        "text has not been sent."
    ),
}


def _keep_draft(request: HttpRequest, text: str) -> None:
    session = request.session
    session[DRAFT] = journal_crypto.wrap(session.session_key, "message draft", text.encode()).hex()


def _take_draft(request: HttpRequest) -> str:
    wrapped = request.session.pop(DRAFT, None)
    if not wrapped or request.session.session_key is None:
        return ""
    try:
        return journal_crypto.unwrap(
            request.session.session_key, "message draft", bytes.fromhex(wrapped)
        ).decode()
    except (journal_crypto.CryptoError, ValueError):
        return ""


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """Write to a counsellor; read the conversation and its replies."""
    handle = journal_service.open_journal(request.session)
    typed, problem, status = "", None, 200
    carried = switching_language(request)
    if carried:  # the language switch: the text again, in the other language, not sent
        typed = request.POST.get("message", "").replace("\x00", "")
    elif request.method == "POST":
        typed = request.POST.get("message", "").replace("\x00", "").strip()
        if not typed:
            problem, status = "empty", 400
        elif len(typed) > settings.BAKEN_MESSAGE_MAX_LENGTH:
            problem, status = "too-long", 400
        elif staff_service.inbox() is None:
            problem, status = "no-inbox", 409
        elif handle is None:
            # Sending needs a journal: make one, keep the text, show the phrase first.
            try:
                journal_service.create(
                    request.session, get_language(), throttle.has_waited(request)
                )
            except journal_service.TooManyNewJournals:
                problem, status = "busy", 429
            else:
                _keep_draft(request, typed)
                response = see_other(
                    address("journal:phrase") + "?next=" + address("conversations:write")
                )
                throttle.forget_waited(request, response)
                return response
        else:
            try:
                service.send(handle, typed)
            except service.NotSent as refused:
                problem, status = refused.reason, 429 if refused.reason != "too-long" else 400
            else:
                request.session["conversation"] = 1  # conversations.context_processors
                return see_other(address("conversations:write") + "?sent=1")
    else:
        typed = _take_draft(request)
    conversation = service.open_conversation(handle.pk) if handle else None
    thread = service.thread_for_visitor(handle, conversation) if handle and conversation else []
    response = render(
        request,
        "conversations/write.html",
        {
            "conversation": conversation,
            "thread": thread,
            "typed": typed,
            "draft_kept": bool(typed) and request.method == "GET",
            "carried": carried and bool(typed.strip()),
            "problem": REASONS[problem]() if problem else None,
            "max_length": settings.BAKEN_MESSAGE_MAX_LENGTH,
            "sent": request.GET.get("sent") == "1",
            "has_journal": handle is not None,
            "inbox_ready": staff_service.inbox() is not None,
        },
        status=status,
    )
    if problem == "busy":
        throttle.mark_waited(request, response)
    return response


@require_POST
def close(request: HttpRequest) -> HttpResponse:
    handle = journal_service.open_journal(request.session)
    if handle is not None:
        service.close_by_visitor(handle.pk)
    return see_other(address("conversations:write") + "?closed=1")


# --- the counsellors' side (staff area) ------------------------------------------------------


@staff_page(Permission.MESSAGES)
def inbox(request: HttpRequest) -> HttpResponse:
    conversations = service.inbox_list()
    now = timezone.now()
    rows = [
        (
            c,
            service.waiting_hours(c, now),
            c.claimed_by.username
            if c.claimed_by and c.claimed_until and c.claimed_until > now
            else "",
        )
        for c in conversations
    ]
    surges = sum(1 for c in conversations if c.surge and c.state == WAITING)
    budget = settings.BAKEN_MESSAGE_LIMITS["new_per_hour"]
    return render(
        request, "conversations/inbox.html", {"rows": rows, "surges": surges, "budget": budget}
    )


@staff_page(Permission.MESSAGES, methods=("GET", "POST"))
def thread(request: HttpRequest, label: str) -> HttpResponse:
    conversation = get_object_or_404(Conversation, label=label)
    staff = request.user
    private = staff_service.held_inbox_key(request.session)
    if private is None:
        return render(request, "conversations/no_key.html", {}, status=403)
    problem = None
    typed = ""
    if request.method == "POST":
        action = request.POST.get("action", "reply")
        if action == "reply":
            typed = request.POST.get("message", "").replace("\x00", "").strip()
            if not typed or len(typed) > settings.BAKEN_MESSAGE_MAX_LENGTH:
                problem = _("Write a reply of at most %(max)s characters.") % {
                    "max": settings.BAKEN_MESSAGE_MAX_LENGTH
                }
            elif service.reply(conversation, staff, typed):
                return see_other(address("inbox:list"))
            else:
                problem = _(
                    "A colleague is answering this conversation now; your reply was not sent."
                )
        elif action == "colleague":
            service.mark_needs_colleague(conversation, staff, True)
            return see_other(address("inbox:list"))
        elif action == "close":
            service.close_by_staff(conversation, staff)
            return see_other(address("inbox:list"))
        elif action == "release":
            service.release(conversation, staff)
            return see_other(address("inbox:list"))
    mine = conversation.state != CLOSED and service.claim(conversation, staff)
    shown = service.thread_for_staff(private, conversation, staff)
    return render(
        request,
        "conversations/thread.html",
        {
            "conversation": conversation,
            "thread": shown,
            "mine": mine,
            "typed": typed,
            "problem": problem,
            "waiting": service.waiting_hours(conversation),
            "max_length": settings.BAKEN_MESSAGE_MAX_LENGTH,
        },
        status=400 if problem else 200,
    )
