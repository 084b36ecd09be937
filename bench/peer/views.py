"""The peer's one view: a module step with the visitor's saved answers in its form."""

from base64 import b64decode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from journal.crypto import JournalKeys, open_sealed, slot

from .models import Entry
from .steps import steps


@require_GET
def step(request: HttpRequest, module_id: str, step_id: str) -> HttpResponse:
    current = steps(module_id).get(step_id)
    if current is None:
        raise Http404("unknown step")
    answers = {}
    if "journal" in request.session:
        keys = JournalKeys(request.session["lookup"], b64decode(request.session["key"]))
        slots = {slot(keys, name): name for name in current.form.base_fields}
        for entry in Entry.objects.filter(journal=request.session["journal"], slot__in=slots):
            name = slots[entry.slot]
            _, answers[name] = open_sealed(keys, entry.slot, entry.sealed, expected_id=name)
    form = current.form(initial=answers)
    sections = [(block, [form[name] for name in block.questions]) for block in current.blocks]
    return render(request, "peer/step.html", {"step": current, "form": form, "sections": sections})
