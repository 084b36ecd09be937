"""The module player: landing page, module overview, one step per page, summary, export."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http.responses import see_other
from core.navigation import address
from journal import service as journal_service
from journal.service import JournalGone, TooManyNewJournals
from journal.store import Answer, Progress, store_for
from support.views import error_page

from . import export
from . import forms as step_forms
from .content import get_library
from .content.blocks import MAX_EXTRA_ROWS, PairTable
from .content.schema import Module, Step
from .summary import sections


def _module(module_id: str) -> Module:
    module = get_library().module(module_id, get_language())
    if module is None:
        raise Http404("unknown module")
    return module


def resume_url(module: Module, progress: Progress) -> str:
    """Where to continue a module: the next unfinished step, or the summary when all are done."""
    step_id = _resume_step(module, progress.done, progress.last_step)
    if step_id is None:
        return address("modules:summary", module.id)
    return address("modules:step", module.id, step_id)


def _resume_step(module: Module, done: frozenset[str], last: str | None) -> str | None:
    """The step to continue with: the first unfinished one after the last saved, else any."""
    ids = [s.id for s in module.steps]
    start = ids.index(last) + 1 if last in ids else 0
    for step_id in ids[start:] + ids[:start]:
        if step_id not in done:
            return step_id
    return None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page."""
    return render(request, "modules/home.html", {"modules": get_library().all(get_language())})


@require_GET
def overview(request: HttpRequest, module_id: str) -> HttpResponse:
    """A module's goals and steps, with what is done and where to continue."""
    module = _module(module_id)
    progress = store_for(request).progress(module.id)
    return render(
        request,
        "modules/overview.html",
        {
            "module": module,
            "done": progress.done,
            "resume": _resume_step(module, progress.done, progress.last_step),
            "started": bool(progress.done),
        },
    )


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, module_id: str, step_id: str) -> HttpResponse:
    """One step: show it, or save it and go on (POST → 303)."""
    module = _module(module_id)
    current = module.step(step_id)
    if current is None:
        raise Http404("unknown step")
    store = store_for(request)
    back_to_summary = request.GET.get("from") == "summary" or request.POST.get("from") == "summary"

    if request.method == "GET":
        saved = store.answers(module.id, module.shown(current))
        form = step_forms.StepForm(values=dict(saved))
        return _render_step(request, module, current, form, saved, back_to_summary)

    if getattr(request, "session_ended", False):
        return session_gone(request)
    form = step_forms.parse(current, request.POST, step_forms.badly_encoded_fields(request))
    if form.errors:
        # Only now are the saved answers read: a save that goes through needs none of them.
        saved = store.answers(module.id, module.shown(current))
        return _render_step(request, module, current, form, saved, back_to_summary, status=400)
    action = request.POST.get("action")
    try:
        created = store.save_step(
            module.id, current.id, step_forms.answers_to_save(form), done=action != "break"
        )
    except JournalGone:
        return journal_gone(request)
    except TooManyNewJournals:
        # Turned away before any work: the step again, with what the visitor typed.
        response = _render_step(
            request, module, current, form, {}, back_to_summary, status=429, busy=True
        )
        response["Retry-After"] = "1"
        return response
    target = _after_save(request, module, current, form, action, back_to_summary)
    if created:  # the first save made a journal: show its phrase first
        return see_other(f"{address('journal:phrase')}?{urlencode({'next': target})}")
    return see_other(target)


def _after_save(
    request: HttpRequest,
    module: Module,
    current: Step,
    form: step_forms.StepForm,
    action: str | None,
    back_to_summary: bool,
) -> str:
    """Where a saved step leads: a break, the same step with another row, on, or back."""
    here = address("modules:step", module.id, current.id)
    tables = [b for b in current.blocks if isinstance(b, PairTable)]
    if action == "break":
        return f"{address('support:break')}?{urlencode({'return': here})}"
    if action == "add-row" and tables:
        # Show the rows the visitor had on screen, plus one more empty one.
        table = tables[0]
        more = table.posted_rows(request.POST) + 1 - len(form.values.get(table.own) or [])
        query = f"more={max(1, min(MAX_EXTRA_ROWS, more))}"
        if back_to_summary:
            query += "&from=summary"
        return f"{here}?{query}#own-rows-{table.id}"
    if back_to_summary or module.index(current.id) + 1 == len(module.steps):
        return address("modules:summary", module.id)
    return address("modules:step", module.id, module.steps[module.index(current.id) + 1].id)


def _render_step(
    request: HttpRequest,
    module: Module,
    current: Step,
    form: step_forms.StepForm,
    saved: Mapping[str, Answer],
    back_to_summary: bool,
    status: int = 200,
    busy: bool = False,
) -> HttpResponse:
    index = module.index(current.id)
    query = {} if form.errors else request.GET
    return render(
        request,
        "modules/step.html",
        {
            "module": module,
            "step": current,
            "number": index + 1,
            "total": len(module.steps),
            "previous": module.steps[index - 1] if index else None,
            "next_is_heavy": index + 1 < len(module.steps) and module.steps[index + 1].heavy,
            "form": form,
            # What each block's template needs beyond the block: own rows, cards, comparisons.
            "data": {
                b.block_id: b.prepare(module, form, saved, query)
                for b in current.blocks
                if b.block_id
            },
            "back_to_summary": back_to_summary,
            "busy": busy,
        },
        status=status,
    )


@require_GET
def summary(request: HttpRequest, module_id: str) -> HttpResponse:
    """All answers of a module, each with a link to change it."""
    module = _module(module_id)
    store = store_for(request)
    return render(
        request,
        "modules/summary.html",
        {
            "module": module,
            "sections": sections(module, store.answers(module.id)),
            "done": store.progress(module.id).done,
        },
    )


@require_GET
def continue_where_left(request: HttpRequest) -> HttpResponse:
    """After a resume: go to the module the visitor was working on."""
    store = store_for(request)
    for module_id in store.modules():
        module = get_library().module(module_id, get_language())
        if module is not None:
            return see_other(resume_url(module, store.progress(module.id)))
    return see_other(reverse("modules:home"))


@require_GET
def download(request: HttpRequest, kind: str) -> HttpResponse:
    """All answers as one self-contained HTML file or as plain text."""
    content, content_type = export.render(request, kind)
    response = HttpResponse(content, content_type=content_type)
    extension = "html" if kind == "html" else "txt"
    response["Content-Disposition"] = f'attachment; filename="answers.{extension}"'
    return response


# --- when a step's post cannot be saved: the visitor's text is shown back --------------------


def journal_gone(request: HttpRequest) -> HttpResponse:
    """A save found its journal deleted (in another tab, or expired): show the text back."""
    kept = _typed_text(request)
    journal_service.end_session(request.session)
    return error_page(
        request,
        410,
        _("This journal no longer exists"),
        _(
            "The journal was deleted or has expired, so nothing was saved. Your text is shown "
            "below: copy it if you want to keep it."
        ),
        kept=kept,
    )


def session_gone(request: HttpRequest) -> HttpResponse:
    """A step posted with a cookie whose session has ended (idle, or ended or deleted in another
    tab): nothing is saved, and no new journal is made in its place, which would hide the
    visitor's own (or bring back one just deleted). The text is shown back."""
    return error_page(
        request,
        410,
        _("Your answers were not saved"),
        _(
            "Your session had ended, so nothing was saved. Your text is shown below: copy it if "
            "you want to keep it, then continue with your recovery phrase."
        ),
        kept=_typed_text(request),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form's security token was missing or stale: nothing saved, but the text is shown back.

    No form is rendered here, so this page never starts a new session (which would replace
    the visitor's own cookie when the request came from another site).
    """
    return error_page(
        request,
        403,
        _("Your answers were not saved"),
        _(
            "This page was open too long, or your session ended, so the form could not be "
            "accepted. Nothing was saved. Your text is shown below: copy it, continue with "
            "your recovery phrase, and paste it in."
        ),
        kept=_typed_text(request),
    )


def _from_another_site(request: HttpRequest) -> bool:
    """Whether the browser says this post came from another site (Sec-Fetch-Site; or, from a
    browser without it, an Origin that is not ours). Such a post's text is never shown back:
    another site could use the page to show words of its choosing under Baken's name."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and origin != f"{request.scheme}://{request.get_host()}"


def _typed_text(request: HttpRequest) -> list[tuple[str, str]]:
    """The free text a rejected step form carried, labelled with its questions."""
    if request.method != "POST" or _from_another_site(request):
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    if match.view_name != "modules:step":
        return []
    module = get_library().module(match.kwargs["module_id"], get_language())
    current = module.step(match.kwargs["step_id"]) if module else None
    if current is None:
        return []
    labels = dict(step_forms.text_labels(current))
    kept = []
    for name, value in request.POST.items():
        label = labels.get(name) or labels.get(name.rsplit(".", 1)[-1])
        if label is not None and value.strip():
            kept.append((str(label), value.replace("\x00", "\ufffd")))
    return kept
