"""`manage.py checkcontent [folder]`: validate every content file, print `file:line: message`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factsheets.content import load_factsheets
from modules.content import ContentError, load_library
from support.asking import load_asking


class Command(BaseCommand):
    help = "Check all content (modules, factsheet, help page); print each problem as file:line."
    requires_system_checks: list[str] = []  # it must run even when the content is broken

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="content folder (default: the site's)")

    def handle(self, *args, folder=None, **options):
        root = Path(folder) if folder else Path(settings.BAKEN_CONTENT_DIR)
        languages = [code for code, _ in settings.LANGUAGES]
        problems = []
        try:
            library = load_library(root, languages, settings.LANGUAGE_CODE)
        except ContentError as error:
            problems.extend(error.problems)
        try:
            facts = load_factsheets(root, languages, settings.LANGUAGE_CODE)
        except ContentError as error:
            problems.extend(error.problems)
        try:
            asking = load_asking(root, languages, settings.LANGUAGE_CODE)
        except ContentError as error:
            problems.extend(error.problems)
        if problems:
            failure = ContentError(problems)
            self.stderr.write(str(failure))
            count = len(failure.problems)
            raise CommandError(f"{count} problem{'s' * (count != 1)} in {root}.") from None
        for language, modules in sorted(library.modules.items()):
            for module in modules.values():
                questions = sum(1 for _ in _answer_ids(module))
                self.stdout.write(
                    f"{language}/{module.id}: {len(module.steps)} steps, {questions} ids, "
                    f"{module.status} — ok"
                )
        for language in sorted(facts.sheets):
            self.stdout.write(
                f"{language}/factsheet: {len(facts.figures)} figures in "
                f"{len(facts.charts)} charts — ok"
            )
        for language, page in sorted(asking.pages.items()):
            self.stdout.write(
                f"{language}/asking-for-help: {len(page.sections)} sections, {page.status} — ok"
            )
        self.stdout.write(self.style.SUCCESS("Content is valid."))


def _answer_ids(module):
    from modules.content.loader import ids_of

    for step in module.steps:
        yield from ids_of(step)
