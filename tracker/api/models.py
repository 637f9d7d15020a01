from django.db import models

from policies.models import Commitment


class ExportRow(models.Model):
    """A public commitment's line of the CSV export, stored: the texts of its cells as
    `exports.cell_texts` gives them (before defusing, None for an empty cell), every column but
    `url`, which depends on the address asked. `tracker.api.stored` writes it in the same
    transaction as every save that changes it, so that the database writes the export itself.

    One row per public commitment, none for any other. Like a stored standing, a row holds
    from `since` until the day before `until` (None: for good): its progress may read
    differently on and after that day.
    """

    commitment = models.OneToOneField(
        Commitment, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    cells = models.JSONField()
    since = models.DateField()
    until = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["until"], name="exportrow_until_idx"),
            models.Index(fields=["since"], name="exportrow_since_idx"),
        ]

    def __str__(self) -> str:
        return f"Export row of commitment {self.commitment_id}"
