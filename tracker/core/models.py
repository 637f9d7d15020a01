from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from tracker.core.editorial import State


class Transition(models.Model):
    """One step of an entry's editorial life: who did what, from which state, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    action = models.CharField(
        max_length=100, help_text="A dotted code, e.g. policies.commitment.published"
    )
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(help_text="The entry's version after this step")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # An entry's change page lists its own transitions, newest first.
            models.Index(fields=["content_type", "object_id", "-at"], name="transition_entry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.by} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def verb(self) -> str:
        return self.action.rsplit(".", 1)[-1].replace("_", " ")


class DataVersion(models.Model):
    """The public dataset's version: one row, raised in the same transaction as every change
    the public can see (tracker.core.freshness). Every public cache key, ETag and Last-Modified
    derives from it, and nothing else moves it: a draft save leaves it as it was."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            # One row: the version is a single counter, read by its primary key.
            models.CheckConstraint(condition=models.Q(id=1), name="data_version_single_row")
        ]

    def __str__(self) -> str:
        return f"data version {self.number}"


class PublicChange(models.Model):
    """One entry that became public, changed in public, or stopped being public, at a data
    version: what `/api/v1/changes/` reports, so that mirrors stay in step with the site."""

    class Change(models.TextChoices):
        PUBLISHED = "published", "Published"
        UPDATED = "updated", "Updated"
        WITHDRAWN = "withdrawn", "Withdrawn"

    version = models.PositiveBigIntegerField()
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    change = models.CharField(max_length=20, choices=Change.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [
            # The changes feed reads every change since a moment, in order.
            models.Index(fields=["at", "id"], name="public_change_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} {self.change} at {self.at}"
