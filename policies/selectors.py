"""What the public site reads: public entries, and only their public neighbours.

Visibility is decided in one place, `CuratedQuerySet.public()` (tracker/core/editorial.py): an entry
is public when it is published and every parent it depends on is public, so a published
commitment of a draft policy is not public, and no page links to a 404. The selectors here add
what pages and the API show beside an entry; optional links (an event's jurisdiction, a
commitment's actor) are loaded through the same door, so a link to an entry that is not public
reads as empty and no template or serializer decides visibility.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Exists,
    F,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower

from policies.models import (
    Actor,
    Assessment,
    Commitment,
    Estimate,
    Event,
    Funding,
    Jurisdiction,
    Policy,
    PolicyActor,
)
from policies.progress import NO_VERDICT, Status, Verdict
from sources.models import Citation, Source
from tracker.core.dates import optional_period, period
from tracker.core.editorial import Curated, CuratedQuerySet
from tracker.core.models import Correction, CorrectionQuerySet


def _links(model: type[Curated]) -> list[tuple[str, type[Curated]]]:
    """(relation, the entry kind it points at) for each of `model`'s optional links."""
    return [
        (field.name, target)
        for field in model._meta.concrete_fields
        if field.many_to_one
        and field.editable
        and field.name not in model.public_parents
        and isinstance(target := field.related_model, type)
        and issubclass(target, Curated)
    ]


def optional_links(model: type[Curated]) -> list[str]:
    """The relations of `model` to other entries that are not parents: links a page may show."""
    return [name for name, _ in _links(model)]


def with_links[C: Curated](queryset: CuratedQuerySet[C]) -> CuratedQuerySet[C]:
    """`queryset` with its optional links loaded through the public door: a link to an entry
    that is not public reads as None, on a page and in the API alike."""
    return queryset.prefetch_related(
        *(
            Prefetch(name, queryset=target.objects.public())
            for name, target in _links(queryset.model)
        )
    )


def jurisdictions() -> CuratedQuerySet[Jurisdiction]:
    return Jurisdiction.objects.public()


def policies() -> CuratedQuerySet[Policy]:
    return with_links(Policy.objects.public())


def actors() -> CuratedQuerySet[Actor]:
    return with_links(Actor.objects.public())


def assessments() -> CuratedQuerySet[Assessment]:
    return Assessment.objects.public()


def commitments_bare() -> CuratedQuerySet[Commitment]:
    """Public commitments, without prefetches (for subqueries and counts)."""
    return Commitment.objects.public()


def commitments() -> CuratedQuerySet[Commitment]:
    """Public commitments with their policy and jurisdiction.

    Their progress is not here: pass `published_verdicts` (or the verdicts of
    `published_assessments`) to `Commitment.progress` or `standings.with_progress`.
    """
    return with_links(commitments_bare().select_related("policy__jurisdiction"))


# An assessment's commitment and the columns of its verdict, for `verdict_of`.
VERDICT_COLUMNS = (
    "commitment_id",
    "id",
    "as_of_start",
    "as_of_end",
    "status",
    "delivered_start",
    "delivered_end",
)


def verdict_of(
    pk: int,
    as_of_start: date,
    as_of_end: date,
    status: str,
    delivered_start: date | None,
    delivered_end: date | None,
) -> Verdict:
    """`Assessment.verdict` from the assessment's columns (VERDICT_COLUMNS after the first)."""
    return Verdict(
        period(as_of_start, as_of_end),
        Status(status) if status != NO_VERDICT else None,
        optional_period(delivered_start, delivered_end),
        id=pk,
    )


def published_verdicts(commitment_ids: Iterable[int]) -> dict[int, list[Verdict]]:
    """The published verdicts of each commitment, by id (every id asked for is a key), read as
    plain values in one query for a page or chunk.

    These are what progress is derived from, for every reader: a draft assessment, even one
    an editor can see, is nobody's verdict yet.
    """
    ids = list(commitment_ids)
    by_commitment: dict[int, list[Verdict]] = {pk: [] for pk in ids}
    rows = Assessment.objects.published().filter(commitment__in=ids).values_list(*VERDICT_COLUMNS)
    for commitment_id, *columns in rows:
        by_commitment[commitment_id].append(verdict_of(*columns))
    return by_commitment


def published_assessments(commitment_ids: Iterable[int]) -> dict[int, list[Assessment]]:
    """The published assessments of each commitment, by id (every id asked for is a key), with
    their commitment, oldest first: for the pages that list them beside the status they decide
    (`[a.verdict for a in ...]`), in one query."""
    ids = list(commitment_ids)
    by_commitment: dict[int, list[Assessment]] = {pk: [] for pk in ids}
    found = Assessment.objects.published().filter(commitment__in=ids).select_related("commitment")
    for assessment in found:
        by_commitment[assessment.commitment_id].append(assessment)
    return by_commitment


def events() -> CuratedQuerySet[Event]:
    return with_links(Event.objects.public())


def funding() -> CuratedQuerySet[Funding]:
    return with_links(Funding.objects.public().select_related("policy"))


def estimates() -> CuratedQuerySet[Estimate]:
    return with_links(Estimate.objects.public())


def estimates_by_measure() -> CuratedQuerySet[Estimate]:
    """Public estimates in the order `measures.by_measure` groups them: by measure and unit
    (counts before money), then by jurisdiction and period, so that rival claims stand
    together and a page splits no group it does not have to."""
    return estimates().order_by(
        "measure",
        Lower("unit"),
        Case(When(currency="", then=Value(0)), default=Value(1)),
        F("jurisdiction__code").asc(nulls_last=True),
        F("period_start").asc(nulls_last=True),
        "id",
    )


def sources() -> CuratedQuerySet[Source]:
    """Published sources, without what is never published (their document and its text, up
    to megabytes a row): a page that shows a source's text asks for it."""
    return Source.objects.public().defer(*Source.unpublished_fields)


# The same left out of the source that select_related joins to each citation.
_SOURCE_UNPUBLISHED = tuple(f"source__{name}" for name in Source.unpublished_fields)


def policy_roles() -> QuerySet[PolicyActor]:
    return PolicyActor.objects.filter(actor__in=Actor.objects.public()).select_related("actor")


def event_relations() -> list[Prefetch]:
    """The prefetches that give an event only its public policies, commitments and actors."""
    return [
        Prefetch("policies", queryset=Policy.objects.public().select_related("jurisdiction")),
        Prefetch("commitments", queryset=commitments_bare()),
        Prefetch("actors", queryset=Actor.objects.public()),
    ]


# The models whose entries carry citations, by the content type's model name.
CITED_MODELS: dict[str, type[Curated]] = {
    "jurisdiction": Jurisdiction,
    "actor": Actor,
    "policy": Policy,
    "commitment": Commitment,
    "assessment": Assessment,
    "funding": Funding,
    "event": Event,
    "estimate": Estimate,
    "source": Source,
}


def entries(kind: str) -> CuratedQuerySet[Curated]:
    """The public entries of one kind (by model name), for addresses that take any kind
    (permalinks, "cite this", the citations of a source)."""
    return CITED_MODELS[kind].objects.public()


def _content_type_id(label: str) -> Subquery:
    # Matching the content type by its natural key avoids a ContentType lookup per model. It is
    # a scalar subquery, not a join, so that PostgreSQL can use citation_record_idx on
    # (content_type_id, object_id) for each kind: with a join it scanned every citation of
    # the kind (230 ms instead of 8 ms for a 500-commitment policy).
    return Subquery(
        ContentType.objects.filter(
            app_label=CITED_MODELS[label]._meta.app_label, model=label
        ).values("pk")[:1]
    )


def _cited_by_model(label: str, ids: Iterable[int]) -> Q:
    return Q(content_type_id=_content_type_id(label), object_id__in=ids)


def corrections(entry: Curated) -> CorrectionQuerySet:
    """The readers' corrections of `entry` whose edit an editor published: what its page says
    ("Corrected on")."""
    return Correction.objects.about(entry).published()


def citations() -> QuerySet[Citation]:
    """Citations whose source is published and whose cited entry is public.

    Each cited kind is checked with `EXISTS` on the one entry a citation names: a search or a
    page of citations looks at a few entries, where `IN (every public entry)` made PostgreSQL
    hash 100,000 commitments, or scan 300,000 assessment ids, for each query.
    """
    records = Q()
    for label in CITED_MODELS:
        records |= Q(content_type_id=_content_type_id(label)) & Q(
            Exists(entries(label).filter(pk=OuterRef("object_id")))
        )
    return (
        Citation.objects.filter(source__in=sources())
        .filter(records)
        .select_related("source", "content_type")
        .defer(*_SOURCE_UNPUBLISHED)
    )


def _model_name(entry: Model) -> str:
    """The name content types give the entry's model: "commitment"."""
    return entry._meta.label_lower.partition(".")[2]


def attach_citations(entries: Iterable[Curated | None]) -> None:
    """Set `public_citations` on each entry, in one query for all of them."""
    given = [e for e in entries if e is not None]
    by_model: defaultdict[str, set[int]] = defaultdict(set)
    for entry in given:
        # An attribute the templates read, not one the model declares (issue 16 names this
        # protocol through instance attributes as one to remove).
        entry.public_citations = []  # type: ignore[attr-defined]
        by_model[_model_name(entry)].add(entry.pk)
    if not given:
        return
    which = Q()
    for label, ids in by_model.items():
        which |= _cited_by_model(label, ids)
    found: defaultdict[tuple[str, int], list[Citation]] = defaultdict(list)
    for citation in (
        Citation.objects.filter(source__in=sources())
        .filter(which)
        .select_related("source", "content_type")
        .defer(*_SOURCE_UNPUBLISHED)
    ):
        found[(citation.content_type.model, citation.object_id)].append(citation)
    for entry in given:
        entry.public_citations = found[(_model_name(entry), entry.pk)]  # type: ignore[attr-defined]
