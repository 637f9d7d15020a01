"""Filters, declared once: the public lists, search and the REST API all use these FilterSets.

Parameter names are shared across models where they mean the same thing (`jurisdiction` is a
jurisdiction code, `policy` a policy slug, `year` "this entry's main date overlaps that year",
`q` text search), so one query string filters every list alike.

A fuzzy date overlaps a year when it starts before the year ends and ends after it begins:
`due_year=2024` finds a commitment due "by 2024", "by Q3 2024" and "by the end of the 2020s".
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

import django_filters as filters
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from policies import readmodel
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
from policies.progress import LATEST_FIRST, Status, verdicts_known_on
from policies.scorecard import LABELS as STANDING_LABELS
from policies.scorecard import Standing
from tracker.core import clock
from tracker.core.filters import (
    FuzzyYearFilter,
    KeyFilter,
    PublicFilterSet,
    TextFilter,
    WikidataFilter,
    YearFilter,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class LatestStatus(TypedDict):
    """What `with_latest_status` adds to each commitment."""

    latest_status: str


# The statuses the platform derives (`policies.progress`), filtered by the standing they give.
DERIVED = {
    "overdue": (Standing.OVERDUE, "Overdue (still open when checked after the due date)"),
    "not_checked": (Standing.NOT_CHECKED, "Not checked since the due date passed"),
    "delivered_late": (Standing.LATE, "Delivered late"),
}


class JurisdictionFilter(filters.ModelChoiceFilter):
    """By jurisdiction code (RU, CN); only public jurisdictions are valid values.

    Validating a code costs one query, and only when one is given.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Jurisdiction.objects.public())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("label", "Jurisdiction")
        kwargs.setdefault("help_text", "A jurisdiction code, e.g. RU")
        super().__init__(*args, **kwargs)


def with_latest_status(
    queryset: QuerySet[Commitment], *, today: dt.date
) -> "QuerySet[WithAnnotations[Commitment, LatestStatus]]":
    """Annotate `latest_status`: the status of the latest published verdict known on `today`
    (ranked by `progress.LATEST_FIRST`, checks left out), or "no evidence yet"."""
    latest = (
        Assessment.objects.published()
        .filter(verdicts_known_on(today), commitment=OuterRef("pk"))
        .order_by(*LATEST_FIRST)
    )
    return queryset.annotate(
        latest_status=Coalesce(
            Subquery(latest.values("status")[:1]),
            Value(Status.NO_EVIDENCE),
            output_field=CharField(),
        )
    )


class CommitmentFilter(PublicFilterSet):
    STATUS_CHOICES = [*Status.choices, *((key, label) for key, (_, label) in DERIVED.items())]

    jurisdiction = JurisdictionFilter(field_name="policy__jurisdiction")
    policy = KeyFilter(field_name="policy", model=Policy, label="Policy (slug)")
    kind = filters.ChoiceFilter(choices=Commitment.Kind.choices)
    status = filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label="Status")
    # `year` is what every kind calls its main date (search's facet); for a commitment it is
    # the due date, which the form shows once, as `due_year`.
    year = FuzzyYearFilter(field_name="due", label="Due in year")
    due_year = FuzzyYearFilter(field_name="due", label="Due in year")
    pledged_year = FuzzyYearFilter(field_name="pledged", label="Pledged in year")
    standing = filters.ChoiceFilter(
        choices=list(STANDING_LABELS.items()),
        method="filter_standing",
        label="Standing",
        help_text="Where it stands today, as the scorecards count it",
    )
    q = TextFilter(search_fields=["title", "description", "metric"])
    aliases = ("year",)

    class Meta:
        model = Commitment
        fields: list[str] = []

    def filter_status(
        self, queryset: QuerySet[Commitment], name: str, value: str
    ) -> QuerySet[Commitment]:
        today = clock.today()
        if value in DERIVED:
            # Derived by the one rule that derives them for every page (`derive_progress`),
            # stored when it changes (`readmodel`), not by a second copy of it in SQL.
            return readmodel.with_standing(queryset, DERIVED[value][0], today=today)
        return with_latest_status(queryset, today=today).filter(latest_status=value)

    def filter_standing(
        self, queryset: QuerySet[Commitment], name: str, value: str
    ) -> QuerySet[Commitment]:
        # What a scorecard counts, by the rule that counts it (a scorecard's number links here).
        return readmodel.with_standing(queryset, Standing(value), today=clock.today())


class JurisdictionListFilter(PublicFilterSet):
    kind = filters.ChoiceFilter(choices=Jurisdiction.Kind.choices)
    wikidata = WikidataFilter()

    class Meta:
        model = Jurisdiction
        fields: list[str] = []


class PolicyFilter(PublicFilterSet):
    jurisdiction = JurisdictionFilter(field_name="jurisdiction")
    kind = filters.ChoiceFilter(choices=Policy.Kind.choices)
    status = filters.ChoiceFilter(choices=Policy.Lifecycle.choices, label="Lifecycle status")
    parent = KeyFilter(field_name="parent", model=Policy, label="Part of (slug)")
    year = YearFilter(method="filter_year", label="Announced or adopted in year")
    wikidata = WikidataFilter()
    q = TextFilter(search_fields=["title", "title_original", "summary", "instrument"])

    class Meta:
        model = Policy
        fields: list[str] = []

    def filter_year(self, queryset: QuerySet[Policy], name: str, value: int) -> QuerySet[Policy]:
        first, last = dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        return queryset.filter(
            Q(announced_start__lte=last, announced_end__gte=first)
            | Q(adopted_start__lte=last, adopted_end__gte=first)
        )


class EventFilter(PublicFilterSet):
    jurisdiction = JurisdictionFilter(field_name="jurisdiction")
    policy = KeyFilter(field_name="policies", model=Policy, label="Policy (slug)")
    kind = filters.ChoiceFilter(choices=Event.Kind.choices)
    year = FuzzyYearFilter(field_name="occurred", label="Happened in year")
    wikidata = WikidataFilter()
    q = TextFilter(search_fields=["title", "description"])

    class Meta:
        model = Event
        fields: list[str] = []


class FundingFilter(PublicFilterSet):
    jurisdiction = JurisdictionFilter(method="filter_jurisdiction")
    policy = KeyFilter(field_name="policy", model=Policy, label="Policy (slug)")
    kind = filters.ChoiceFilter(choices=Funding.Kind.choices)
    currency = filters.CharFilter(field_name="currency", lookup_expr="iexact", max_length=3)
    year = YearFilter(method="filter_year", label="Period overlaps year")
    q = TextFilter(search_fields=["purpose"])

    class Meta:
        model = Funding
        fields: list[str] = []

    def filter_jurisdiction(
        self, queryset: QuerySet[Funding], name: str, value: Jurisdiction
    ) -> QuerySet[Funding]:
        # The filter's field has turned the code in the query string into the jurisdiction.
        # The union of two indexed lookups: an `OR` of the two relations read every entry
        # (a DISTINCT over a join of both took 0.5 s on 50,000; an OR of two `IN` subqueries
        # 30 ms; the union 7 ms: docs/performance.md).
        by_policy = Funding.objects.filter(policy__jurisdiction=value).values("pk")
        by_funder = Funding.objects.filter(funder__jurisdiction=value).values("pk")
        return queryset.filter(pk__in=by_policy.union(by_funder))

    def filter_year(self, queryset: QuerySet[Funding], name: str, value: int) -> QuerySet[Funding]:
        first, last = dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        starts_by = Q(period_start_start__lte=last) | Q(period_start_start__isnull=True)
        ends_after = Q(period_end_end__gte=first) | Q(
            period_end_end__isnull=True, period_start_end__gte=first
        )
        dated = Q(period_start_start__isnull=False) | Q(period_end_end__isnull=False)
        return queryset.filter(dated & starts_by & ends_after)


class ActorFilter(PublicFilterSet):
    jurisdiction = JurisdictionFilter(field_name="jurisdiction")
    kind = filters.ChoiceFilter(choices=Actor.Kind.choices)
    wikidata = WikidataFilter()
    q = TextFilter(search_fields=["name", "name_original", "description"])

    class Meta:
        model = Actor
        fields: list[str] = []


class EstimateFilter(PublicFilterSet):
    measure = filters.CharFilter(
        field_name="measure",
        lookup_expr="icontains",
        max_length=300,
        label="Measure",
        help_text="Words in the measure's name, e.g. robot density",
    )
    jurisdiction = JurisdictionFilter(field_name="jurisdiction")
    publisher = filters.CharFilter(
        field_name="publisher",
        lookup_expr="icontains",
        max_length=300,
        label="Publisher",
        help_text="Words in the publisher's name, e.g. OECD",
    )
    kind = filters.ChoiceFilter(choices=Estimate.Kind.choices)
    unit = filters.CharFilter(
        method="filter_unit",
        max_length=50,
        label="Unit",
        help_text="A unit as the figures give it (%, rank, companies) or, for money, a currency code",
    )
    year = FuzzyYearFilter(field_name="period", label="Reference period overlaps year")
    q = TextFilter(search_fields=["measure", "publisher"])

    class Meta:
        model = Estimate
        fields: list[str] = []

    def filter_unit(
        self, queryset: QuerySet[Estimate], name: str, value: str
    ) -> QuerySet[Estimate]:
        # Money's unit is its currency (a figure with one leaves `unit` empty), so "EUR" finds
        # the figures in euros as "%" finds the shares.
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(unit__iexact=value) | Q(currency__iexact=value))
