"""A system check: the smallest count shown may be raised, never lowered below 10."""

from django.conf import settings
from django.core import checks

LOWEST_ALLOWED = 10


@checks.register("evaluation")
def check_min_count(app_configs, **kwargs):
    value = getattr(settings, "BAKEN_EVALUATION_MIN_COUNT", LOWEST_ALLOWED)
    if not isinstance(value, int) or value < LOWEST_ALLOWED:
        return [
            checks.Error(
                f"BAKEN_EVALUATION_MIN_COUNT is {value!r}: it may be raised, never set below "
                f"{LOWEST_ALLOWED}.",
                id="baken.E101",
            )
        ]
    return []
