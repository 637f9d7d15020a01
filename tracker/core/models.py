from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from tracker.core.editorial import State
from tracker.core.roles import CONTRIBUTOR, EDITOR
from tracker.core.text import require_publishable_text


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


def kind_of(entry: models.Model) -> models.Subquery:
    """The content type of `entry`'s model, matched by its natural key in the query itself: the
    same query whether or not this process has looked the content type up before (so that a
    page costs the same every time), and a scalar subquery rather than a join, so that the
    index on (content type, id) serves it."""
    opts = entry._meta
    return models.Subquery(
        ContentType.objects.filter(app_label=opts.app_label, model=opts.model_name).values("pk")[:1]
    )


class CorrectionQuerySet(models.QuerySet["Correction"]):
    def about(self, entry: models.Model) -> "CorrectionQuerySet":
        """The corrections readers sent about `entry`."""
        return self.filter(content_type_id=kind_of(entry), object_id=entry.pk)

    def leading_to(self, entry: models.Model) -> "CorrectionQuerySet":
        """The corrections whose edit is `entry` (a pending edit, or a new entry started from
        one), or whose edit `entry` now carries."""
        return self.filter(edit_type_id=kind_of(entry), edit_id=entry.pk)

    def published(self) -> "CorrectionQuerySet":
        """Those whose edit an editor published: what an entry's public page reports."""
        return self.filter(published_at__isnull=False)

    def unpublished(self) -> "CorrectionQuerySet":
        return self.filter(published_at__isnull=True)


@require_publishable_text
class Correction(models.Model):
    """What a reader says is wrong or new about a public entry, with the evidence they offer.

    Nothing public changes because of it: a curator starts an edit of the entry (or a new entry
    about it) from it, which goes through review as any change does, and the correction then
    points at that edit (`edit_type`, `edit_id`) until an editor publishes it (`published_at`).
    The reporter's address (`email`) is for editors only: no page, feed, export, dump or API
    carries this model."""

    class State(models.TextChoices):
        NEW = "new", "New"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        DUPLICATE = "duplicate", "Duplicate"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    message = models.TextField("what is wrong or new", max_length=5000)
    source_url = models.URLField("source address", max_length=1000, blank=True)
    document = models.FileField(upload_to="corrections/%Y/%m/", max_length=300, blank=True)
    quote = models.TextField(max_length=2000, blank=True)
    page = models.CharField(max_length=40, blank=True)
    email = models.EmailField(
        "reporter's email", blank=True, help_text="For a reply; editors only, never published"
    )
    submitted_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was declined, or what it repeats")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # The draft started from it: a pending edit of the entry, or a new entry about it (an
    # assessment of a commitment). Once published, the entry that carries it.
    edit_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edit_id = models.PositiveBigIntegerField(null=True, blank=True)
    edit = GenericForeignKey("edit_type", "edit_id")
    public_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="One line the entry's page shows beside “Corrected on …” once the edit is "
        "published",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(blank=True)

    objects = CorrectionQuerySet.as_manager()

    # Every curator reads the queue and starts edits from it; editors also decline, mark
    # duplicates, read the reporter's email and reply, and delete spam (tracker.core.roles).
    role_permissions: ClassVar[dict[str, tuple[str, ...]]] = {
        CONTRIBUTOR: ("view_correction", "change_correction"),
        EDITOR: ("review_correction", "delete_correction"),
    }

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The queue lists by state, newest first; an entry's page reads its own.
            models.Index(fields=["state", "-submitted_at"], name="correction_queue_idx"),
            models.Index(fields=["content_type", "object_id"], name="correction_entry_idx"),
            models.Index(fields=["edit_type", "edit_id"], name="correction_edit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="declined", reason=""),
                name="correction_declined_with_reason",
            ),
        ]
        permissions = [
            (
                "review_correction",
                "Can decline corrections, mark them duplicate, read reporters' emails and reply",
            )
        ]

    def __str__(self) -> str:
        return f"Correction #{self.pk}"
