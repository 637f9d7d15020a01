"""Serializer pieces every API resource shares: fuzzy dates, money, citations, links."""

from typing import Any, cast

from django.db.models import Model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from policies.links import on_site, permalink_base
from sources.claims import sources_differ
from tracker.core.dates import FuzzyDate
from tracker.core.money import Money


class FuzzyDateSchema(serializers.Serializer):
    value = serializers.CharField(help_text="2019-10-10, 2019-10, 2019-Q4, 2019 or 2010s")
    start = serializers.DateField(help_text="First day of the period")
    end = serializers.DateField(help_text="Last day of the period")
    precision = serializers.ChoiceField(choices=["day", "month", "quarter", "year", "decade"])
    display = serializers.CharField(help_text="As people write it: 10 October 2019, the 2010s")
    edtf = serializers.CharField(
        help_text="In EDTF (ISO 8601-2): 2019-10-10, 2019-10, 2019-36 (Q4 2019), 2019, 201X"
    )


@extend_schema_field(FuzzyDateSchema(allow_null=True))
class FuzzyDateField(serializers.Field):
    """A fuzzy date as a structured value plus its display string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        assert self.source is not None  # bound: bind() sets it
        return getattr(instance, self.source)

    def to_representation(self, value: FuzzyDate | None) -> dict[str, str] | None:
        return self.represent(value)

    @staticmethod
    def represent(value: FuzzyDate | None) -> dict[str, str] | None:
        if value is None:
            return None
        return {
            "value": value.isoformat(),
            "start": value.start.isoformat(),
            "end": value.end.isoformat(),
            "precision": str(value.precision),
            "display": str(value),
            "edtf": value.edtf(),
        }


class MoneySchema(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=24, decimal_places=4)
    amount_high = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    currency = serializers.CharField(help_text="ISO 4217, as the source states it; never converted")
    qualifier = serializers.ChoiceField(
        choices=["exact", "about", "more_than", "at_least", "up_to", "less_than", "range"]
    )
    display = serializers.CharField(help_text="e.g. more than RUB 280 billion")


@extend_schema_field(MoneySchema(allow_null=True))
class MoneyField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        assert self.source is not None  # bound: bind() sets it
        return getattr(instance, self.source)

    def to_representation(self, value: Money | None) -> dict[str, str | None] | None:
        if value is None:
            return None
        return {
            "amount": str(value.amount),
            "amount_high": None if value.amount_high is None else str(value.amount_high),
            "currency": value.currency,
            "qualifier": str(value.qualifier),
            "display": str(value),
        }


class SourceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()


class CitationSerializer(serializers.Serializer):
    """One `sources.models.Passage`. The fields declare the schema; `to_representation` builds
    the same keys directly, since a list of 100 entries carries several hundred citations."""

    id = serializers.IntegerField()
    # A declared field: DRF's metaclass moves it out of the class, so Field.source stays a str.
    source = SourceRefSerializer()  # type: ignore[assignment]
    page = serializers.CharField()
    section = serializers.CharField()
    footnote = serializers.CharField()
    locator = serializers.CharField(help_text="page, section and footnote in words")
    quote = serializers.CharField(help_text="Verbatim from the source")
    field = serializers.CharField(
        help_text="The entry's field this passage states a value for (e.g. place, adopted); "
        "empty when it states none"
    )
    claim = serializers.CharField(
        help_text="The value of that field as the passage states it (e.g. Moscow, May 2018)"
    )
    verified = serializers.BooleanField(
        allow_null=True,
        help_text="Whether the quote was found in its source's text when last checked; null "
        "when the source holds no text to check it against",
    )
    verified_against = serializers.CharField(
        help_text="The SHA-256 of the source text it was checked against (empty if none)"
    )
    located_page = serializers.CharField(
        help_text='The page or pages the quote was found on ("14", "14-15"); empty when the '
        "text has no page numbers or the quote was not found"
    )

    def to_representation(self, passage):
        return {
            "id": passage.id,
            "source": {
                "id": passage.source_id,
                "slug": passage.source_slug,
                "title": passage.source_title,
            },
            "page": passage.page,
            "section": passage.section,
            "footnote": passage.footnote,
            "locator": passage.locator,
            "quote": passage.quote,
            "field": passage.field,
            "claim": passage.claim,
            "verified": passage.verified,
            "verified_against": passage.verified_against,
            "located_page": passage.located_page,
        }


class ClaimedValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="As the first passage stating it writes it")
    citations = serializers.ListField(
        child=serializers.IntegerField(), help_text="The ids of the citations that state it"
    )


class SourcesDifferListSerializer(serializers.ListSerializer):
    """Built from an entry's citations (passages): one item per field they disagree on."""

    def to_representation(self, data):
        return represent_sources_differ(data)


class SourcesDifferSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The entry's field, e.g. place, adopted")
    values = ClaimedValueSerializer(many=True)

    class Meta:
        list_serializer_class = SourcesDifferListSerializer


def represent_sources_differ(passages) -> list[dict]:
    """Each field on which the passages state two or more distinct values (sources.claims),
    with each value and the ids of the citations stating it."""
    return [
        {
            "field": claims.field,
            "values": [
                {"value": value.value, "citations": [c.id for c in value.citations]}
                for value in claims.values
            ],
        }
        for claims in sources_differ(passages)
    ]


class EntrySerializer(serializers.ModelSerializer):
    """Identity, links, editorial dates and citations, shared by every curated resource."""

    url = serializers.SerializerMethodField(help_text="The entry's public page")
    citations = CitationSerializer(many=True, read_only=True, source="api_citations")
    sources_differ = SourcesDifferSerializer(
        many=True,
        read_only=True,
        source="api_citations",
        help_text="The fields on which its citations state different values, each value with "
        "the citations stating it; empty when they agree",
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, entry) -> str:
        return self.permalink(entry.pk)

    def permalink(self, pk: int) -> str:
        """The public page of this serializer's kind of entry with id `pk`."""
        return f"{self.permalink_prefix()}{pk}/"

    def permalink_prefix(self) -> str:
        """What an entry's id and a slash follow in its permalink."""
        # Every entry's permalink differs only by its id: resolve the address once a list.
        # The context is the dict the view made (the stubs say Mapping).
        bases = cast(dict[str, Any], self.context).setdefault("permalink_bases", {})
        model: type[Model] = self.Meta.model
        kind = model._meta.model_name
        assert kind is not None  # only an abstract model has none
        if kind not in bases:
            request = self.context.get("request")
            base = permalink_base(kind)
            bases[kind] = on_site(request, base)
        return bases[kind]


ENTRY_FIELDS = [
    "id",
    "url",
    "state",
    "version",
    "published_at",
    "updated_at",
    "citations",
    "sources_differ",
]
