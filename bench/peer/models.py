"""The peer's one table: encrypted answers, by journal and slot."""

from django.db import models


class Entry(models.Model):
    journal = models.BigIntegerField()
    slot = models.CharField(max_length=32)
    sealed = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journal", "slot"], name="peer_one_entry_per_slot")
        ]

    def __str__(self) -> str:
        return f"entry {self.pk}"
