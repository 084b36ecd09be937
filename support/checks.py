"""System checks: `manage.py check` says when the helpline is missing, broken or the example."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from core.content import ContentError

from .helpline import load_helpline

DOCS = "See docs/helpline.md."


def _load():
    # Read the file afresh rather than through get_helpline(): a check must see the file as
    # it is now, not as the process first found it.
    path = Path(settings.BAKEN_HELPLINE_FILE)
    return path, load_helpline(path)


@checks.register("helpline")
def check_helpline(app_configs, **kwargs):
    try:
        path, helpline = _load()
    except ContentError as error:
        return [
            checks.Error(f"The helpline file has an error: {problem}", hint=DOCS, id="baken.E002")
            for problem in error.problems
        ]
    if helpline is None:
        return [
            checks.Warning(
                "The helpline is not configured: the site will say so instead of showing contact "
                "details. See docs/helpline.md.",
                hint=f"Create {path} from config/helpline.example.yaml with the organisation's "
                "official details, or set BAKEN_HELPLINE_FILE.",
                id="baken.W001",
            )
        ]
    if helpline.example:
        return [
            checks.Warning(
                f"{path} is the shipped example (it says 'example: true'): its contact details "
                "are placeholders, not a helpline.",
                hint="Fill in the organisation's official details and remove 'example: true'. "
                + DOCS,
                id="baken.W002",
            )
        ]
    return []


@checks.register("helpline", deploy=True)
def check_helpline_deploy(app_configs, **kwargs):
    try:
        path, helpline = _load()
    except ContentError:
        return []  # check_helpline reports it
    if helpline is not None and helpline.example:
        return [
            checks.Error(
                f"{path} is the shipped example; a public site must not show its placeholders.",
                hint="Fill in the organisation's official details and remove 'example: true'. "
                + DOCS,
                id="baken.E003",
            )
        ]
    return []
