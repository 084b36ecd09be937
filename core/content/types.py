"""Field types shared by every kind of content file (modules, the factsheet, the helpline)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

from .markdown import Md, problems, render_block, render_inline


def _checked(render: Callable[[str], Md]) -> Callable[[str], Md]:
    def validate(source: str) -> Md:
        found = problems(source)
        if found:
            raise ValueError("; ".join(found))
        return render(source)

    return validate


def _whole_number(value: object) -> object:
    """Refuse '2.000' or '2,000': YAML would read the first as 2, silently."""
    if isinstance(value, str) and not value.strip().isdigit():
        raise ValueError(f"write a whole number with digits only, like 2000 (not {value!r})")
    return value


Markdown = Annotated[str, StringConstraints(min_length=1), AfterValidator(_checked(render_block))]
InlineMarkdown = Annotated[
    str, StringConstraints(min_length=1), AfterValidator(_checked(render_inline))
]
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class Part(BaseModel):
    """A piece of content: frozen once loaded, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")
