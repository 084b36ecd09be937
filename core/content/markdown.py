"""Markdown for content: CommonMark with raw HTML off, rendered once when content loads."""

from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_SCHEMES = ("https:", "http:", "mailto:", "tel:", "/", "#")


@cache
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable("image")

    def link_open(self, tokens, idx, options, env):
        tokens[idx].attrSet("rel", "noreferrer")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


@cache
def _html_detector() -> MarkdownIt:
    """A parser with HTML on, used only to find raw HTML an editor wrote, so it can be reported."""
    detector = MarkdownIt("commonmark", {"html": True})
    # The renderer drops javascript: and similar links silently; the check should name them.
    detector.validateLink = lambda url: True  # type: ignore[method-assign]
    return detector


@dataclass(frozen=True, slots=True)
class Md:
    """Markdown source with its HTML, rendered once."""

    source: str
    html: Markup

    def __html__(self) -> str:
        return str(self.html)

    def __str__(self) -> str:
        return self.source


def problems(source: str) -> list[str]:
    """What is wrong with a piece of content Markdown, in words an editor understands."""
    found: list[str] = []
    for token in _walk(_html_detector().parse(source)):
        if token.type in ("html_block", "html_inline"):
            found.append(f"raw HTML is not allowed: {token.content.strip()[:40]!r}")
        elif token.type == "image":
            found.append("images are not allowed in content")
        elif token.type == "heading_open" and token.tag == "h1":
            found.append("use '##' or '###' for headings; '#' is kept for the page title")
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if not href.startswith(ALLOWED_SCHEMES):
                found.append(
                    f"link address {href!r} must start with https://, http://, mailto:, "
                    "tel:, / or #"
                )
    return found


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def render_block(source: str) -> Md:
    """Render block Markdown (paragraphs, lists, headings)."""
    # markdown-it escapes all text and raw HTML is off, so its output is safe to mark as such.
    return Md(source, Markup(_renderer().render(source)))  # noqa: S704


def render_inline(source: str) -> Md:
    """Render one line of inline Markdown (emphasis, links) without a paragraph around it."""
    return Md(source, Markup(_renderer().renderInline(source)))  # noqa: S704
