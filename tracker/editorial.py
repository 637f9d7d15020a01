"""What every curated entry carries for the editorial workflow, and the one door to public data."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from simple_history.models import HistoricalRecords

from tracker import freshness


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class CuratedQuerySet(models.QuerySet):
    def published(self):
        """The only door through which public pages, the API, feeds and exports read entries."""
        return self.filter(state=State.PUBLISHED)

    def originals(self):
        """Entries themselves, without the pending edits of published ones."""
        return self.filter(draft_of__isnull=True)


class Curated(models.Model):
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: a save that starts from an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    # An edit of a published entry is a separate draft row pointing at it, so the published
    # row stays as it was on the public site until an editor approves the edit.
    draft_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_edits",
        editable=False,
    )
    review_note = models.TextField(
        blank=True, help_text="The reviewer's request for changes, to the author"
    )
    withdrawn_reason = models.TextField(blank=True, help_text="Why an editor unpublished it")
    citations = GenericRelation("sources.Citation")
    history = HistoricalRecords(inherit=True)

    objects = CuratedQuerySet.as_manager()

    class Meta:
        abstract = True
        indexes = [
            # Every public query filters on state; updated_at serves incremental sync.
            models.Index(fields=["state", "updated_at"], name="%(class)s_state_idx"),
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        freshness.forget()  # the public pages' ETags change with any entry

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        freshness.forget()
        return result

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def changes_requested(self) -> bool:
        return self.state == State.DRAFT and bool(self.review_note)


def unique_key(field: str, model_name: str):
    """The natural key is unique among entries; a pending edit shares its original's key."""
    return models.UniqueConstraint(
        fields=[field],
        condition=models.Q(draft_of__isnull=True),
        name=f"{model_name}_{field}_unique",
        violation_error_message=f"Another {model_name} already has this {field}.",
    )


def review_permission(model_name: str) -> tuple[str, str]:
    return (f"review_{model_name}", f"Can review, publish, unpublish and revert {model_name}")
