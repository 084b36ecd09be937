"""The production secrets, checked before Baken starts: each present, long and random, and
each different from the others. A weak or shared pepper would undo the journal's key
separation; a known one would let anyone with the database try phrases."""

from __future__ import annotations

# 32 random bytes, written as URL-safe base64 (secrets.token_urlsafe(32)), are 43 characters.
MIN_LENGTH = 43
# A random value of that length uses many different characters; "aaaa…" or "changeme…" not.
MIN_DISTINCT = 16
EXAMPLES = ("change", "example", "secret", "password", "test", "baken", "pepper", "xxxx")


def problems(values: dict[str, str]) -> list[str]:
    """What is wrong with the named secrets, one sentence each; [] when all are fine."""
    found = []
    for name, value in values.items():
        if len(value) < MIN_LENGTH:
            found.append(
                f"{name} is {len(value)} characters long; use at least {MIN_LENGTH} "
                'random ones (python3 -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        elif len(set(value)) < MIN_DISTINCT or any(word in value.lower() for word in EXAMPLES):
            found.append(
                f"{name} does not look random (too few different characters, or a "
                "word such as 'example' or 'secret'); generate one with secrets."
            )
    seen: dict[str, str] = {}
    for name, value in values.items():
        if value in seen:
            found.append(f"{name} is the same as {seen[value]}; each secret must be its own.")
        seen.setdefault(value, name)
    return found
