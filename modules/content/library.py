"""All modules in all languages, loaded once and checked against each other."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from django.conf import settings
from pydantic import Field

from core.content import ContentError, Problem, missing_across_languages, read_yaml, validate
from core.content.types import Id, Part

from .loader import load_module
from .schema import Module

LIST_FILE = "modules.yaml"


class Listed(Part):
    """One module in content/modules.yaml."""

    id: Id
    status: Literal["draft", "published"]


class ModuleList(Part):
    """content/modules.yaml: every module, in the order visitors see them, with its status."""

    modules: tuple[Listed, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Library:
    """Every module, by language and id, and the order editors set."""

    modules: dict[str, dict[str, Module]]
    default_language: str
    order: tuple[str, ...] = ()

    def module(self, module_id: str, language: str, drafts: bool = True) -> Module | None:
        """A module in the visitor's language, or in the default language when not translated;
        None for a draft unless `drafts`."""
        for lang in (language, self.default_language):
            found = self.modules.get(lang, {}).get(module_id)
            if found is not None:
                return found if drafts or not found.draft else None
        return None

    def all(self, language: str, drafts: bool = True) -> list[Module]:
        """The modules to list for a visitor, in the editors' order, in their language where
        translated; drafts only when `drafts`."""
        found = (self.module(i, language, drafts) for i in self.order)
        return [m for m in found if m is not None]

    def next_after(self, module: Module, drafts: bool) -> Module | None:
        """The module listed after this one, if any (what its end suggests)."""
        listed = self.all(module.language, drafts)
        ids = [m.id for m in listed]
        if module.id not in ids or ids.index(module.id) + 1 == len(ids):
            return None
        return listed[ids.index(module.id) + 1]


def read_module_list(root: Path, display_root: Path) -> tuple[dict[str, str], list[Problem]]:
    """content/modules.yaml: each module's status, in order; problems if it cannot be read."""
    path = root / LIST_FILE
    display = str(path.relative_to(display_root))
    if not path.is_file():
        return {}, [
            Problem(
                display,
                1,
                "this file is missing: it lists the modules, in order, each "
                "with its status (draft or published)",
            )
        ]
    try:
        listed = validate(ModuleList, read_yaml(path, display), display)
    except ContentError as error:
        return {}, error.problems
    statuses: dict[str, str] = {}
    problems = []
    for item in listed.modules:
        if item.id in statuses:
            problems.append(Problem(display, 1, f"module '{item.id}' is listed twice"))
        statuses[item.id] = item.status
    return statuses, problems


def load_library(root: Path, languages: list[str], default_language: str) -> Library:
    """Load every module under root/<language>/; raise ContentError listing every problem."""
    display_root = root.parent
    problems: list[Problem] = []
    modules: dict[str, dict[str, Module]] = {}
    where: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}
    if not root.is_dir():
        raise ContentError([Problem(str(root), 1, "the content folder does not exist")])
    statuses, problems = read_module_list(root, display_root)
    found: dict[str, str] = {}
    links: list[tuple[str, str, str, int]] = []  # from module, to module, file, line
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
                module, ids, module_links = load_module(folder, lang_dir.name, display_root)
            except ContentError as error:
                problems.extend(error.problems)
                continue
            found.setdefault(module.id, str(folder.relative_to(display_root)))
            links.extend((module.id, *link) for link in module_links)
            if module.id in statuses:
                module = module.model_copy(update={"status": statuses[module.id]})
            modules.setdefault(lang_dir.name, {})[module.id] = module
            where[(lang_dir.name, module.id)] = ids
    problems.extend(_compare_languages(where))
    if statuses:
        display = str((root / LIST_FILE).relative_to(display_root))
        for module_id, folder_name in sorted(found.items()):
            if module_id not in statuses:
                problems.append(
                    Problem(folder_name, 1, f"module '{module_id}' is not listed in {display}")
                )
        for source, target, path, line in links:
            if target not in statuses:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"the link to /m/{target}/ leads nowhere: there is no module '{target}'",
                    )
                )
            elif statuses.get(source) == "published" and statuses[target] == "draft":
                problems.append(
                    Problem(
                        path,
                        line,
                        f"a published module links to /m/{target}/, "
                        "a draft: on the public site that link gives 404",
                    )
                )
        for module_id in statuses:
            if module_id not in found:
                problems.append(
                    Problem(display, 1, f"module '{module_id}' has no folder in any language")
                )
    if problems:
        raise ContentError(problems)
    return Library(modules=modules, default_language=default_language, order=tuple(statuses))


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
