"""The module player: landing page, module overview, one step per page, summary, export."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http.responses import see_other
from core.navigation import address, switching_language
from evaluation import service as evaluation
from journal import service as journal_service
from journal import throttle
from journal.service import JournalGone, TooManyNewJournals
from journal.store import Answer, Progress, store_for
from support.views import error_page

from . import export
from . import forms as step_forms
from .content import get_library
from .content.blocks import MAX_EXTRA_ROWS, Compare, PairTable
from .content.schema import Module, Step
from .summary import sections


def show_drafts() -> bool:
    """Whether modules still in draft are shown (development, tests, a review server)."""
    return bool(settings.BAKEN_SHOW_DRAFTS)


def _module(module_id: str) -> Module:
    """The module to show, in the visitor's language; 404 when unknown or a hidden draft."""
    module = get_library().module(module_id, get_language(), drafts=show_drafts())
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
    """The landing page: the modules in the editors' order, each with the visitor's progress."""
    modules = get_library().all(get_language(), drafts=show_drafts())
    progress = store_for(request).progress_of(m.id for m in modules)
    listed = [
        {"module": m, "done": len(progress[m.id].done & {s.id for s in m.steps})} for m in modules
    ]
    return render(request, "modules/home.html", {"modules": listed})


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
        evaluation.reached(request.session, module.id, current.id)
        return _render_step(request, module, current, form, saved, back_to_summary)

    form = step_forms.parse(current, request.POST, step_forms.badly_encoded_fields(request))
    if switching_language(request):
        # The same answers on the page in the other language, saved nowhere; what is missing
        # or too long is said when the visitor saves.
        form.errors.clear()
        saved = store.answers(module.id, module.shown(current))
        return _render_step(request, module, current, form, saved, back_to_summary, carried=True)
    if getattr(request, "session_ended", False):
        return session_gone(request)
    if form.errors:
        # Only now are the saved answers read: a save that goes through needs none of them.
        saved = store.answers(module.id, module.shown(current))
        return _render_step(request, module, current, form, saved, back_to_summary, status=400)
    action = request.POST.get("action")
    values = step_forms.answers_to_save(form)
    target = _after_save(request, module, current, form, action, back_to_summary)
    # A "yes" to counting the scores anonymously: remembered in the journal with the answers,
    # and written to the evaluation, apart from the journal, once the save has gone through.
    contributions = []
    for block in current.blocks:
        found = block.contribution(module, form.values, lambda ids: store.answers(module.id, ids))
        if found is not None:
            values[found[0]] = "yes"
            contributions.append(found[1])
    if not store.has_journal() and not any(_given(v) for v in values.values()):
        # Nothing typed or chosen yet (a reading step, or a step left empty): no journal is
        # made, and no phrase shown, until the first real answer.
        evaluation.saved(request.session, module.id, current.id)
        return see_other(target)
    # Reading steps passed before the journal existed count as done once it does.
    read_before = () if store.has_journal() else _reading_steps_before(module, current)
    try:
        created = store.save_step(
            module.id, current.id, values, done=action != "break", also_done=read_before
        )
    except JournalGone:
        return journal_gone(request)
    except TooManyNewJournals:
        # Turned away before any work: the step again, with what the visitor typed.
        response = _render_step(
            request, module, current, form, {}, back_to_summary, status=429, busy=True
        )
        response["Retry-After"] = "1"
        throttle.mark_waited(request, response)
        return response
    evaluation.saved(request.session, module.id, current.id)
    for ratings in contributions:
        evaluation.contribute(module.id, ratings)
    if created:  # the first answer made a journal: show its phrase first
        response = see_other(f"{address('journal:phrase')}?{urlencode({'next': target})}")
        throttle.forget_waited(request, response)
        return response
    return see_other(
        _with_notice(target, "saved") if _has_inputs(current) and action != "break" else target
    )


def _reading_steps_before(module: Module, current: Step) -> tuple[str, ...]:
    return tuple(s.id for s in module.steps[: module.index(current.id)] if not _has_inputs(s))


def _given(value: object) -> bool:
    """Whether an answer holds anything the visitor typed or chose."""
    if isinstance(value, dict):
        return any(_given(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_given(v) for v in value)
    return value not in (None, "", False)


def _has_inputs(step: Step) -> bool:
    """Whether a step asks anything (a reading step only shows text)."""
    return any(next(iter(block.inputs()), None) is not None for block in step.blocks)


def _with_notice(target: str, notice: str) -> str:
    """The next address, telling its page to say something once: "saved" (the step was
    saved), "welcome" (the journal was opened again; support/jinja2/base.html)."""
    path, hash_mark, fragment = target.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{notice}=1{hash_mark}{fragment}"


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
    if back_to_summary:  # back to the answer just changed
        return f"{address('modules:summary', module.id)}#s-{current.id}"
    if module.index(current.id) + 1 == len(module.steps):
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
    carried: bool = False,
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
            "has_inputs": _has_inputs(current),
            "has_text": any(any(True for _ in b.text_labels()) for b in current.blocks),
            "has_break_callout": any(getattr(b, "kind", "") == "break" for b in current.blocks),
            "busy": busy,
            "carried": carried,
        },
        status=status,
    )


@require_GET
def summary(request: HttpRequest, module_id: str) -> HttpResponse:
    """All answers of a module, each with a link to change it."""
    module = _module(module_id)
    store = store_for(request)
    answers = store.answers(module.id)
    done = store.progress(module.id).done
    # Before and after, side by side (the comparison blocks, read for this page).
    comparisons = [
        (block, block.prepare(module, step_forms.StepForm(values={}), answers, {}))
        for step in module.steps
        for block in step.blocks
        if isinstance(block, Compare)
    ]
    return render(
        request,
        "modules/summary.html",
        {
            "module": module,
            "sections": sections(module, answers),
            "done": done,
            "finished": all(step.id in done for step in module.steps),
            "comparisons": [(b, rows) for b, rows in comparisons if any(r["after"] for r in rows)],
            "next_module": get_library().next_after(module, drafts=show_drafts()),
        },
    )


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, module_id: str) -> HttpResponse:
    """The optional feedback at a module's end: choices only, sent only with its own button."""
    module = _module(module_id)
    if request.method == "POST":
        choices = {name: request.POST.get(name, "") for name in evaluation.FEEDBACK_CHOICES}
        chosen = any(v in evaluation.FEEDBACK_CHOICES[k] for k, v in choices.items())
        if not chosen:
            return render(
                request, "modules/feedback.html", {"module": module, "empty": True}, status=400
            )
        if evaluation.first_time(request.session, f"feedback:{module.id}"):
            evaluation.send_feedback(module.id, choices)
        return see_other(f"{address('modules:feedback', module.id)}?{urlencode({'sent': 1})}")
    return render(
        request,
        "modules/feedback.html",
        {"module": module, "sent": request.GET.get("sent") == "1"},
    )


@require_GET
def continue_where_left(request: HttpRequest) -> HttpResponse:
    """After a resume: go to the module the visitor was working on."""
    store = store_for(request)
    saved = set(store.modules())
    started = [m for m in get_library().all(get_language(), show_drafts()) if m.id in saved]
    # The first module, in the editors' order, with a step still to do; else the first.
    for module in started:
        progress = store.progress(module.id)
        if _resume_step(module, progress.done, progress.last_step) is not None:
            return see_other(_with_notice(resume_url(module, progress), "welcome"))
    if started:
        return see_other(
            _with_notice(resume_url(started[0], store.progress(started[0].id)), "welcome")
        )
    return see_other(_with_notice(reverse("modules:home"), "welcome"))


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
