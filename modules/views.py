"""The module player: landing page, module overview, one step per page, summary."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from baken.fragments import render_page
from baken.navigation import address
from journal.service import JournalGone
from journal.store import Progress, reads_answers, store_for

from . import answers as forms
from .content import get_library
from .content.schema import Module, PairTable, Rehearse
from .summary import rating_change, sections

MAX_EXTRA_ROWS = 5


def see_other(url: str) -> HttpResponseRedirect:
    """303 See Other: after a POST, the browser GETs the next page (Back will not re-post)."""
    return HttpResponseRedirect(url, status=303)


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


@reads_answers
@require_GET
def overview(request: HttpRequest, module_id: str) -> HttpResponse:
    """A module's goals and steps, with what is done and where to continue."""
    module = _module(module_id)
    progress = store_for(request).progress(module.id)
    return render(request, "modules/overview.html", {
        "module": module,
        "done": progress.done,
        "resume": _resume_step(module, progress.done, progress.last_step),
        "started": bool(progress.done),
    })


@reads_answers
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, module_id: str, step_id: str) -> HttpResponse:
    """One step: show it, or save it and go on (POST → 303)."""
    module = _module(module_id)
    current = module.step(step_id)
    if current is None:
        raise Http404("unknown step")
    store = store_for(request)
    shown = forms.shown_answer_ids(module, current)
    back_to_summary = request.GET.get("from") == "summary" or request.POST.get("from") == "summary"
    try:
        extra = max(0, min(MAX_EXTRA_ROWS, int(request.GET.get("more", "1"))))
    except ValueError:
        extra = 1

    if request.method == "POST":
        bad = forms.badly_encoded_fields(request)
        form = forms.parse(current, request.POST, bad)
        if form.errors:
            # Only now are the saved answers read: a save that goes through needs none of them
            # (only the module's progress, which save_step reads).
            saved = store.answers(module.id, shown)
            return _render_step(request, module, current, form, saved, back_to_summary, 1,
                                status=400)
        try:
            created = store.save_step(module.id, current.id, forms.answers_to_save(current, form),
                                      done=request.POST.get("action") != "break")
        except JournalGone:
            from support.views import journal_gone

            return journal_gone(request)
        if request.POST.get("action") == "break":
            here = address("modules:step", module.id, current.id)
            target = f"{address('support:break')}?{urlencode({'return': here})}"
        elif request.POST.get("action") == "add-row":
            # Show the rows the visitor had on screen, plus one more empty one.
            more = forms.posted_own_rows(current, request.POST) + 1 - sum(
                len(v) for v in form.values.values() if isinstance(v, list))
            url = address("modules:step", module.id, current.id)
            query = f"more={max(1, min(MAX_EXTRA_ROWS, more))}"
            if back_to_summary:
                query += "&from=summary"
            table = next(b for b in current.blocks if isinstance(b, PairTable))
            target = f"{url}?{query}#own-rows-{table.id}"
        elif back_to_summary or module.index(current.id) + 1 == len(module.steps):
            target = address("modules:summary", module.id)
        else:
            following = module.steps[module.index(current.id) + 1]
            target = address("modules:step", module.id, following.id)
        if created:  # the first save made a journal: show its phrase first
            return see_other(f"{address('journal:phrase')}?{urlencode({'next': target})}")
        return see_other(target)

    saved = store.answers(module.id, shown)
    form = forms.StepForm(values=dict(saved))
    return _render_step(request, module, current, form, saved, back_to_summary, extra)


def _render_step(request, module, current, form, saved, back_to_summary, extra, status=200):  # type: ignore[no-untyped-def]
    index = module.index(current.id)
    own_rows = {}
    rehearse = {}
    for block in current.blocks:
        if isinstance(block, PairTable):
            rows = list(form.values.get(forms.own_key(block)) or [])
            blank = forms.own_row_count(block, rows, extra if rows else max(extra, 2)) - len(rows)
            own_rows[block.id] = rows + [{"left": "", "right": ""}] * max(0, blank)
        if isinstance(block, Rehearse):
            rehearse[block.id] = _rehearse_cards(module, block, saved, request.GET.get("card"))
    compare = {
        b.id: rating_change(module, b.before, b.after, saved)
        for b in current.blocks if b.type == "compare"
    }
    # The whole page is one cached part (keyed by all its content depends on: how many own rows
    # each pair table shows is its shape), unless the form has errors.
    page_key = None
    if not form.errors:
        shape = ",".join(f"{k}:{len(v)}" for k, v in sorted(own_rows.items()))
        page_key = (module, current, back_to_summary, shape)
    return render_page(request, "modules/step.html", {
        "module": module,
        "step": current,
        "number": index + 1,
        "total": len(module.steps),
        "previous": module.steps[index - 1] if index else None,
        "next_is_heavy": index + 1 < len(module.steps) and module.steps[index + 1].heavy,
        "form": form,
        "own_rows": own_rows,
        "rehearse": rehearse,
        "compare": compare,
        "back_to_summary": back_to_summary,
    }, page_key, status=status)


def _rehearse_cards(module: Module, block: Rehearse, saved, card: str | None):  # type: ignore[no-untyped-def]
    """The counter-responses to rehearse (built-in, then the visitor's own) and which to show."""
    table = next(b for s in module.steps for b in s.blocks
                 if isinstance(b, PairTable) and b.id == block.source)
    cards = [{"left": r.left, "right": r.right, "own": False} for r in table.rows]
    own = saved.get(forms.own_key(table))
    for row in own if isinstance(own, list) else []:
        if row.get("right", "").strip():
            cards.append({"left": row.get("left", ""), "right": row["right"], "own": True})
    try:
        position = max(1, min(len(cards), int(card or "1")))
    except ValueError:
        position = 1
    return {"cards": cards, "position": position, "card": cards[position - 1]}


@reads_answers
@require_GET
def summary(request: HttpRequest, module_id: str) -> HttpResponse:
    """All answers of a module, each with a link to change it."""
    module = _module(module_id)
    store = store_for(request)
    return render(request, "modules/summary.html", {
        "module": module,
        "sections": sections(module, store.answers(module.id)),
        "done": store.progress(module.id).done,
    })
