"""What the public site reads: published entries, and only their published neighbours.

Every query starts from `Model.objects.published()`. An entry whose required parent is not
public (a commitment of a draft policy) is not public either, so no page links to a 404.
Optional links (an event's jurisdiction, a commitment's actor) are shown only when the linked
entry is published: templates check `is_published` on those.
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
from tracker.dates import optional_period, period


def jurisdictions():
    return Jurisdiction.objects.published()


def policies():
    return Policy.objects.published().filter(jurisdiction__in=jurisdictions())


def actors():
    return Actor.objects.published()


def assessments():
    return Assessment.objects.published().filter(commitment__in=commitments_bare())


def commitments_bare():
    """Published commitments of public policies, without prefetches (for subqueries)."""
    return Commitment.objects.published().filter(policy__in=policies())


def commitments():
    """Public commitments with their policy and jurisdiction.

    Their progress is not here: pass `published_verdicts` (or the verdicts of
    `published_assessments`) to `Commitment.progress` or `overview.with_progress`.
    """
    return commitments_bare().select_related("policy__jurisdiction", "pledged_by")


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
    return Event.objects.published().select_related("jurisdiction")


def funding():
    return (
        Funding.objects.published()
        .filter(Q(policy__isnull=True) | Q(policy__in=policies()))
        .select_related("policy", "funder", "recipient")
    )


def estimates():
    return Estimate.objects.published().select_related("jurisdiction")


def sources():
    return Source.objects.published()


def policy_roles():
    return PolicyActor.objects.filter(actor__in=actors()).select_related("actor")


def event_relations():
    """The prefetches that give an event only its public policies, commitments and actors."""
    return [
        Prefetch("policies", queryset=policies().select_related("jurisdiction")),
        Prefetch("commitments", queryset=commitments_bare()),
        Prefetch("actors", queryset=actors()),
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
    """The public entries of one kind (by model name): published, and with public parents.

    Addresses that take any kind (permalinks, "cite this", the citations of a source) read
    through this, not through `published()` alone, which would let through a published
    commitment of a draft policy.
    """
    return {
        "jurisdiction": jurisdictions,
        "actor": actors,
        "policy": policies,
        "commitment": commitments_bare,
        "assessment": assessments,
        "funding": funding,
        "event": events,
        "estimate": estimates,
        "source": sources,
    }[kind]()


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
