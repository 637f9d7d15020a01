"""What every curated entry carries for the editorial workflow, and the one door to public data."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class CuratedQuerySet(models.QuerySet):
    def published(self):
        """The only door through which public pages, the API, feeds and exports read entries."""
        return self.filter(state=State.PUBLISHED)


class Curated(models.Model):
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: a save that starts from an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    citations = GenericRelation("sources.Citation")

    objects = CuratedQuerySet.as_manager()

    class Meta:
        abstract = True
        indexes = [
            # Every public query filters on state; updated_at serves incremental sync.
            models.Index(fields=["state", "updated_at"], name="%(class)s_state_idx"),
        ]

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED
