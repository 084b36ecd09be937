"""The site under test in one language: its URLs and the words a visitor clicks on.

To run every browser test in another language, add a Language with its URL prefix and words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from .server import LiveServer


@dataclass(frozen=True)
class Language:
    code: str
    prefix: str  # "" for Dutch (the default), "/en" for English
    words: Mapping[str, str]


DUTCH = Language(
    code="nl",
    prefix="",
    words={
        "exit": "Snel weg",
        "skip": "Naar de inhoud",
        "start module": "Begin aan de module",
        "step": "Stap {number} van {total}",
        "save": "Opslaan en verder",
        "save last": "Opslaan en je antwoorden bekijken",
        "save and back": "Opslaan en terug naar je antwoorden",
        "read on": "Verder",
        "read last": "Je antwoorden bekijken",
        "read and back": "Terug naar je antwoorden",
        "add row": "Opslaan en nog een rij toevoegen",
        "own row": "Je eigen rij {number}",
        "next response": "Volgend antwoord",
        "response of": "Antwoord {position} van {count}",
        "your own": "je eigen antwoord",
        "more insight": "meer inzicht",
        "save and break": "Opslaan en pauze nemen",
        "break title": "Neem even pauze",
        "urge": "Ik voel nu een drang",
        "back to step": "Terug naar waar ik was",
        "not done": "nog niet gedaan",
        "phrase title": "Je herstelzin",
        "written down": "Ik heb de zin opgeschreven, verder",
        "continue with phrase": "Verder met mijn herstelzin",
        "my phrase": "Mijn herstelzin",
        "phrase": "Herstelzin",
        "open journal": "Mijn dagboek openen",
        "wrong phrase": "We konden met deze zin geen dagboek openen.",
        "problem": "Er is een probleem",
        "choose a score": "Kies een score voor deze uitspraak.",
        "choose a step": "Kies de stap waar jij de grens trekt.",
        "choose a number": "Kies een getal.",
        "answers": "Je antwoorden",
        "change": "Wijzigen",
        "nothing answered": "Je hebt nog niets beantwoord.",
        "download": "Mijn antwoorden downloaden",
        "as text": "als tekst",
        "delete": "Alles wissen",
        "confirm delete": "Ja, alles wissen",
        "deleted": "Alles is gewist",
        "end session": "Mijn sessie beëindigen",
        "session ended": "Je sessie is beëindigd",
        "not saved": "Je antwoorden zijn niet opgeslagen",
        "text you typed": "De tekst die je typte",
        "write to counsellor": "Stuur een bericht aan een hulpverlener",
        "your message": "Je bericht",
        "send": "Versturen",
    },
)

ENGLISH = Language(
    code="en",
    prefix="/en",
    words={
        "exit": "Leave this site",
        "skip": "Skip to the content",
        "start module": "Start the module",
        "step": "Step {number} of {total}",
        "save": "Save and continue",
        "save last": "Save and see your answers",
        "save and back": "Save and return to your answers",
        "read on": "Continue",
        "read last": "See your answers",
        "read and back": "Back to your answers",
        "add row": "Save and add another row",
        "own row": "Your own row {number}",
        "next response": "Next response",
        "response of": "Response {position} of {count}",
        "your own": "your own",
        "more insight": "more insight",
        "save and break": "Save and take a break",
        "break title": "Take a break",
        "urge": "I feel an urge now",
        "back to step": "Go back to where I was",
        "not done": "not done yet",
        "phrase title": "Your recovery phrase",
        "written down": "I have written it down, continue",
        "continue with phrase": "Continue with my phrase",
        "my phrase": "My recovery phrase",
        "phrase": "Recovery phrase",
        "open journal": "Open my journal",
        "wrong phrase": "We could not open a journal with this phrase.",
        "problem": "There is a problem",
        "choose a score": "Choose a score for this statement.",
        "choose a step": "Choose the step where you draw the line.",
        "choose a number": "Choose a number.",
        "answers": "Your answers",
        "change": "Change",
        "nothing answered": "You have not answered anything yet.",
        "download": "Download my answers",
        "as text": "as text",
        "delete": "Delete everything",
        "confirm delete": "Yes, delete everything",
        "deleted": "Everything is deleted",
        "end session": "End my session",
        "session ended": "Your session has ended",
        "not saved": "Your answers were not saved",
        "text you typed": "The text you typed",
        "write to counsellor": "Write to a counsellor",
        "your message": "Your message",
        "send": "Send",
    },
)

LANGUAGES = [DUTCH, ENGLISH]


@dataclass(frozen=True)
class Site:
    server: LiveServer
    lang: Language

    @property
    def origin(self) -> str:
        return self.server.base

    def url(self, path: str) -> str:
        """The full URL of a page in this language: `/m/reality/` → http://…/en/m/reality/."""
        return f"{self.server.base}{self.lang.prefix}{path}"

    def word(self, key: str, **values: object) -> str:
        return self.lang.words[key].format(**values)

    @cached_property
    def module(self):
        """The module the journeys walk, as its content files define it in this language."""
        from modules.content import get_library

        return get_library().module("reality", self.lang.code)


def plain(value: object) -> str:
    """Content text as a visitor sees it (inline Markdown rendered, tags dropped)."""
    markup = getattr(value, "html", None)
    if markup is None:
        return str(value)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", str(markup))).split())
