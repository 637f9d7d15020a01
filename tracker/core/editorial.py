"""What every curated entry carries for the editorial workflow, and the one door to public data."""

from collections.abc import Collection, Iterable
from graphlib import TopologicalSorter
from typing import TYPE_CHECKING, Any, NamedTuple, Self

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.dispatch import Signal
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    # The stubs' name for a reverse relation's manager, which Django builds in a function.
    from django.db.models.fields.related_descriptors import RelatedManager


# Sent after a save of an entry that is or was public, once its visibility and that of the
# entries depending on it are in step (argument `entry`), in the save's transaction: the apps'
# read models keep themselves in step with it.
public_entry_saved = Signal()


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class Composite(NamedTuple):
    """Columns that read as one value: an amount with its high end, currency and qualifier.
    What changed between versions shows it once, under `label`, as the entry's `attribute`
    reads it ("about RUB 1.6 trillion"), never column by column."""

    label: str
    columns: tuple[str, ...]
    attribute: str


class CuratedQuerySet[C: "Curated"](models.QuerySet[C]):
    def public(self) -> Self:
        """The only door through which public pages, the API, feeds, search, exports and dumps
        read entries: those whose stored `is_public` says the public sees them, which the write
        path keeps in step with the rule (`visible_rule`)."""
        return self.filter(is_public=True)

    def published(self) -> Self:
        """Entries whose own state is published, whatever their parents: the workflow's test.
        Public surfaces read `public()`."""
        return self.filter(state=State.PUBLISHED)

    def originals(self) -> Self:
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
    # Its column; the type checker's Django plugin names `_id` columns of concrete models only.
    draft_of_id: int | None
    # The other side of draft_of, which the plugin adds to concrete models only.
    pending_edits: "RelatedManager[Self]"
    review_note = models.TextField(
        blank=True, help_text="The reviewer's request for changes, to the author"
    )
    withdrawn_reason = models.TextField(blank=True, help_text="Why an editor unpublished it")
    # The passages that back the entry; the model is the project's (settings.CITATION_MODEL),
    # as the user model is AUTH_USER_MODEL, so that the core names no app.
    citations = GenericRelation(settings.CITATION_MODEL)
    # Whether the public sees the entry, derived by `visible_rule` and stored so that every
    # public query filters on one indexed column instead of its parents' states, level by
    # level. Never typed and never saved from an instance (a copy may be stale): only
    # `refresh_visibility` (after each save) and `rebuild_visibility` (the command) write it.
    is_public = models.BooleanField(default=False, db_default=False, editable=False)
    history = HistoricalRecords(inherit=True, excluded_fields=["is_public"])

    objects = CuratedQuerySet.as_manager()

    # The relations whose target must be public for this entry to be public (a commitment's
    # policy, a policy's jurisdiction). Other relations are optional links: a page shows them
    # only when their target is public, and hiding the target hides nothing else.
    public_parents: tuple[str, ...] = ()
    # Claims need a citation to be published; reference data (a source, a country) does not.
    needs_citation: bool = True
    # Fields staff read and the public never does (a source's document and its text, which
    # its rights may not allow republishing): no page, feed, export or dump carries them, no
    # passage states a value for them, and they keep characters XML cannot carry (a text's form
    # feeds between pages).
    unpublished_fields: tuple[str, ...] = ()
    # Columns shown as one value in what changed between versions (a fuzzy date's are, without
    # being named here: its FuzzyDateProperty says which they are).
    composites: tuple[Composite, ...] = ()

    class Meta:
        abstract = True
        indexes = [
            # Every public query filters on state; updated_at serves incremental sync.
            models.Index(fields=["state", "updated_at"], name="%(class)s_state_idx"),
            models.Index(fields=["is_public"], name="%(class)s_public_idx"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then bring the entry's visibility, and that of the entries depending on it, in
        step with the rule. `is_public` itself is left out of the row written."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "is_public" and f.attname not in deferred
            ]
        super().save(*args, **kwargs)
        # A draft that was never public changes nobody's visibility.
        if self.state == State.PUBLISHED or self.is_public:
            self.is_public = self.pk in refresh_visibility(type(self), [self.pk])
            public_entry_saved.send(sender=type(self), entry=self)

    def withdrawal_problems(self) -> list[str]:
        """What stops an editor from unpublishing this entry (see Source's)."""
        return []

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def changes_requested(self) -> bool:
        return self.state == State.DRAFT and bool(self.review_note)


def visible_rule(model: type[models.Model], parents: Iterable[str]) -> models.Q:
    """The one rule of visibility: published, and every parent the entry depends on (its
    model's `public_parents`) public too. A published commitment of a draft policy is not
    public; an optional parent left empty hides nothing. The parents' own visibility is read
    from their stored column, so the rule holds at every level once parents are in step."""
    rule = models.Q(state=State.PUBLISHED)
    for name in parents:
        shown = models.Q(**{f"{name}__is_public": True})
        if model._meta.get_field(name).null:
            shown |= models.Q(**{f"{name}__isnull": True})
        rule &= shown
    return rule


def refresh_visibility(model: type[Curated], pks: Collection[int]) -> set[int]:
    """Store `visible_rule` for the entries `pks` of `model`, and for the entries whose
    visibility depends on those that changed, level by level; in the caller's transaction.
    Returns those of `pks` that are public now."""
    if not pks:
        return set()
    rule = models.Case(
        models.When(visible_rule(model, model.public_parents), then=True), default=False
    )
    rows = model._default_manager.filter(pk__in=pks).annotate(should=rule)
    found = list(rows.values_list("pk", "is_public", "should"))
    changed: list[int] = []
    for value in (True, False):
        ids = [pk for pk, stored, should in found if should is value and stored is not value]
        if ids:
            model._default_manager.filter(pk__in=ids).update(is_public=value)
            changed += ids
    if changed:
        for child, name in public_children(model):
            below = child._default_manager.filter(**{f"{name}__in": changed})
            refresh_visibility(child, list(below.values_list("pk", flat=True)))
    return {pk for pk, _, should in found if should}


Kind = tuple[type[models.Model], Iterable[str]]  # a model and the names of its public parents


def rebuild_visibility(kinds: Iterable[Kind] | None = None) -> int:
    """Store `visible_rule` for every entry of `kinds` (by default every curated model), from
    scratch, parents before children: what the write path keeps in step one change at a time.
    Returns how many entries it changed: 0 when the write path kept every one in step.
    A migration passes its historical models, with the names of their public parents."""
    found = list(kinds) if kinds is not None else [(m, m.public_parents) for m in curated_models()]
    parents = {model: tuple(names) for model, names in found}
    graph = {
        model: {model._meta.get_field(name).related_model for name in names}
        for model, names in parents.items()
    }
    changed = 0
    for model in TopologicalSorter(graph).static_order():
        if not isinstance(model, type) or model not in parents:
            continue  # a parent outside `kinds`
        rule = visible_rule(model, parents[model])
        rows = model._default_manager
        changed += rows.filter(rule, is_public=False).update(is_public=True)
        changed += rows.exclude(rule).filter(is_public=True).update(is_public=False)
    return changed


def curated_models() -> list[type[Curated]]:
    return [m for m in apps.get_models() if issubclass(m, Curated)]


def public_children(model: type[Curated]) -> list[tuple[type[Curated], str]]:
    """(child model, relation) for every kind whose entries are public only while an entry of
    `model` is: the other side of `public_parents`."""
    return [
        (child, name)
        for child in curated_models()
        for name in child.public_parents
        if child._meta.get_field(name).related_model is model
    ]


def public_family(entry: Curated) -> set[tuple[type[Curated], int]]:
    """The entry and every entry whose visibility depends on it, among those public now.

    Compared before and after a change, it says what the change published or withdrew: a
    policy's withdrawal withdraws its commitments and their assessments with it.
    """
    model = type(entry)
    found = {
        (model, pk)
        for pk in model.objects.public().filter(pk=entry.pk).values_list("pk", flat=True)
    }
    frontier = [(model, model.objects.public().filter(pk=entry.pk))]
    while frontier:
        parent_model, parents = frontier.pop()
        for child, name in public_children(parent_model):
            children = child.objects.public().filter(**{f"{name}__in": parents.values("pk")})
            ids = list(children.values_list("pk", flat=True))
            if ids:
                found.update((child, pk) for pk in ids)
                frontier.append((child, children))
    return found


class NaturalKey(models.UniqueConstraint):
    """A natural key, unique among entries; a pending edit shares its original's key.

    The database enforces it on entries (the condition: `draft_of` is NULL). Validation
    (`full_clean()`, so every form, the import and the loader) checks every row, pending edits
    included, against the other entries: Django's own check skips a conditional constraint
    whenever a field of its condition is not in the form, and `draft_of` never is, so a taken
    key reached the database as an IntegrityError. It compares equal to the UniqueConstraint
    the migrations hold, so it needs no migration.
    """

    def validate(
        self,
        model: type[models.Model],
        instance: models.Model,
        exclude: Collection[str] | None = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        (field,) = self.fields
        if exclude and field in exclude:
            return  # the field has its own error already, or is not being written
        others = model._default_manager.using(using).filter(
            draft_of__isnull=True, **{field: getattr(instance, field)}
        )
        if not instance._state.adding:
            others = others.exclude(pk=instance.pk)
        # Only curated entries have pending edits (and carry this constraint).
        if isinstance(instance, Curated) and instance.draft_of_id is not None:
            others = others.exclude(pk=instance.draft_of_id)
        if others.exists():
            # Code "unique" on a one-field constraint: Django files the error under the field.
            raise ValidationError(self.get_violation_error_message(), code="unique")


def unique_key(field: str, model_name: str) -> NaturalKey:
    """The natural key is unique among entries; a pending edit shares its original's key."""
    return NaturalKey(
        fields=[field],
        condition=models.Q(draft_of__isnull=True),
        name=f"{model_name}_{field}_unique",
        violation_error_message=f"Another {model_name} already has this {field}.",
    )


def review_permission(model_name: str) -> tuple[str, str]:
    return (f"review_{model_name}", f"Can review, publish, unpublish and revert {model_name}")
