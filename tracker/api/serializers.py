"""One read serializer per resource, with explicit fields: nothing editorial-only leaks."""

from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework import serializers

from policies.models import (
    Actor,
    Assessment,
    Commitment,
    Estimate,
    Event,
    Funding,
    Jurisdiction,
    Policy,
)
from policies.progress import Progress
from sources.models import Citation, Passage, Source
from tracker.api.fields import (
    ENTRY_FIELDS,
    EntrySerializer,
    FuzzyDateField,
    MoneyField,
    SourceRefSerializer,
    represent_sources_differ,
)
from tracker.core import clock


def link(pk: int, slug: str, name: str) -> dict:
    """A link to another entry, as every resource shows it."""
    return {"id": pk, "slug": slug, "name": name}


def link_values(entry) -> tuple[int, str, str] | None:
    """What `link` is built from, read from a linked entry (None: no link)."""
    return None if entry is None else (entry.id, entry.slug, str(entry))


class PublicRefMixin:
    """A link to another entry. To the public, a link to an entry that is not public is
    already None: the public selectors load optional links through `public()`.

    The fields declare the schema; `ref` builds the same keys directly (a list of 100 entries
    holds hundreds of links, and DRF's field machinery costs more than the link itself).
    """

    def to_representation(self, instance: Any) -> Any:
        return self.ref(instance)

    def ref(self, instance: Any) -> dict[str, Any] | None:
        raise NotImplementedError


class RefSerializer(PublicRefMixin, serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField(source="__str__")

    def ref(self, instance: Any) -> dict[str, Any] | None:
        values = link_values(instance)
        return None if values is None else link(*values)


class JurisdictionRefSerializer(PublicRefMixin, serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()

    def ref(self, instance):
        return {"id": instance.id, "code": instance.code, "name": instance.name}


class JurisdictionSerializer(EntrySerializer):
    class Meta:
        model = Jurisdiction
        fields = [*ENTRY_FIELDS, "code", "name", "kind", "wikidata_id"]


class ActorSerializer(EntrySerializer):
    jurisdiction = JurisdictionRefSerializer(allow_null=True)

    class Meta:
        model = Actor
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "name",
            "name_original",
            "kind",
            "jurisdiction",
            "description",
            "wikidata_id",
        ]


class RoleSerializer(serializers.Serializer):
    actor = RefSerializer()
    role = serializers.CharField()


class PolicySerializer(EntrySerializer):
    jurisdiction = JurisdictionRefSerializer()
    parent = RefSerializer(allow_null=True)
    actors = RoleSerializer(many=True, source="api_roles")
    announced = FuzzyDateField()
    adopted = FuzzyDateField()
    horizon_start = FuzzyDateField()
    horizon_end = FuzzyDateField()

    class Meta:
        model = Policy
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "kind",
            "title",
            "title_original",
            "jurisdiction",
            "parent",
            "actors",
            "instrument",
            "instrument_number",
            "announced",
            "adopted",
            "horizon_start",
            "horizon_end",
            "status",
            "summary",
            "oecd_id",
            "wikidata_id",
            "legal_act_url",
        ]


class ProgressSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="The latest assessment's status, or no_evidence")
    # A declared field: DRF's metaclass moves it out of the class, so Field.label stays text.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="Delivered late, Overdue, or the status in words"
    )
    overdue = serializers.BooleanField(
        help_text="Still open when its evidence was last checked, after the due date had passed"
    )
    not_checked = serializers.BooleanField(
        help_text="Due date passed after the evidence was last checked (or it never was): "
        "whether it was delivered is not known"
    )
    delivered_late = serializers.BooleanField()
    delivered_on = FuzzyDateField()
    slippage_days = serializers.IntegerField(
        allow_null=True,
        help_text="Days from the due date to delivery (negative: early); while overdue, the "
        "days late at the last check",
    )
    last_checked = FuzzyDateField(
        help_text="The evidence horizon: the date up to which the evidence was checked (the "
        "latest published assessment, a verdict or a check); null when never"
    )

    def get_attribute(self, commitment):
        # Derived from the published verdicts the view passed in `context["verdicts"]` (by
        # commitment id), never from the commitment's own assessments, which include drafts.
        verdicts = self.context["verdicts"][commitment.pk]
        return commitment.progress(verdicts=verdicts, today=clock.today())

    def to_representation(self, progress):
        return {
            "status": str(progress.status),
            "label": progress.label,
            "overdue": progress.overdue,
            "not_checked": progress.unchecked,
            "delivered_late": progress.delivered_late,
            "delivered_on": FuzzyDateField.represent(progress.delivered_on),
            "slippage_days": progress.slippage_days,
            "last_checked": FuzzyDateField.represent(progress.horizon),
        }


class CommitmentSerializer(EntrySerializer):
    # The commitment's one representation (a docstring here would become the schema's
    # description): the fields declare the schema; `represent` builds it from plain values,
    # for an instance (`to_representation`) and for the bulk exports, which read columns
    # instead of instances (tracker/api/rows.py).

    policy = RefSerializer()
    jurisdiction = serializers.CharField(
        read_only=True, help_text="The code of the policy's jurisdiction (RU, CN)"
    )
    jurisdiction_name = serializers.CharField(
        read_only=True, help_text="The name of the policy's jurisdiction"
    )
    pledged_by = RefSerializer(allow_null=True)
    funding = RefSerializer(
        allow_null=True,
        help_text="The money pledge this commitment tracks (a funding entry); null when none, "
        "or when the pledge is not public",
    )
    pledged = FuzzyDateField()
    due = FuzzyDateField()
    deadline = serializers.CharField(
        read_only=True, allow_null=True, help_text='The due date as a deadline: "by 2024"'
    )
    progress = ProgressSerializer(
        source="*", read_only=True, help_text="Derived from the published assessments"
    )

    class Meta:
        model = Commitment
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "policy",
            "jurisdiction",
            "jurisdiction_name",
            "title",
            "description",
            "kind",
            "pledged_by",
            "pledged",
            "due",
            "deadline",
            "metric",
            "unit",
            "baseline_value",
            "target_value",
            "funding",
            "progress",
        ]

    # The fields `represent` builds from more than one value; each other field is one value.
    COMPOSITE = frozenset(
        {
            "url",
            "citations",
            "sources_differ",
            "policy",
            "jurisdiction",
            "jurisdiction_name",
            "pledged_by",
            "funding",
            "pledged",
            "due",
            "deadline",
            "progress",
        }
    )

    def plain_fields(self) -> list[str]:
        return [name for name, _ in self.fields.items() if name not in self.COMPOSITE]

    def to_representation(self, commitment):
        values = {name: self.fields[name].get_attribute(commitment) for name in self.plain_fields()}
        jurisdiction = commitment.policy.jurisdiction
        values.update(
            policy=link_values(commitment.policy),
            jurisdiction=(jurisdiction.code, jurisdiction.name),
            pledged_by=link_values(commitment.pledged_by),
            funding=link_values(commitment.funding),
            pledged=commitment.pledged,
            due=commitment.due,
        )
        return self.represent(
            values,
            citations=commitment.api_citations,
            progress=self.fields["progress"].get_attribute(commitment),
        )

    def represent(
        self,
        values: Mapping[str, Any],
        *,
        citations: Iterable[Passage],
        progress: Progress | None,
    ) -> dict:
        """A commitment from plain values: each plain field's value by its name, `policy`,
        `pledged_by` and `funding` as `link_values` (or None), `jurisdiction` as (code, name),
        `pledged` and `due` as fuzzy dates (or None); its citations (passages) and its progress
        beside them."""
        due = values["due"]
        citations = list(citations)  # read twice: the passages, and where they differ
        built = {
            "url": self.permalink(values["id"]),
            "citations": self.fields["citations"].to_representation(citations),
            "sources_differ": represent_sources_differ(citations),
            "policy": link(*values["policy"]),
            "jurisdiction": values["jurisdiction"][0],
            "jurisdiction_name": values["jurisdiction"][1],
            "pledged_by": None if values["pledged_by"] is None else link(*values["pledged_by"]),
            "funding": None if values["funding"] is None else link(*values["funding"]),
            "pledged": FuzzyDateField.represent(values["pledged"]),
            "due": FuzzyDateField.represent(due),
            "deadline": due.as_deadline() if due else None,
            "progress": self.fields["progress"].to_representation(progress),
        }
        return {
            name: built[name] if name in built else _plain(field, values[name])
            for name, field in self.fields.items()
        }


def _plain(field: serializers.Field, value):
    """A one-value field's representation, None kept as None (as DRF's serializers keep it)."""
    return None if value is None else field.to_representation(value)


class AssessmentSerializer(EntrySerializer):
    commitment = RefSerializer()
    as_of = FuzzyDateField()
    delivered = FuzzyDateField()

    class Meta:
        model = Assessment
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "commitment",
            "as_of",
            "status",
            "delivered",
            "actual_value",
            "judged_by",
            "confidence",
            "methodology",
            "summary",
        ]


class FundingSerializer(EntrySerializer):
    policy = RefSerializer(allow_null=True)
    money = MoneyField()
    stated_equivalent = MoneyField(help_text="The source's own conversion, kept as stated")
    period_start = FuzzyDateField()
    period_end = FuzzyDateField()
    funder = RefSerializer(allow_null=True)
    recipient = RefSerializer(allow_null=True)
    delivers_against = RefSerializer(allow_null=True)
    tracked_by = RefSerializer(
        many=True,
        help_text="The commitments that track this pledge (public ones only, to the public)",
    )

    class Meta:
        model = Funding
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "policy",
            "kind",
            "money",
            "stated_equivalent",
            "period_start",
            "period_end",
            "funder",
            "recipient",
            "purpose",
            "delivers_against",
            "tracked_by",
        ]


class EventSerializer(EntrySerializer):
    occurred = FuzzyDateField()
    jurisdiction = JurisdictionRefSerializer(allow_null=True)
    actors = RefSerializer(many=True)
    policies = RefSerializer(many=True)
    commitments = RefSerializer(many=True)

    class Meta:
        model = Event
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "occurred",
            "kind",
            "title",
            "description",
            "jurisdiction",
            "actors",
            "policies",
            "commitments",
            "wikidata_id",
        ]


class EstimateSerializer(EntrySerializer):
    jurisdiction = JurisdictionRefSerializer(allow_null=True)
    period = FuzzyDateField()
    display = serializers.CharField(source="value_display")

    class Meta:
        model = Estimate
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "measure",
            "jurisdiction",
            "value",
            "value_high",
            "qualifier",
            "currency",
            "unit",
            "display",
            "period",
            "publisher",
            "kind",
        ]


class SourceSerializer(EntrySerializer):
    published = FuzzyDateField()

    class Meta:
        model = Source
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "kind",
            "title",
            "subtitle",
            "authors",
            "publisher",
            "published",
            "url",
            "doi",
            "isbn",
            "series",
            "language",
            "rights",
            "archived_url",
            "how_to_cite",
            "text_sha256",
            "wikidata_id",
        ]


class CitationRecordSerializer(serializers.Serializer):
    kind = serializers.CharField(source="content_type.model")
    id = serializers.IntegerField(source="object_id")


class CitationListSerializer(serializers.ModelSerializer):
    """A quoted passage with the entry it supports."""

    # A declared field: DRF's metaclass moves it out of the class (see CitationSerializer).
    source = SourceRefSerializer()  # type: ignore[assignment]
    record = CitationRecordSerializer(source="*")

    class Meta:
        model = Citation
        fields = [
            "id",
            "source",
            "record",
            "page",
            "section",
            "footnote",
            "locator",
            "quote",
            "field",
            "claim",
            "verified",
            "verified_against",
            "located_page",
            "updated_at",
        ]
