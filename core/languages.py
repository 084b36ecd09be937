"""The one list of languages Baken is offered in, read from content/languages.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured

CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


def read_languages(path: Path) -> list[tuple[str, str]]:
    """[(code, name in its own language), …], the default language first."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        message = f"{path}: cannot read the list of languages ({error})."
        raise ImproperlyConfigured(message) from error
    except yaml.YAMLError as error:
        raise ImproperlyConfigured(f"{path}: not valid YAML ({error}).") from error
    if not isinstance(entries, list) or not entries:
        raise ImproperlyConfigured(
            f"{path}: list at least one language, as '- code: nl' "
            "with 'name: Nederlands' beneath it."
        )
    languages: list[tuple[str, str]] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or set(entry) != {"code", "name"}:
            raise ImproperlyConfigured(
                f"{path}: language {number} needs exactly 'code' and 'name'."
            )
        code, name = str(entry["code"]), str(entry["name"]).strip()
        if not CODE.match(code):
            raise ImproperlyConfigured(
                f"{path}: language {number} has code '{code}'; use a "
                "lower-case language code such as 'nl', 'en' or 'pt-br'."
            )
        if not name:
            raise ImproperlyConfigured(f"{path}: language '{code}' needs a name.")
        if code in dict(languages):
            raise ImproperlyConfigured(f"{path}: language '{code}' is listed twice.")
        languages.append((code, name))
    return languages
