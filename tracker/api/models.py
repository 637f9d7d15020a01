from django.db import models

from policies.models import Commitment


class StoredCommitment(models.Model):
    """A public commitment as the API shows it, stored: its representation as JSON text for
    the API's list and detail, and its line of the CSV export as the texts of its cells
    (`exports.cell_texts`: before defusing, None for an empty cell). Both leave out `url`,
    which depends on the address asked. `tracker.api.stored` writes them in the same
    transaction as every save that changes them, so that a read only reads them, and the
    database writes the CSV export itself.

    One row per public commitment, none for any other. Like a stored standing, a row holds
    from `since` until the day before `until` (None: for good): its progress may read
    differently on and after that day.
    """

    commitment = models.OneToOneField(
        Commitment, primary_key=True, on_delete=models.CASCADE, related_name="stored"
    )
    representation = models.TextField()  # JSON, its keys in the representation's order
    cells = models.JSONField()
    since = models.DateField()
    until = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["until"], name="stored_until_idx"),
            models.Index(fields=["since"], name="stored_since_idx"),
        ]

    def __str__(self) -> str:
        return f"Commitment {self.commitment_id} as stored for the public"
