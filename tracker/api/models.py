from typing import ClassVar

from django.conf import settings
from django.db import models

from policies.models import Commitment
from tracker.core.roles import EDITOR


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


class BackgroundJob(models.Model):
    """One run of background work (tracker/api/tasks.py), as the admin's "Background work"
    shows it: what it is, who asked for it (nobody: a publication did), how far it got and
    how it ended. The task queue's own row (django-tasks-db's) holds the traceback."""

    class Kind(models.TextChoices):
        PUBLIC_FILES = "public_files", "Data package and exports"
        VERIFY_QUOTES = "verify_quotes", "Re-verify quotes"
        REBUILD_READ_MODEL = "rebuild_read_model", "Rebuild the read model"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The data version a build of the public files is for.
    version = models.PositiveIntegerField(null=True, blank=True)
    enqueued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    # Editors start background work and follow it in the admin (tracker.core.roles).
    role_permissions: ClassVar[dict[str, tuple[str, ...]]] = {
        EDITOR: ("view_backgroundjob", "run_backgroundjob")
    }

    class Meta:
        verbose_name = "background job"
        verbose_name_plural = "background work"
        ordering = ["-enqueued_at", "-pk"]
        permissions = [("run_backgroundjob", "Can start background work")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    @property
    def progress(self) -> str:
        """ "12 of 40", or the count alone while the total is not known."""
        if self.total is None:
            return f"{self.done:,}" if self.done else ""
        return f"{self.done:,} of {self.total:,}"
