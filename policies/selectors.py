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

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery

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
from policies.progress import Status, Verdict
from sources.models import Citation, Source
from tracker.core.dates import optional_period, period
from tracker.core.editorial import Curated


def optional_links(model) -> list[str]:
    """The relations of `model` to other entries that are not parents: links a page may show."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.many_to_one
        and field.editable
        and field.name not in model.public_parents
        and issubclass(field.related_model, Curated)
    ]


def with_links(queryset):
    """`queryset` with its optional links loaded through the public door: a link to an entry
    that is not public reads as None, on a page and in the API alike."""
    return queryset.prefetch_related(
        *(
            Prefetch(
                name, queryset=queryset.model._meta.get_field(name).related_model.objects.public()
            )
            for name in optional_links(queryset.model)
        )
    )


def jurisdictions():
    return Jurisdiction.objects.public()


def policies():
    return with_links(Policy.objects.public())


def actors():
    return with_links(Actor.objects.public())


def assessments():
    return Assessment.objects.public()


def commitments_bare():
    """Public commitments, without prefetches (for subqueries and counts)."""
    return Commitment.objects.public()


def commitments():
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


def verdict_of(pk, as_of_start, as_of_end, status, delivered_start, delivered_end) -> Verdict:
    """`Assessment.verdict` from the assessment's columns (VERDICT_COLUMNS after the first)."""
    return Verdict(
        period(as_of_start, as_of_end),
        Status(status),
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
    by_commitment = {pk: [] for pk in ids}
    rows = Assessment.objects.published().filter(commitment__in=ids).values_list(*VERDICT_COLUMNS)
    for commitment_id, *columns in rows:
        by_commitment[commitment_id].append(verdict_of(*columns))
    return by_commitment


def published_assessments(commitment_ids: Iterable[int]) -> dict[int, list[Assessment]]:
    """The published assessments of each commitment, by id (every id asked for is a key), with
    their commitment, oldest first: for the pages that list them beside the status they decide
    (`[a.verdict for a in ...]`), in one query."""
    ids = list(commitment_ids)
    by_commitment = {pk: [] for pk in ids}
    found = Assessment.objects.published().filter(commitment__in=ids).select_related("commitment")
    for assessment in found:
        by_commitment[assessment.commitment_id].append(assessment)
    return by_commitment


def events():
    return with_links(Event.objects.public())


def funding():
    return with_links(Funding.objects.public().select_related("policy"))


def estimates():
    return with_links(Estimate.objects.public())


def sources():
    return Source.objects.public()


def policy_roles():
    return PolicyActor.objects.filter(actor__in=Actor.objects.public()).select_related("actor")


def event_relations():
    """The prefetches that give an event only its public policies, commitments and actors."""
    return [
        Prefetch("policies", queryset=Policy.objects.public().select_related("jurisdiction")),
        Prefetch("commitments", queryset=commitments_bare()),
        Prefetch("actors", queryset=Actor.objects.public()),
    ]


# The models whose entries carry citations, by the content type's model name.
CITED_MODELS = {
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


def entries(kind: str):
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


def _cited_by_model(label: str, ids) -> Q:
    return Q(content_type_id=_content_type_id(label), object_id__in=ids)


def citations():
    """Citations whose source is published and whose cited entry is public.

    Each cited kind is checked with `EXISTS` on the one entry a citation names: a search or a
    page of citations looks at a few entries, where `IN (every public entry)` made PostgreSQL
    hash 100,000 commitments, or scan 300,000 assessment ids, for each query.
    """
    records = Q()
    for label in CITED_MODELS:
        records |= Q(content_type_id=_content_type_id(label)) & Exists(
            entries(label).filter(pk=OuterRef("object_id"))
        )
    return (
        Citation.objects.filter(source__in=sources())
        .filter(records)
        .select_related("source", "content_type")
    )


def attach_citations(entries: Iterable) -> None:
    """Set `public_citations` on each entry, in one query for all of them."""
    entries = [e for e in entries if e is not None]
    by_model = defaultdict(set)
    for entry in entries:
        entry.public_citations = []
        by_model[entry._meta.model_name].add(entry.pk)
    if not entries:
        return
    which = Q()
    for label, ids in by_model.items():
        which |= _cited_by_model(label, ids)
    found = defaultdict(list)
    for citation in (
        Citation.objects.filter(source__in=sources())
        .filter(which)
        .select_related("source", "content_type")
    ):
        found[(citation.content_type.model, citation.object_id)].append(citation)
    for entry in entries:
        entry.public_citations = found[(entry._meta.model_name, entry.pk)]
