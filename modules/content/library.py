"""All modules in all languages, loaded once and checked against each other."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from core.content import ContentError, Problem, missing_across_languages

from .loader import load_module
from .schema import Module


@dataclass(frozen=True)
class Library:
    """Every module, by language and id."""

    modules: dict[str, dict[str, Module]]
    default_language: str

    def module(self, module_id: str, language: str) -> Module | None:
        """A module in the visitor's language, or in the default language when not translated."""
        for lang in (language, self.default_language):
            found = self.modules.get(lang, {}).get(module_id)
            if found is not None:
                return found
        return None

    def all(self, language: str) -> list[Module]:
        """The modules to list for a visitor, in their language where translated."""
        ids = sorted({m for lang in self.modules.values() for m in lang})
        return [m for m in (self.module(i, language) for i in ids) if m is not None]


def load_library(root: Path, languages: list[str], default_language: str) -> Library:
    """Load every module under root/<language>/; raise ContentError listing every problem."""
    display_root = root.parent
    problems: list[Problem] = []
    modules: dict[str, dict[str, Module]] = {}
    where: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}
    if not root.is_dir():
        raise ContentError([Problem(str(root), 1, "the content folder does not exist")])
    for lang_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if lang_dir.name not in languages:
            problems.append(
                Problem(
                    str(lang_dir.relative_to(display_root)),
                    1,
                    f"'{lang_dir.name}' is not listed in content/languages.yaml "
                    f"({', '.join(languages)})",
                )
            )
            continue
        for folder in sorted(p for p in lang_dir.iterdir() if p.is_dir()):
            try:
                module, ids = load_module(folder, lang_dir.name, display_root)
            except ContentError as error:
                problems.extend(error.problems)
                continue
            modules.setdefault(lang_dir.name, {})[module.id] = module
            where[(lang_dir.name, module.id)] = ids
    problems.extend(_compare_languages(where))
    if problems:
        raise ContentError(problems)
    return Library(modules=modules, default_language=default_language)


def _compare_languages(where: dict[tuple[str, str], dict[str, tuple[str, int]]]) -> list[Problem]:
    """Every id must exist in every language a module is written in."""
    problems: list[Problem] = []
    by_module: dict[str, dict[str, dict[str, tuple[str, int]]]] = {}
    for (lang, module_id), ids in where.items():
        by_module.setdefault(module_id, {})[lang] = ids
    for module_id, langs in by_module.items():
        for _, missing, (path, line), other in missing_across_languages(langs):
            problems.append(
                Problem(
                    path,
                    line,
                    f"id '{missing}' of module '{module_id}' is missing in the '{other}' version",
                )
            )
    return problems


@cache
def get_library() -> Library:
    """The content library, loaded on first use and kept for the life of the process."""
    return load_library(
        Path(settings.BAKEN_CONTENT_DIR),
        [code for code, _ in settings.LANGUAGES],
        settings.LANGUAGE_CODE,
    )
