"""A synthetic dataset for the benchmark: deterministic from a seed, written in bulk.

Rows are plain tuples with ids assigned here, so relations need no round trip: on PostgreSQL
each table is one `COPY ... FROM STDIN`, elsewhere `executemany` in batches. No model
instances, no history rows, no signals: the point is a large, realistic database in minutes.

Shapes follow the real data: a few very large policies (one with exactly `large_policy`
commitments, in a jurisdiction with exactly `large_jurisdiction` of them), many small ones
drawn from a heavy-tailed distribution, fuzzy dates of every precision, nested policies,
mostly published entries with a few drafts. Text comes from a small vocabulary, so a common
word ("digital") is everywhere and a rare one (`RARE_WORD`) in a handful of entries.
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from policies.models import (
    Actor,
    Assessment,
    Commitment,
    CommitmentStanding,
    Estimate,
    Event,
    Funding,
    Jurisdiction,
    Policy,
    PolicyActor,
)
from policies.progress import DELIVERED, Status
from policies.readmodel import rebuild_standings
from sources.models import Citation, Source
from tracker.api import stored
from tracker.api.models import StoredCommitment
from tracker.core import clock
from tracker.core.dates import FuzzyDate, Precision
from tracker.core.editorial import State, rebuild_visibility
from tracker.core.models import Transition

LARGE_POLICY_SLUG = "bench-large-policy"
LARGE_JURISDICTION_CODE = "BIG"
COMMON_WORD = "digital"
RARE_WORD = "quokka"
RARE_COUNT = 3  # entries of each searchable kind carrying the rare word
DRAFT_SHARE = 0.02
BATCH = 5000
CLOCK = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # created/updated stamps are fixed, not now()

WORDS = [
    "artificial",
    "intelligence",
    "national",
    "strategy",
    "research",
    "centre",
    "data",
    "platform",
    "computing",
    "infrastructure",
    "talent",
    "education",
    "university",
    "programme",
    "funding",
    "startup",
    "regulation",
    "standard",
    "ethics",
    "robotics",
    "automation",
    "cloud",
    "network",
    "security",
    "cyber",
    "healthcare",
    "transport",
    "energy",
    "agriculture",
    "industry",
    "export",
    "innovation",
    "laboratory",
    "supercomputer",
    "semiconductor",
    "training",
    "skills",
    "workforce",
    "pilot",
    "testbed",
    "public",
    "services",
    "procurement",
    "open",
    "government",
    "federal",
    "regional",
    "municipal",
    "cooperation",
    "partnership",
    "investment",
    "venture",
    "capital",
    "grant",
    "competition",
    "benchmark",
    "model",
    "language",
    "vision",
    "speech",
    "autonomous",
    "vehicle",
    "drone",
    "satellite",
    "quantum",
    "blockchain",
    "telecom",
    "broadband",
    "mobile",
    "fibre",
    "rollout",
    "coverage",
    "schools",
    "teachers",
    "hospitals",
    "diagnostics",
    "records",
    "registry",
    "identity",
    "payments",
    "banking",
    "finance",
    "tax",
    "customs",
    "logistics",
    "ports",
    "railways",
    "aviation",
    "defence",
    "manufacturing",
    "mining",
    "climate",
    "water",
    "forestry",
]
PRECISIONS = [Precision.DAY, Precision.MONTH, Precision.QUARTER, Precision.YEAR, Precision.DECADE]
PRECISION_WEIGHTS = [25, 25, 15, 30, 5]
CURRENCIES = ["RUB", "EUR", "USD", "CNY", "GBP", "INR"]


@dataclass(frozen=True)
class Scale:
    jurisdictions: int = 200
    actors: int = 2000
    sources: int = 1000
    policies: int = 10_000
    commitments: int = 100_000
    assessments: int = 300_000
    funding: int = 50_000
    events: int = 100_000
    estimates: int = 2000
    citations: int = 400_000
    large_policy: int = 500
    large_jurisdiction: int = 5000

    def times(self, factor: float) -> "Scale":
        """Every count multiplied by `factor` (at least what the shapes need)."""
        minimum = {"jurisdictions": 3, "policies": 10, "actors": 3, "sources": 3}
        return replace(
            self,
            **{
                f.name: max(minimum.get(f.name, 1), round(getattr(self, f.name) * factor))
                for f in fields(self)
            },
        )

    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self) if not f.name.startswith("large_"))


@dataclass
class Table:
    model: type
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[tuple]]
    count: int
    db_table: str = ""


def _span(value: FuzzyDate | None) -> tuple:
    return (value.start, value.end) if value else (None, None)


def _text(rng: random.Random, n: int, extra: str = "") -> str:
    words = rng.choices(WORDS, k=n)
    if extra:
        words.insert(rng.randrange(len(words) + 1), extra)
    return " ".join(words)


class World:
    """Generates every table's rows from one seed; ids start at 1 in every table."""

    def __init__(self, scale: Scale, seed: int = 8):
        self.scale = scale
        self.seed = seed

    def rng(self, name: str) -> random.Random:
        # One stream per table: a change to one table's rows leaves the others as they were.
        return random.Random(f"{self.seed}:{name}")

    # -- shared value makers ----------------------------------------------------------

    def fuzzy(self, rng: random.Random, first: int = 2010, last: int = 2034) -> FuzzyDate:
        precision = rng.choices(PRECISIONS, PRECISION_WEIGHTS)[0]
        day = dt.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))
        return FuzzyDate.of(precision, day)

    def fuzzy_after(self, rng: random.Random, after: dt.date, last: int = 2036) -> FuzzyDate:
        """A fuzzy date that ends on or after `after` (a due date after its pledge)."""
        while True:
            value = self.fuzzy(rng, after.year, max(after.year, last))
            if value.end >= after:
                return value

    def editorial(self, rng: random.Random, index: int, *, published: bool = False) -> tuple:
        """state, created_at, updated_at, published_at, version, review_note, withdrawn_reason."""
        draft = rng.random() < DRAFT_SHARE and not published
        state = State.DRAFT if draft else State.PUBLISHED
        stamp = CLOCK - dt.timedelta(minutes=index)
        return (state, stamp, stamp, stamp if state == State.PUBLISHED else None, 1, "", "")

    EDITORIAL = (
        "state",
        "created_at",
        "updated_at",
        "published_at",
        "version",
        "review_note",
        "withdrawn_reason",
    )

    # -- how entries are spread ------------------------------------------------------

    def policy_jurisdictions(self) -> list[int]:
        """The jurisdiction id of each policy (index 0 is policy 1, the large one, in BIG)."""
        s, rng = self.scale, self.rng("policy-jurisdiction")
        big_share = max(2, s.policies // 100)
        weights = [min(rng.paretovariate(1.1), 30) for _ in range(s.jurisdictions - 1)]
        others = rng.choices(range(2, s.jurisdictions + 1), weights, k=s.policies - big_share)
        return [1] * big_share + others

    def commitment_policies(self) -> list[int]:
        """The policy id of each commitment: exactly `large_policy` for policy 1, exactly
        `large_jurisdiction` in jurisdiction 1, a heavy tail elsewhere."""
        s, rng = self.scale, self.rng("commitment-policy")
        by_policy = self.policy_jurisdictions()
        big = [pid for pid, j in enumerate(by_policy, start=1) if j == 1 and pid != 1]
        rest = [pid for pid, j in enumerate(by_policy, start=1) if j != 1]
        in_big = max(0, s.large_jurisdiction - s.large_policy)
        owners = [1] * min(s.large_policy, s.commitments)
        if big:
            owners += rng.choices(big, k=min(in_big, s.commitments - len(owners)))
        weights = [min(rng.paretovariate(1.2), 40) for _ in rest]
        owners += rng.choices(rest, weights, k=max(0, s.commitments - len(owners)))
        return owners

    def rare_ids(self, name: str, count: int) -> set[int]:
        rng = self.rng(f"rare:{name}")
        return set(rng.sample(range(2, count + 1), min(RARE_COUNT, max(0, count - 1))))

    # -- the tables ------------------------------------------------------------------

    def jurisdictions(self) -> Iterator[tuple]:
        rng = self.rng("jurisdiction")
        for i in range(1, self.scale.jurisdictions + 1):
            code = LARGE_JURISDICTION_CODE if i == 1 else f"X{i:03d}"
            kind = rng.choices(["country", "bloc", "region", "city"], [85, 5, 7, 3])[0]
            yield (
                i,
                *self.editorial(rng, i, published=True),
                code,
                f"Jurisdiction {code}",
                kind,
                "",
            )

    def actors(self) -> Iterator[tuple]:
        rng = self.rng("actor")
        kinds = [k for k, _ in Actor.Kind.choices]
        for i in range(1, self.scale.actors + 1):
            name = f"{_text(rng, 2).title()} Agency {i}"
            yield (
                i,
                *self.editorial(rng, i),
                f"bench-actor-{i}",
                name,
                "",
                rng.choice(kinds),
                rng.randint(1, self.scale.jurisdictions),
                "",
                _text(rng, 12),
                "",
            )

    def sources(self) -> Iterator[tuple]:
        rng = self.rng("source")
        kinds = [k for k, _ in Source.Kind.choices]
        for i in range(1, self.scale.sources + 1):
            published = self.fuzzy(rng, 2015, 2026)
            yield (
                i,
                *self.editorial(rng, i),
                f"bench-source-{i}",
                rng.choice(kinds),
                f"Report on {_text(rng, 4)} {i}",
                "",
                [],
                "Bench Publisher",
                published.start,
                published.end,
                "",
                "",
                "",
                "",
                "en",
                "",
                "",
                "",
                "",
            )

    def policies(self) -> Iterator[tuple]:
        rng = self.rng("policy")
        kinds = [k for k, _ in Policy.Kind.choices]
        statuses = ["", *[k for k, _ in Policy.Lifecycle.choices]]
        rare = self.rare_ids("policy", self.scale.policies)
        first_of = {}
        for i, jurisdiction in enumerate(self.policy_jurisdictions(), start=1):
            # Policies nest: some sit inside an earlier policy of the same jurisdiction.
            parent = first_of.get(jurisdiction) if rng.random() < 0.3 else None
            first_of.setdefault(jurisdiction, i)
            announced = self.fuzzy(rng, 2012, 2025) if rng.random() < 0.8 else None
            adopted = self.fuzzy_after(rng, announced.start, 2026) if announced else None
            horizon = (self.fuzzy(rng, 2015, 2022), self.fuzzy(rng, 2024, 2035))
            title = (
                "Large national strategy for digital transformation"
                if i == 1
                else f"{_text(rng, 5, RARE_WORD if i in rare else '').capitalize()} plan {i}"
            )
            yield (
                i,
                # The large jurisdiction's entries are all public, so its page shows every one.
                *self.editorial(rng, i, published=jurisdiction == 1),
                LARGE_POLICY_SLUG if i == 1 else f"bench-policy-{i}",
                rng.choice(kinds),
                title,
                "",
                jurisdiction,
                parent,
                "Decree" if rng.random() < 0.5 else "",
                str(rng.randint(1, 999)),
                *_span(announced),
                *_span(adopted),
                horizon[0].start,
                horizon[0].end,
                horizon[1].start,
                horizon[1].end,
                rng.choice(statuses),
                _text(rng, 40),
                "",
                "",
                "",
            )

    def policy_actors(self) -> Iterator[tuple]:
        rng = self.rng("policy-actor")
        roles = [k for k, _ in PolicyActor.Role.choices]
        for i in range(1, self.scale.policies + 1):
            yield (i, i, rng.randint(1, self.scale.actors), rng.choice(roles))

    def commitments(self) -> Iterator[tuple]:
        rng = self.rng("commitment")
        kinds = [k for k, _ in Commitment.Kind.choices]
        rare = self.rare_ids("commitment", self.scale.commitments)
        in_large = {p for p, j in enumerate(self.policy_jurisdictions(), start=1) if j == 1}
        for i, policy in enumerate(self.commitment_policies(), start=1):
            pledged = self.fuzzy(rng, 2012, 2026) if rng.random() < 0.9 else None
            due = None
            if rng.random() < 0.85:
                due = self.fuzzy_after(rng, pledged.start) if pledged else self.fuzzy(rng)
            kind = rng.choice(kinds)
            metric = "Share of public services online" if kind == "quantitative_target" else ""
            common = COMMON_WORD if rng.random() < 0.3 else ""
            word = RARE_WORD if i in rare else common
            yield (
                i,
                *self.editorial(rng, i, published=policy in in_large),
                f"bench-commitment-{i}",
                policy,
                rng.randint(1, self.scale.actors) if rng.random() < 0.5 else None,
                *_span(pledged),
                _text(rng, 6, word).capitalize(),
                _text(rng, 25),
                *_span(due),
                kind,
                metric,
                "%" if metric else "",
                Decimal(rng.randint(0, 40)) if metric else None,
                Decimal(rng.randint(41, 100)) if metric else None,
            )

    def assessments(self) -> Iterator[tuple]:
        rng = self.rng("assessment")
        statuses = [s for s, _ in Status.choices]
        n = self.scale.commitments
        for i in range(1, self.scale.assessments + 1):
            # Every commitment of the large policy is judged; the rest at random.
            commitment = i if i <= min(n, self.scale.large_policy) else rng.randint(1, n)
            as_of = self.fuzzy(rng, 2016, 2026)
            status = rng.choice(statuses)
            delivered = None
            if status in DELIVERED and rng.random() < 0.8:
                delivered = self.fuzzy(rng, 2012, as_of.end.year)
                if delivered.start > as_of.end:
                    delivered = FuzzyDate.day(as_of.end.year, as_of.end.month, as_of.end.day)
            yield (
                i,
                *self.editorial(rng, i),
                f"bench-assessment-{i}",
                commitment,
                as_of.start,
                as_of.end,
                status,
                *_span(delivered),
                None,
                rng.choice(["government", "source", "curators"]),
                _text(rng, 15),
            )

    def funding(self) -> Iterator[tuple]:
        rng = self.rng("funding")
        kinds = [k for k, _ in Funding.Kind.choices]
        qualifiers = ["exact", "about", "more_than", "at_least", "up_to", "less_than", "range"]
        pledges = []
        for i in range(1, self.scale.funding + 1):
            kind = rng.choice(kinds)
            qualifier = rng.choice(qualifiers)
            amount = Decimal(rng.randint(1, 10_000)) * Decimal(1_000_000)
            high = amount * 2 if qualifier == "range" else None
            start = self.fuzzy(rng, 2015, 2026) if rng.random() < 0.8 else None
            end = self.fuzzy_after(rng, start.start, 2035) if start else None
            against = (
                rng.choice(pledges)
                if kind != "pledged" and pledges and rng.random() < 0.3
                else None
            )
            if kind == "pledged":
                pledges.append(i)
            yield (
                i,
                *self.editorial(rng, i),
                f"bench-funding-{i}",
                rng.randint(1, self.scale.policies) if rng.random() < 0.95 else None,
                kind,
                amount,
                high,
                rng.choice(CURRENCIES),
                qualifier,
                None,
                None,
                "",
                "exact",
                *_span(start),
                *_span(end),
                rng.randint(1, self.scale.actors) if rng.random() < 0.7 else None,
                rng.randint(1, self.scale.actors) if rng.random() < 0.3 else None,
                _text(rng, 10),
                against,
            )

    def events(self) -> Iterator[tuple]:
        rng = self.rng("event")
        kinds = [k for k, _ in Event.Kind.choices]
        rare = self.rare_ids("event", self.scale.events)
        for i in range(1, self.scale.events + 1):
            occurred = self.fuzzy(rng, 2012, 2026)
            yield (
                i,
                *self.editorial(rng, i),
                f"bench-event-{i}",
                occurred.start,
                occurred.end,
                rng.choice(kinds),
                _text(rng, 6, RARE_WORD if i in rare else "").capitalize(),
                _text(rng, 20),
                rng.randint(1, self.scale.jurisdictions) if rng.random() < 0.9 else None,
                "",
            )

    def event_links(self, name: str) -> Iterator[tuple]:
        """Rows of an event's M2M table: its policies (and, for some, commitments, actors)."""
        rng = self.rng(f"event-{name}")
        s, pk = self.scale, 0
        for event in range(1, s.events + 1):
            if name == "policies":
                # The large policy has a lane of its own developments.
                targets = {1} if event <= 50 else {rng.randint(1, s.policies)}
            elif name == "commitments" and rng.random() < 0.3:
                targets = {rng.randint(1, s.commitments)}
            elif name == "actors" and rng.random() < 0.3:
                targets = {rng.randint(1, s.actors)}
            else:
                continue
            for target in sorted(targets):
                pk += 1
                yield (pk, event, target)

    def estimates(self) -> Iterator[tuple]:
        rng = self.rng("estimate")
        for i in range(1, self.scale.estimates + 1):
            period = self.fuzzy(rng, 2015, 2030)
            yield (
                i,
                *self.editorial(rng, i),
                f"bench-estimate-{i}",
                f"Market size {i % 50}",
                rng.randint(1, self.scale.jurisdictions),
                Decimal(rng.randint(1, 1000)),
                None,
                "about",
                "USD",
                "",
                period.start,
                period.end,
                "Bench Analytics",
                rng.choice(["actual", "forecast"]),
            )

    def citations(self, content_types: dict[str, int]) -> Iterator[tuple]:
        rng = self.rng("citation")
        s = self.scale
        kinds = [
            ("commitment", s.commitments, 40),
            ("assessment", s.assessments, 25),
            ("event", s.events, 15),
            ("funding", s.funding, 10),
            ("policy", s.policies, 9),
            ("estimate", s.estimates, 1),
        ]
        labels, counts, weights = zip(*kinds, strict=True)
        rare = self.rare_ids("citation", s.citations)
        for i in range(1, s.citations + 1):
            # The large policy's commitments all carry a citation, as curated ones do.
            if i <= min(s.large_policy, s.commitments):
                label, count = "commitment", i
            else:
                k = rng.choices(range(len(labels)), weights)[0]
                label, count = labels[k], rng.randint(1, counts[k])
            yield (
                i,
                rng.randint(1, s.sources),
                content_types[label],
                count,
                str(rng.randint(1, 300)),
                "",
                "",
                _text(rng, 30, RARE_WORD if i in rare else ""),
                "",
                rng.randint(0, 3),
                CLOCK,
                CLOCK,
            )

    def tables(self) -> list[Table]:
        s = self.scale
        editorial = ("id", *self.EDITORIAL)
        content_types = {
            label: ContentType.objects.get_for_model(model).pk
            for label, model in [
                ("commitment", Commitment),
                ("assessment", Assessment),
                ("event", Event),
                ("funding", Funding),
                ("policy", Policy),
                ("estimate", Estimate),
            ]
        }
        m2m = {
            name: Event._meta.get_field(name).remote_field.through
            for name in ("policies", "commitments", "actors")
        }
        tables = [
            Table(
                Jurisdiction,
                (*editorial, "code", "name", "kind", "wikidata_id"),
                self.jurisdictions,
                s.jurisdictions,
            ),
            Table(
                Actor,
                (
                    *editorial,
                    "slug",
                    "name",
                    "name_original",
                    "kind",
                    "jurisdiction_id",
                    "url",
                    "description",
                    "wikidata_id",
                ),
                self.actors,
                s.actors,
            ),
            Table(
                Source,
                (
                    *editorial,
                    "slug",
                    "kind",
                    "title",
                    "subtitle",
                    "authors",
                    "publisher",
                    "published_start",
                    "published_end",
                    "url",
                    "doi",
                    "isbn",
                    "series",
                    "language",
                    "rights",
                    "archived_url",
                    "how_to_cite",
                    "wikidata_id",
                ),
                self.sources,
                s.sources,
            ),
            Table(
                Policy,
                (
                    *editorial,
                    "slug",
                    "kind",
                    "title",
                    "title_original",
                    "jurisdiction_id",
                    "parent_id",
                    "instrument",
                    "instrument_number",
                    "announced_start",
                    "announced_end",
                    "adopted_start",
                    "adopted_end",
                    "horizon_start_start",
                    "horizon_start_end",
                    "horizon_end_start",
                    "horizon_end_end",
                    "status",
                    "summary",
                    "oecd_id",
                    "wikidata_id",
                    "legal_act_url",
                ),
                self.policies,
                s.policies,
            ),
            Table(
                PolicyActor, ("id", "policy_id", "actor_id", "role"), self.policy_actors, s.policies
            ),
            Table(
                Commitment,
                (
                    *editorial,
                    "slug",
                    "policy_id",
                    "pledged_by_id",
                    "pledged_start",
                    "pledged_end",
                    "title",
                    "description",
                    "due_start",
                    "due_end",
                    "kind",
                    "metric",
                    "unit",
                    "baseline_value",
                    "target_value",
                ),
                self.commitments,
                s.commitments,
            ),
            Table(
                Assessment,
                (
                    *editorial,
                    "slug",
                    "commitment_id",
                    "as_of_start",
                    "as_of_end",
                    "status",
                    "delivered_start",
                    "delivered_end",
                    "actual_value",
                    "judged_by",
                    "summary",
                ),
                self.assessments,
                s.assessments,
            ),
            Table(
                Funding,
                (
                    *editorial,
                    "slug",
                    "policy_id",
                    "kind",
                    "amount",
                    "amount_high",
                    "currency",
                    "qualifier",
                    "stated_amount",
                    "stated_amount_high",
                    "stated_currency",
                    "stated_qualifier",
                    "period_start_start",
                    "period_start_end",
                    "period_end_start",
                    "period_end_end",
                    "funder_id",
                    "recipient_id",
                    "purpose",
                    "delivers_against_id",
                ),
                self.funding,
                s.funding,
            ),
            Table(
                Event,
                (
                    *editorial,
                    "slug",
                    "occurred_start",
                    "occurred_end",
                    "kind",
                    "title",
                    "description",
                    "jurisdiction_id",
                    "wikidata_id",
                ),
                self.events,
                s.events,
            ),
            Table(
                m2m["policies"],
                ("id", "event_id", "policy_id"),
                lambda: self.event_links("policies"),
                s.events,
            ),
            Table(
                m2m["commitments"],
                ("id", "event_id", "commitment_id"),
                lambda: self.event_links("commitments"),
                s.events * 3 // 10,
            ),
            Table(
                m2m["actors"],
                ("id", "event_id", "actor_id"),
                lambda: self.event_links("actors"),
                s.events * 3 // 10,
            ),
            Table(
                Estimate,
                (
                    *editorial,
                    "slug",
                    "measure",
                    "jurisdiction_id",
                    "value",
                    "value_high",
                    "qualifier",
                    "currency",
                    "unit",
                    "period_start",
                    "period_end",
                    "publisher",
                    "kind",
                ),
                self.estimates,
                s.estimates,
            ),
            Table(
                Citation,
                (
                    "id",
                    "source_id",
                    "content_type_id",
                    "object_id",
                    "page",
                    "section",
                    "footnote",
                    "quote",
                    "note",
                    "position",
                    "created_at",
                    "updated_at",
                ),
                lambda: self.citations(content_types),
                s.citations,
            ),
        ]
        for table in tables:
            table.db_table = table.model._meta.db_table
        return tables


# -- writing ---------------------------------------------------------------------------


def _converters(model, columns: tuple[str, ...]):
    """Per-column functions turning Python values into what the backend's driver takes."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    converters = []
    for name in columns:
        field = by_attname[name]
        if connection.vendor == "postgresql" and field.get_internal_type() != "JSONField":
            converters.append(None)  # COPY takes dates, datetimes and decimals as they are
        else:
            converters.append(lambda value, f=field: f.get_db_prep_value(value, connection))
    return converters


def _prepared(rows: Iterable[tuple], converters) -> Iterator[tuple]:
    if all(c is None for c in converters):
        yield from rows
        return
    for row in rows:
        yield tuple(
            value if convert is None or value is None else convert(value)
            for value, convert in zip(row, converters, strict=True)
        )


def _write(table: Table, progress: Callable[[str], None]) -> int:
    quote = connection.ops.quote_name
    names = [
        {f.attname: f.column for f in table.model._meta.concrete_fields}[c] for c in table.columns
    ]
    column_list = ", ".join(quote(n) for n in names)
    rows = _prepared(table.rows(), _converters(table.model, table.columns))
    written, started = 0, time.monotonic()

    def report(done: bool = False):
        rate = written / max(time.monotonic() - started, 1e-9)
        progress(
            f"  {table.db_table:<32} {written:>9,} rows  {rate:>9,.0f} rows/s{'' if done else ' …'}"
        )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {quote(table.db_table)} ({column_list}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
                    if written % 100_000 == 0:
                        report()
        else:
            marks = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {quote(table.db_table)} ({column_list}) VALUES ({marks})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
                    if written % 100_000 == 0:
                        report()
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
    report(done=True)
    return written


def _reset_sequences(models) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def is_empty() -> bool:
    return not (Policy.objects.exists() or Commitment.objects.exists() or Source.objects.exists())


def clear() -> None:
    """Delete every curated entry (and their history, and the read model's standings and
    stored commitments); users and groups stay."""
    models = [
        StoredCommitment,
        CommitmentStanding,
        Citation,
        Event.commitments.through,
        Event.policies.through,
        Event.actors.through,
        Estimate,
        Event,
        Assessment,
        Commitment,
        Funding,  # after the commitments that track a pledge
        PolicyActor,
        Policy,
        Actor,
        Source,
        Jurisdiction,
        Transition,
    ]
    history = [m.history.model for m in models if hasattr(m, "history")]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models + history)
            # Rows written in the same transaction leave foreign-key checks pending, which
            # TRUNCATE refuses: check them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY")
        else:
            for model in models + history:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def generate(scale: Scale, *, seed: int = 8, progress: Callable[[str], None] = print) -> dict:
    """Write the whole synthetic dataset in one transaction; returns rows written per table."""
    world = World(scale, seed)
    written = {}
    with transaction.atomic():
        for table in world.tables():
            written[table.db_table] = _write(table, progress)
        _reset_sequences([t.model for t in world.tables()])
        # Rows written with COPY bypass the write path: the read model is built from scratch.
        progress(f"  visibility stored: {rebuild_visibility():,} entries public")
        progress(f"  standings stored: {rebuild_standings(today=clock.today()):,} commitments")
        progress(f"  commitments stored as shown: {stored.rebuild(today=clock.today()):,}")
    with connection.cursor() as cursor:
        # Fresh statistics, or the planner guesses from an empty table; on PostgreSQL the rows
        # the read model's rebuild rewrote are vacuumed away too (twice the table otherwise),
        # unless a caller's transaction is open (a test), where VACUUM cannot run.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return written


def is_bench_only() -> bool:
    """True when every policy and source is the benchmark's (so clearing loses nothing else)."""
    return not (
        Policy.objects.exclude(slug__startswith="bench-").exists()
        or Source.objects.exclude(slug__startswith="bench-").exists()
    )
