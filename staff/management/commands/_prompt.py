"""Asking for a secret at the terminal (hidden), or reading it from standard input in scripts."""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import CommandError


def secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise CommandError(f"Standard input ended before: {prompt.strip()}")
    return line.rstrip("\n")
