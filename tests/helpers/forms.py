"""Read forms out of rendered HTML, so tests post exactly what a browser would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    in_main: bool = False
    fields: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: dict[str, str] = field(default_factory=dict)
    textareas: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.textarea: str | None = None
        self.ids: list[str] = []
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "main":
            self.in_main = True
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), self.in_main))
        elif not self.forms:
            return
        form = self.forms[-1] if self.forms else None
        if form is None:
            return
        if tag == "input":
            kind, name = a.get("type", "text"), a.get("name", "")
            if kind == "radio":
                form.radios.setdefault(name, []).append(a.get("value", ""))
                if "checked" in a:
                    form.fields[name] = a.get("value", "")
            elif kind == "checkbox":
                form.checkboxes[name] = a.get("value", "on")
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif name:
                form.fields[name] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            form.textareas.append(a["name"])
            form.fields[a["name"]] = ""
        elif tag == "button":
            form.buttons.append((a.get("name", ""), a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.forms:
            self.forms[-1].fields[self.textarea] += data


def forms(html: str) -> list[Form]:
    """Every form in a page."""
    parser = _Parser()
    parser.feed(html)
    # A textarea's content starts after a newline the parser keeps; browsers drop it.
    for form in parser.forms:
        for name in form.textareas:
            if form.fields[name].startswith("\n"):
                form.fields[name] = form.fields[name][1:]
    return parser.forms


def the_form(html: str) -> Form:
    """The page's one form in its main content (the footer may hold 'end my session')."""
    found = [f for f in forms(html) if f.in_main]
    assert len(found) == 1, f"expected one form in <main>, found {len(found)}"
    return found[0]


def element_ids(html: str) -> list[str]:
    """Every id attribute in a page."""
    parser = _Parser()
    parser.feed(html)
    return parser.ids
