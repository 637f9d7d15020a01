import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict, overload

import pycountry
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Trim, Upper
from django.db.models.lookups import Exact
from pycountry.db import Country
from simple_history.models import HistoricalRecords

from policies.progress import (
    METHODOLOGY_VERSION,
    NO_VERDICT,
    Progress,
    Status,
    Verdict,
    derive_progress,
)
from tracker.core import identifiers
from tracker.core.datefields import FuzzyDateProperty, fuzzy_date_checks, fuzzy_date_columns
from tracker.core.editorial import Composite, Curated, review_permission, unique_key
from tracker.core.money import PREFIXES, Money, Qualifier, format_quantity
from tracker.core.text import require_publishable_text


class _Amount(TypedDict):
    max_digits: int
    decimal_places: int


AMOUNT: _Amount = {"max_digits": 24, "decimal_places": 4}
CURRENCY = RegexValidator(r"^[A-Z]{3}$", "Use an ISO 4217 currency code such as RUB, EUR or USD.")


def iso_code(field: str) -> Q:
    """Three upper-case characters (RUB, EUR); the form validator checks they are letters."""
    return Exact(Length(field), 3) & Exact(Upper(field), F(field))


def money_checks(
    prefix: str, amount: str, high: str, qualifier: str, currency: str, *, required: bool
) -> list[models.CheckConstraint]:
    """Positive amounts; a range has a high above its low, and only a range has one.

    Each condition is written so that it is false, not unknown, on NULLs: a CHECK passes
    on unknown, so `high > amount` alone would let a range without a high through.
    """
    positive = Q(**{f"{amount}__isnull": False, f"{amount}__gt": 0})
    is_range = Q(**{qualifier: Qualifier.RANGE})
    range_ok = (is_range & Q(**{f"{high}__isnull": False, f"{high}__gt": F(amount)})) | (
        ~is_range & Q(**{f"{high}__isnull": True})
    )
    currency_ok = Q(iso_code(currency))
    if not required:
        absent = Q(**{f"{amount}__isnull": True, f"{high}__isnull": True, currency: ""})
        positive, range_ok, currency_ok = positive | absent, range_ok | absent, currency_ok | absent
    return [
        models.CheckConstraint(
            condition=positive,
            name=f"{prefix}_{amount}_positive",
            violation_error_message="An amount must be positive.",
        ),
        models.CheckConstraint(
            condition=range_ok,
            name=f"{prefix}_{amount}_range",
            violation_error_message="A range needs a high amount above its low one; other qualifiers have none.",
        ),
        models.CheckConstraint(
            condition=currency_ok,
            name=f"{prefix}_{currency}_iso",
            violation_error_message="The currency must be an ISO 4217 code such as RUB, EUR or USD.",
        ),
    ]


# A jurisdiction's code: a country's is its ISO 3166-1 alpha-2 code (RU); a bloc's, region's or
# city's is capital letters and digits, words joined by hyphens (EU, SCO, CENTRAL-ASIA, RU-MOW).
CODE_PATTERN = r"^(?=.{2})[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\Z"
CODE_FORM = RegexValidator(
    CODE_PATTERN,
    "A jurisdiction code is capital letters and digits, words joined by hyphens: RU, EU, "
    "CENTRAL-ASIA.",
)


@overload
def normalise_code(value: str) -> str: ...
@overload
def normalise_code(value: None) -> None: ...
def normalise_code(value: str | None) -> str | None:
    """The one form of a code, however it was typed: trimmed and in capitals."""
    return value.strip().upper() if isinstance(value, str) else value


class CodeField(models.CharField):
    """A jurisdiction code, stored, compared and looked up in its one form: "ru" is RU, on
    every write path (full_clean) and in every query (a filter, a URL, a fixture's reference)."""

    def to_python(self, value: Any) -> str | None:
        return normalise_code(super().to_python(value))

    def get_prep_value(self, value: Any) -> str | None:
        return normalise_code(super().get_prep_value(value))


def country_named(code: str) -> Country | None:
    return pycountry.countries.get(alpha_2=code) if len(code) == 2 else None


@require_publishable_text
class Jurisdiction(Curated):
    # Reference data rather than a claim: it needs no citation to be published.
    needs_citation = False

    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        BLOC = "bloc", "Bloc"
        REGION = "region", "Region"
        CITY = "city", "City"

    # Unique among entries (unique_key below), not among rows: a pending edit shares the code.
    code = CodeField(
        max_length=20,
        validators=[CODE_FORM],
        help_text="ISO 3166-1 alpha-2 for countries, e.g. RU; for blocs, regions and cities a "
        "code of their own in capitals, e.g. EU, CENTRAL-ASIA",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COUNTRY)
    wikidata_id = identifiers.wikidata_id()

    class Meta(Curated.Meta):
        permissions = [review_permission("jurisdiction")]
        constraints = [
            unique_key("code", "jurisdiction"),
            # "ru" beside "RU" would be a second Russia that filters and comparisons find
            # instead of the first: the form of a code is an invariant, not a habit.
            models.CheckConstraint(
                condition=Q(Exact(Upper(Trim("code")), F("code"))),
                name="jurisdiction_code_in_capitals",
                violation_error_message="A jurisdiction code is trimmed and in capitals.",
            ),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        code = self.code or ""
        if not re.search(CODE_PATTERN, code):
            return  # the field's own validators have said why
        country = country_named(code)
        if self.kind == self.Kind.COUNTRY and country is None:
            raise ValidationError(
                {
                    "code": f"{code} is not an ISO 3166-1 alpha-2 country code (such as RU, CN "
                    "or KZ); for a bloc, region or city, choose that kind."
                }
            )
        if self.kind != self.Kind.COUNTRY and country is not None:
            raise ValidationError(
                {
                    "code": f"{code} is the country code of {country.name}; give this "
                    f"{self.get_kind_display().lower()} a code of its own, such as EU."
                }
            )


@require_publishable_text
class Actor(Curated):
    class Kind(models.TextChoices):
        HEAD_OF_STATE = "head_of_state", "Head of state"
        GOVERNMENT_BODY = "government_body", "Government body"
        LEGISLATURE = "legislature", "Legislature"
        STATE_COMPANY = "state_company", "State-owned company"
        PRIVATE_COMPANY = "private_company", "Private company"
        RESEARCH_BODY = "research_body", "University or research body"
        FUND = "fund", "Fund"
        INTERNATIONAL_ORG = "international_org", "International organisation"
        MILITARY = "military", "Military"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=300)
    name_original = models.CharField("original-language name", max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="actors"
    )
    url = models.URLField(max_length=1000, blank=True)
    description = models.TextField(blank=True)
    wikidata_id = identifiers.wikidata_id()

    class Meta(Curated.Meta):
        permissions = [review_permission("actor")]
        constraints = [unique_key("slug", "actor")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@require_publishable_text
class Policy(Curated):
    class Kind(models.TextChoices):
        STRATEGY = "strategy", "Strategy"
        NATIONAL_PROJECT = "national_project", "National project"
        FEDERAL_PROJECT = "federal_project", "Federal project"
        PROGRAMME = "programme", "Programme"
        LAW = "law", "Law or decree"
        PLAN = "plan", "Plan"
        INITIATIVE = "initiative", "Initiative"

    class Lifecycle(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ANNOUNCED = "announced", "Announced"
        ADOPTED = "adopted", "Adopted"
        IN_FORCE = "in_force", "In force"
        EXPIRED = "expired", "Expired"
        SUPERSEDED = "superseded", "Superseded"
        REPEALED = "repealed", "Repealed"

    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=500)
    title_original = models.CharField("original-language title", max_length=500, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="policies"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    actors = models.ManyToManyField(
        Actor, through="PolicyActor", related_name="policies", blank=True
    )
    instrument = models.CharField("legal instrument", max_length=300, blank=True)
    instrument_number = models.CharField(max_length=100, blank=True)
    announced_start, announced_end = fuzzy_date_columns("announcement date")
    announced = FuzzyDateProperty()
    adopted_start, adopted_end = fuzzy_date_columns("adoption date")
    adopted = FuzzyDateProperty()
    horizon_start_start, horizon_start_end = fuzzy_date_columns("horizon's start")
    horizon_start = FuzzyDateProperty()
    horizon_end_start, horizon_end_end = fuzzy_date_columns("horizon's end")
    horizon_end = FuzzyDateProperty()
    status = models.CharField(
        max_length=20,
        choices=Lifecycle.choices,
        blank=True,
        help_text="Leave empty when no source says",
    )
    summary = models.TextField(blank=True, help_text="Markdown")
    oecd_id = models.CharField("OECD.AI id", max_length=100, blank=True)
    wikidata_id = identifiers.wikidata_id()
    legal_act_url = models.URLField("legal act URL", max_length=1000, blank=True)

    public_parents = ("jurisdiction",)

    class Meta(Curated.Meta):
        permissions = [review_permission("policy")]
        ordering = ["title"]
        verbose_name_plural = "policies"
        constraints = [
            unique_key("slug", "policy"),
            *fuzzy_date_checks("policy", "announced"),
            *fuzzy_date_checks("policy", "adopted"),
            *fuzzy_date_checks("policy", "horizon_start"),
            *fuzzy_date_checks("policy", "horizon_end"),
            models.CheckConstraint(
                condition=Q(horizon_end_end__isnull=True)
                | Q(horizon_start_start__isnull=True)
                | Q(horizon_end_end__gte=F("horizon_start_start")),
                name="policy_horizon_ends_after_start",
                violation_error_message="A policy's horizon must end after it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="policy_not_own_parent",
                violation_error_message="A policy cannot be its own parent.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PolicyActor(models.Model):
    class Role(models.TextChoices):
        DRAFTED_BY = "drafted_by", "Drafted by"
        LEADS = "leads", "Leads"
        IMPLEMENTS = "implements", "Implements"
        FUNDS = "funds", "Funds"

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="roles")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    # A policy's actors are part of it: revert rebuilds them as they were at a version.
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "actor", "role"],
                name="policy_actor_role_once",
                violation_error_message="This actor already has this role in this policy.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


@require_publishable_text
class Commitment(Curated):
    class Kind(models.TextChoices):
        DELIVERABLE = "deliverable", "Deliverable"
        QUANTITATIVE_TARGET = "quantitative_target", "Quantitative target"
        CAPABILITY = "capability", "Capability"
        INSTITUTION = "institution", "Institution"

    slug = models.SlugField(max_length=120)
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="commitments")
    pledged_by = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    pledged_start, pledged_end = fuzzy_date_columns("pledge date")
    pledged = FuzzyDateProperty()
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    due_start, due_end = fuzzy_date_columns("due date")
    due = FuzzyDateProperty()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DELIVERABLE)
    metric = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    baseline_value = models.DecimalField(**AMOUNT, null=True, blank=True)
    target_value = models.DecimalField(**AMOUNT, null=True, blank=True)
    funding = models.ForeignKey(
        "Funding",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracked_by",
        help_text="The money pledge this commitment tracks: its amount and horizon are the "
        "target, so it is due, delivered or overdue like any pledge",
    )

    public_parents = ("policy",)

    class Meta(Curated.Meta):
        permissions = [review_permission("commitment")]
        ordering = ["due_end", "title"]
        indexes = [
            *Curated.Meta.indexes,
            # "Overdue", "due in 2024" and every timeline filter or sort on the due period.
            models.Index(fields=["due_end", "due_start"], name="commitment_due_idx"),
        ]
        constraints = [
            unique_key("slug", "commitment"),
            *fuzzy_date_checks("commitment", "pledged"),
            *fuzzy_date_checks("commitment", "due"),
            models.CheckConstraint(
                condition=Q(pledged_start__isnull=True)
                | Q(due_end__isnull=True)
                | Q(due_end__gte=F("pledged_start")),
                name="commitment_due_after_pledge",
                violation_error_message="A commitment cannot be due before it was pledged.",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | ~Q(metric=""),
                name="commitment_target_has_metric",
                violation_error_message="A target value needs the metric it measures.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        pledge = linked(self, "funding")
        if pledge is None:
            return
        if pledge.draft_of_id is not None:
            raise ValidationError(
                {
                    "funding": "That is an unreviewed edit of a funding entry: choose the entry itself."
                }
            )
        problem = untrackable(pledge, policy=linked(self, "policy"))
        if problem is not None:
            raise ValidationError(
                {
                    "funding": f"This commitment cannot track “{pledge}”: {problem[1]}. A "
                    "commitment tracks money pledged in its own jurisdiction; money allocated or "
                    "spent delivers against a pledge instead (the funding entry's “delivers "
                    "against”)."
                }
            )

    def progress(self, *, verdicts: Iterable[Verdict], today: dt.date) -> Progress:
        """Status as known on `today` from `verdicts`, its published ones (for a list,
        `public.published_verdicts`). It never reads `self.assessments`: those include drafts."""
        return derive_progress(due=self.due, verdicts=verdicts, today=today)


@require_publishable_text
class Assessment(Curated):
    class JudgedBy(models.TextChoices):
        # Whose judgement the verdict is: pages say so beside it.
        SOURCE = "source", "The source's own statement"
        GOVERNMENT = "government", "The government's self-report"
        CURATORS = "curators", "The curators' reading of a source"

    class Confidence(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    slug = models.SlugField(max_length=120)
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="assessments")
    as_of_start, as_of_end = fuzzy_date_columns("date of the judgement")
    as_of = FuzzyDateProperty()
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text="Leave empty for a check: the evidence was reviewed up to this date and gave "
        "no new verdict (say what was checked in the summary, or cite it).",
    )
    delivered_start, delivered_end = fuzzy_date_columns("delivery date")
    delivered = FuzzyDateProperty()
    actual_value = models.DecimalField(**AMOUNT, null=True, blank=True)
    judged_by = models.CharField(
        max_length=20,
        choices=JudgedBy.choices,
        default=JudgedBy.SOURCE,
        help_text="Whose judgement this is: what the source itself states, what the government "
        "reports of itself, or the curators' reading of the cited passage",
    )
    confidence = models.CharField(
        max_length=10,
        choices=Confidence.choices,
        blank=True,
        db_default="",
        help_text="Optional: how firmly the evidence supports the verdict (see /methodology/)",
    )
    methodology = models.CharField(
        max_length=20,
        default=METHODOLOGY_VERSION,
        # Rows written outside the ORM (a bulk load) get the version too.
        db_default=METHODOLOGY_VERSION,
        help_text="The version of the methodology (/methodology/) the verdict was made under",
    )
    summary = models.TextField(blank=True)

    public_parents = ("commitment",)

    class Meta(Curated.Meta):
        permissions = [review_permission("assessment")]
        ordering = ["as_of_start", "as_of_end", "id"]
        indexes = [
            *Curated.Meta.indexes,
            # A commitment's latest (or "as of") assessment is read by this pair.
            models.Index(fields=["commitment", "as_of_start"], name="assessment_latest_idx"),
        ]
        constraints = [
            unique_key("slug", "assessment"),
            *fuzzy_date_checks("assessment", "as_of", required=True),
            *fuzzy_date_checks("assessment", "delivered"),
            models.CheckConstraint(
                condition=Q(delivered_start__isnull=True)
                | Q(status__in=[Status.DELIVERED, Status.PARTLY_DELIVERED]),
                name="assessment_delivery_needs_delivered_status",
                violation_error_message="Only a delivered or partly delivered commitment has a delivery date.",
            ),
            models.CheckConstraint(
                condition=~Q(status=NO_VERDICT) | Q(actual_value__isnull=True),
                name="assessment_check_has_no_value",
                violation_error_message="A check gives no verdict, so it has no measured value; "
                "choose a status to record one.",
            ),
            models.CheckConstraint(
                condition=Q(delivered_start__isnull=True) | Q(delivered_start__lte=F("as_of_end")),
                name="assessment_delivery_not_after_judgement",
                violation_error_message="A delivery cannot be dated after the assessment that reports it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.verdict_words} ({self.as_of})"

    @property
    def is_check(self) -> bool:
        return self.status == NO_VERDICT

    @property
    def verdict_words(self) -> str:
        """Its status in words, or what a check is."""
        return "Evidence checked, no new verdict" if self.is_check else self.get_status_display()

    @property
    def needs_citation(self) -> bool:  # type: ignore[override]
        # A verdict rests on a cited passage; a check that found nothing new may instead say
        # what was looked at (the ministry's reports up to a date) in its summary.
        return not (self.is_check and self.summary.strip())

    @property
    def verdict(self) -> Verdict:
        as_of = self.as_of
        assert as_of is not None  # a stored assessment has one (assessment_as_of_required)
        status = None if self.is_check else Status(self.status)
        return Verdict(as_of=as_of, status=status, delivered=self.delivered, id=self.pk)


@require_publishable_text
class Funding(Curated):
    class Kind(models.TextChoices):
        PLEDGED = "pledged", "Pledged"
        ALLOCATED = "allocated", "Allocated"
        SPENT = "spent", "Spent"

    slug = models.SlugField(max_length=120)
    policy = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.PROTECT, related_name="funding"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(**AMOUNT)
    amount_high = models.DecimalField(**AMOUNT, null=True, blank=True, help_text="Only for a range")
    currency = models.CharField(
        max_length=3,
        validators=[CURRENCY],
        help_text="ISO 4217, as the source gives it: RUB, EUR, USD",
    )
    qualifier = models.CharField(max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT)
    stated_amount = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="The source's own conversion"
    )
    stated_amount_high = models.DecimalField(**AMOUNT, null=True, blank=True)
    stated_currency = models.CharField(max_length=3, blank=True, validators=[CURRENCY])
    stated_qualifier = models.CharField(
        max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    period_start_start, period_start_end = fuzzy_date_columns("period's start")
    period_start = FuzzyDateProperty()
    period_end_start, period_end_end = fuzzy_date_columns("period's end")
    period_end = FuzzyDateProperty()
    funder = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="funding_given"
    )
    recipient = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="funding_received"
    )
    purpose = models.TextField(blank=True)
    delivers_against = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
        help_text="The pledge this allocation or spending delivers against",
    )

    public_parents = ("policy",)
    composites = (
        Composite("amount", ("amount", "amount_high", "currency", "qualifier"), "money"),
        Composite(
            "source's own equivalent",
            ("stated_amount", "stated_amount_high", "stated_currency", "stated_qualifier"),
            "stated_equivalent",
        ),
    )

    class Meta(Curated.Meta):
        permissions = [review_permission("funding")]
        ordering = ["period_start_start", "slug"]
        verbose_name_plural = "funding"
        constraints = [
            unique_key("slug", "funding"),
            *money_checks(
                "funding", "amount", "amount_high", "qualifier", "currency", required=True
            ),
            *money_checks(
                "funding",
                "stated_amount",
                "stated_amount_high",
                "stated_qualifier",
                "stated_currency",
                required=False,
            ),
            *fuzzy_date_checks("funding", "period_start"),
            *fuzzy_date_checks("funding", "period_end"),
            models.CheckConstraint(
                condition=Q(period_end_end__isnull=True)
                | Q(period_start_start__isnull=True)
                | Q(period_end_end__gte=F("period_start_start")),
                name="funding_period_ends_after_start",
                violation_error_message="A funding period must end after it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(delivers_against=F("pk")),
                name="funding_not_against_itself",
                violation_error_message="A funding entry cannot deliver against itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.money}"

    def clean(self) -> None:
        super().clean()
        entry = self.draft_of_id or self.pk  # a pending edit answers for its entry's trackers
        if entry is None:
            return
        trackers = Commitment.objects.originals().filter(funding=entry)
        for commitment in trackers.select_related("policy__jurisdiction"):
            problem = untrackable(self, policy=commitment.policy)
            if problem is not None:
                field, reason = problem
                raise ValidationError(
                    {
                        field: f"The commitment “{commitment}” tracks this pledge, and could not "
                        f"any more: {reason}. Unlink it there first (its “funding”), or keep "
                        "this entry a pledge it can track."
                    }
                )

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency, Qualifier(self.qualifier), self.amount_high)

    @property
    def stated_equivalent(self) -> Money | None:
        if self.stated_amount is None:
            return None
        return Money(
            self.stated_amount,
            self.stated_currency,
            Qualifier(self.stated_qualifier),
            self.stated_amount_high,
        )


def linked(entry: models.Model, name: str) -> Any:
    """The entry's related entry `name`, or None when the link is empty or names no row (its
    field's own validation says why)."""
    try:
        return getattr(entry, name)
    except ObjectDoesNotExist:
        return None


def untrackable(pledge: Funding, *, policy: Policy | None) -> tuple[str, str] | None:
    """Why a commitment of `policy` cannot track the funding entry `pledge`: the field of the
    entry at fault ("kind" or "policy") and the reason in words; None when it can.

    The one rule of the link, read from both of its ends: the commitment's (Commitment.clean)
    and the pledge's (Funding.clean, when its kind or policy changes under its trackers). A
    commitment tracks money promised, not allocated or spent, and promised where the commitment
    is: in its policy's jurisdiction. Not in its very policy: the money of a national project is
    often what a strategy nested in it promised to spend (RUB 1.6 trillion of "Digital Economy"
    by 2024, which the AI strategy's pledges draw on). A pledge of no policy (a figure from a
    speech) names no jurisdiction, and the commitment's policy places it.
    """
    if pledge.kind != Funding.Kind.PLEDGED:
        return "kind", f"it records money {pledge.get_kind_display().lower()}, not pledged"
    pledged_for = linked(pledge, "policy")
    if policy is None or pledged_for is None:
        return None
    if pledged_for.jurisdiction_id != policy.jurisdiction_id:
        return "policy", (
            f"it was pledged for {pledged_for} ({pledged_for.jurisdiction}), and the "
            f"commitment's policy, {policy}, is of {policy.jurisdiction}"
        )
    return None


@require_publishable_text
class Event(Curated):
    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", "Announcement"
        ADOPTION = "adoption", "Adoption"
        LAUNCH = "launch", "Launch"
        REPORT = "report", "Report"
        SPEECH = "speech", "Speech"
        AGREEMENT = "agreement", "Agreement"
        INSTITUTION_FOUNDED = "institution_founded", "Institution founded"
        FUNDING_DECISION = "funding_decision", "Funding decision"
        CONFERENCE = "conference", "Conference"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=120)
    occurred_start, occurred_end = fuzzy_date_columns("date it happened")
    occurred = FuzzyDateProperty()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    place = models.CharField(
        max_length=200, blank=True, db_default="", help_text="Where it happened"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actors = models.ManyToManyField(Actor, blank=True, related_name="events")
    policies = models.ManyToManyField(Policy, blank=True, related_name="events")
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="events")
    wikidata_id = identifiers.wikidata_id()
    # Each version of an event records its links, so that revert can bring them back.
    _history_m2m_fields = ["actors", "policies", "commitments"]

    class Meta(Curated.Meta):
        permissions = [review_permission("event")]
        ordering = ["-occurred_start", "title"]
        indexes = [
            *Curated.Meta.indexes,
            # Timelines and feeds list developments by date.
            models.Index(fields=["occurred_start"], name="event_occurred_idx"),
            # The home page's latest developments.
            models.Index(fields=["-published_at", "-occurred_start"], name="event_latest_idx"),
        ]
        constraints = [
            unique_key("slug", "event"),
            *fuzzy_date_checks("event", "occurred", required=True),
        ]

    def __str__(self) -> str:
        return self.title


@require_publishable_text
class Estimate(Curated):
    class Kind(models.TextChoices):
        ACTUAL = "actual", "Actual"
        FORECAST = "forecast", "Forecast"

    slug = models.SlugField(max_length=120)
    measure = models.CharField(
        max_length=300, help_text="Competing estimates of one measure share this name"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="estimates"
    )
    value = models.DecimalField(**AMOUNT)
    value_high = models.DecimalField(**AMOUNT, null=True, blank=True, help_text="Only for a range")
    qualifier = models.CharField(max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT)
    currency = models.CharField(
        max_length=3,
        blank=True,
        validators=[CURRENCY],
        help_text="For money; leave empty for counts and shares",
    )
    unit = models.CharField(
        max_length=50, blank=True, help_text="For non-money figures: companies, %, rank"
    )
    period_start, period_end = fuzzy_date_columns("reference period")
    period = FuzzyDateProperty()
    publisher = models.CharField(max_length=300, blank=True, help_text="Who produced the figure")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACTUAL)

    composites = (
        Composite(
            "value", ("value", "value_high", "qualifier", "currency", "unit"), "value_display"
        ),
    )

    class Meta(Curated.Meta):
        permissions = [review_permission("estimate")]
        ordering = ["measure", "period_start"]
        indexes = [
            *Curated.Meta.indexes,
            # Competing estimates of one measure are shown side by side.
            models.Index(fields=["measure"], name="estimate_measure_idx"),
        ]
        constraints = [
            unique_key("slug", "estimate"),
            *fuzzy_date_checks("estimate", "period"),
            models.CheckConstraint(
                condition=(
                    Q(
                        qualifier=Qualifier.RANGE,
                        value_high__isnull=False,
                        value_high__gt=F("value"),
                    )
                )
                | (~Q(qualifier=Qualifier.RANGE) & Q(value_high__isnull=True)),
                name="estimate_range",
                violation_error_message="A range needs a high value above its low one; other qualifiers have none.",
            ),
            models.CheckConstraint(
                condition=Q(currency="") | Q(iso_code("currency")),
                name="estimate_currency_iso",
                violation_error_message="The currency must be an ISO 4217 code such as RUB, EUR or USD.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value_display}"

    @property
    def value_display(self) -> str:
        quantity = format_quantity(Decimal(self.value), self.value_high)
        prefix = PREFIXES[Qualifier(self.qualifier)]
        if self.currency:
            return f"{prefix}{self.currency} {quantity}"
        if self.unit.strip().lower() == "rank":  # a place in a ranking: "rank 29", not "29 rank"
            return f"{prefix}rank {quantity}"
        unit = "" if not self.unit else (self.unit if self.unit == "%" else f" {self.unit}")
        return f"{prefix}{quantity}{unit}"


class CommitmentStanding(models.Model):
    """Where a public commitment stands, stored: the public read model that the overview pages
    count and rank (`policies.readmodel` keeps it in step on every save and rebuilds it).

    One row per public commitment, none for any other. What depends on today (a due date
    passing, an assessment dated ahead becoming known) is not stored as a fact: `until` is the
    first day on which the stored standing may no longer hold, and readers derive afresh the
    few rows whose day has come.
    """

    commitment = models.OneToOneField(
        Commitment, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="+")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=500)
    due_start = models.DateField(null=True)
    due_end = models.DateField(null=True)
    # `scorecard.Standing` and `progress.Status` values.
    standing = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    slippage_days = models.IntegerField(null=True)
    # The evidence horizon as "start/end" in ISO dates, so that the database's MIN and MAX
    # order it as FuzzyDate does (by start, then end); NULL when nothing was checked.
    horizon = models.CharField(max_length=21, null=True)  # noqa: DJ001 (NULL sorts apart)
    # The stored standing holds from `since` (the day it was derived) until the day before
    # `until` (None: for good).
    since = models.DateField()
    until = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["jurisdiction", "standing"], name="standing_jurisdiction_idx"),
            models.Index(fields=["standing", "slippage_days"], name="standing_slippage_idx"),
            models.Index(fields=["due_end"], name="standing_due_idx"),
            models.Index(fields=["until"], name="standing_until_idx"),
            models.Index(fields=["since"], name="standing_since_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.standing}"
