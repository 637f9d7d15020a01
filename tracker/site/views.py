"""The public pages: thin views over `policies.selectors` querysets and pure builders."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Count, F, Model, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django_filters import FilterSet

from policies import filters, links, measures, readmodel, selectors
from policies.models import (
    Assessment,
    Commitment,
    CommitmentStanding,
    Event,
    Funding,
    Jurisdiction,
    Policy,
    normalise_code,
)
from policies.progress import METHODOLOGY_VERSION, Progress, Status
from policies.scorecard import LABELS as STANDING_LABELS
from policies.scorecard import card_for, standing_of
from policies.standings import (
    Counted,
    by_due,
    by_jurisdiction,
    entries_of,
    progress_of_all,
    verdicts_of,
    with_progress,
)
from policies.timeline import NARROW, CommitmentLine, EventMark, Timeline, build_timeline
from sources.filters import SourceFilter
from sources.models import Citation, Source
from sources.reading import Cited, reading, texts_are_public
from tracker.core import clock
from tracker.core.dates import FuzzyDate
from tracker.core.editorial import Curated
from tracker.site import citing
from tracker.site.home import cards_by_jurisdiction, home_context, with_scorecards
from tracker.site.pages import (
    bad_request,
    entry_or_404,
    honours_as_of,
    parse_as_of,
    public_page,
)
from tracker.site.search import KINDS, SearchForm, site_search

PER_PAGE = 50


# Every stored event and assessment has its date (the checks event_occurred_required and
# assessment_as_of_required); the fuzzy-date property is typed for the optional dates too.
def occurred(event: Event) -> FuzzyDate:
    when = event.occurred
    assert when is not None
    return when


def assessed(assessment: Assessment) -> FuzzyDate:
    when = assessment.as_of
    assert when is not None
    return when


def timeline_for(
    commitments: Iterable[Commitment],
    progress: Mapping[int, Progress],
    events: Iterable[Event],
    *,
    on: dt.date,
    as_of: bool,
) -> dict[str, Timeline]:
    """The chart of `commitments` (each with its `progress`, by id) and `events`, laid out for
    a screen ("timeline") and for a phone ("narrow_timeline"): the page holds both, and its
    width shows one."""
    lines = [
        CommitmentLine(
            title=c.title,
            url=links.entry_url(c),
            pledged=c.pledged,
            due=c.due,
            progress=progress[c.pk],
        )
        for c in commitments
    ]
    marks = [EventMark(e.title, links.entry_url(e), occurred(e)) for e in events]
    return {
        "timeline": build_timeline(lines, today=on, events=marks, as_of=as_of),
        "narrow_timeline": build_timeline(
            lines, today=on, events=marks, as_of=as_of, layout=NARROW
        ),
    }


# A page lists this many funding entries of each kind at most, in the funding list's own
# order; the funding list, filtered the same way, holds every one.
FUNDING_ROWS = 20


class FundingGroup(NamedTuple):
    """The funding of one kind a page lists: the first `items` of `total`, and the funding
    list's query string that holds them all."""

    label: str
    items: list[Funding]
    total: int
    query: str


def funding_by_kind(entries: QuerySet[Funding], *, within: Mapping[str, str]) -> list[FundingGroup]:
    """Funding grouped as pledged, allocated, spent, the first FUNDING_ROWS of each kind; amounts
    stay in the sources' currencies. `within` is the funding list's filter that selects
    `entries` (a policy, a jurisdiction), for the link to all of a kind. Two queries however
    many there are (one when there are none)."""
    totals = dict(entries.order_by().values_list("kind").annotate(n=Count("pk")))
    if not totals:
        return []
    order = [str(name) for name in Funding._meta.ordering or ()]  # the funding list's order
    first = entries.annotate(
        place=Window(RowNumber(), partition_by=F("kind"), order_by=order)
    ).filter(place__lte=FUNDING_ROWS)
    grouped: dict[str, list[Funding]] = defaultdict(list)
    for entry in first.order_by(*order):
        grouped[entry.kind].append(entry)
    return [
        FundingGroup(label, grouped[kind], totals[kind], urlencode({**within, "kind": kind}))
        for kind, label in Funding.Kind.choices
        if totals.get(kind)
    ]


Dated = tuple[FuzzyDate, str, Event | Assessment]


class Moment(NamedTuple):
    """Where one event or assessment stands in a policy's chronology, read before the entry
    itself: oldest first, events before assessments of the same date, events by title."""

    start: dt.date
    end: dt.date
    rank: int  # 0 for an event, 1 for an assessment
    title: str
    pk: int


def moments_of(events: QuerySet[Event], assessments: QuerySet[Assessment]) -> list[Moment]:
    """The chronology of `events` and `assessments` as moments, in order: two queries of plain
    values, however many there are."""
    moments = [
        Moment(start, end, 0, title, pk)
        for pk, start, end, title in events.values_list(
            "pk", "occurred_start", "occurred_end", "title"
        )
    ]
    moments += [
        Moment(start, end, 1, "", pk)
        for pk, start, end in assessments.values_list("pk", "as_of_start", "as_of_end")
    ]
    return sorted(moments)


def nearest_events(moments: Iterable[Moment], *, on: dt.date, limit: int) -> list[int]:
    """The ids of the `limit` events of `moments` nearest to `on`."""
    events = [m for m in moments if m.rank == 0]
    nearest = sorted(events, key=lambda m: (max(m.start - on, on - m.end, dt.timedelta()), m))
    return [m.pk for m in nearest[:limit]]


def chronology(
    moments: Iterable[Moment], events: Mapping[int, Event], assessments: Mapping[int, Assessment]
) -> list[Dated]:
    """The entries behind `moments` (read by id into `events` and `assessments`), in their
    order, each as (date, kind, entry)."""
    items: list[Dated] = []
    for moment in moments:
        if moment.rank == 0:
            items.append((occurred(events[moment.pk]), "event", events[moment.pk]))
        else:
            entry = assessments[moment.pk]
            items.append((assessed(entry), "assessment", entry))
    return items


def list_page[M: Model](
    request: HttpRequest,
    *,
    filterset_class: type[FilterSet],
    queryset: QuerySet[M],
    template: str,
    prepare: Callable[[list[M]], object] | None = None,
    beside: Callable[[list[M]], Mapping[str, object]] | None = None,
) -> HttpResponse:
    """A page of `queryset` filtered by `filterset_class`; `prepare` completes the items, and
    `beside` gives what the template shows with them (the estimates list: its groups)."""
    filterset = filterset_class(data=request.GET or None, queryset=queryset)
    context: dict[str, object] = {"filterset": filterset}
    if filterset.is_bound and not filterset.is_valid():
        return bad_request(request, template, {**context, "page": None}, filterset.errors)
    paginator: Paginator[M] = Paginator(filterset.qs, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    items = list(page.object_list)
    page.object_list = items
    if prepare:
        prepare(items)
    if beside:
        context.update(beside(items))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        page=page,
        query=query.urlencode(),
        downloads=downloads(queryset.model._meta.label_lower.partition(".")[2], query.urlencode()),
    )
    return render(request, template, context)


def downloads(name: str, query: str = "") -> dict[str, str]:
    """The API list and the CSV and JSON Lines exports of the entries of the model `name`
    ("commitment"), filtered by `query` (a public list's filters are the API's: the same
    FilterSet)."""
    suffix = f"?{query}" if query else ""
    return {
        "csv": reverse(f"api:{name}-export-csv") + suffix,
        "jsonl": reverse(f"api:{name}-export-jsonl") + suffix,
        "api": reverse(f"api:{name}-list") + suffix,
    }


@public_page
def data(request: HttpRequest) -> HttpResponse:
    """Where the published data is: each kind's exports and API list, the data package and
    its licence, the API's documentation and the feeds."""
    kinds = [(label, downloads(name)) for name, label in links.KIND_LABELS.items()]
    return render(
        request, "tracker/data.html", {"kinds": kinds, "licenses": settings.DATASET_LICENSES}
    )


@public_page
def feed_list(request: HttpRequest) -> HttpResponse:
    """Every Atom feed: the site's, each published country's, and each published policy's, a
    page of PER_PAGE policies at a time."""
    policies = selectors.policies().select_related("jurisdiction").order_by("title", "pk")
    page = Paginator(policies.only("slug", "title", "jurisdiction__code"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    jurisdictions = selectors.jurisdictions().only("code", "name").order_by("name")
    return render(request, "tracker/feeds.html", {"jurisdictions": jurisdictions, "page": page})


@public_page
def methodology(request: HttpRequest) -> HttpResponse:
    """How statuses are derived, with the vocabulary read from the code that applies it."""
    return render(
        request,
        "tracker/methodology.html",
        {
            "statuses": Status.choices,
            "standings": list(STANDING_LABELS.items()),
            "judges": Assessment.JudgedBy.choices,
            "confidences": Assessment.Confidence.choices,
            "version": METHODOLOGY_VERSION,
        },
    )


@public_page
def policy_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        filterset_class=filters.PolicyFilter,
        queryset=selectors.policies().select_related("jurisdiction"),
        template="policies/policy_list.html",
    )


def parse_page(value: str | None) -> tuple[int, str | None]:
    """The page number from the query string (1 when none is given), or an error message."""
    if not value:
        return 1, None
    # Nine digits at most: Python refuses to read a number of thousands of digits.
    if value.isascii() and value.isdigit() and len(value) <= 9 and int(value) >= 1:
        return int(value), None
    return 1, f"{value[:40]!r} is not a page number; write a whole number from 1, e.g. 2."


def page_of[T](items: Sequence[T], number: int) -> Page[T]:
    """Page `number` of `items`, PER_PAGE a page; a page past the last is a 404."""
    paginator = Paginator(items, PER_PAGE)
    try:
        return paginator.page(number)
    except EmptyPage:
        raise Http404(f"There is no page {number}: there are {paginator.num_pages}.") from None


def as_known_on(
    policy: Policy, as_of: dt.date | None
) -> tuple[QuerySet[Commitment], QuerySet[Event]]:
    """A policy's commitments and events as known on `as_of`: nothing pledged or happening
    later (the verdicts known then are `progress`'s to pick). Everything when `as_of` is None."""
    commitments = selectors.commitments_bare().filter(policy=policy)
    # Values only: the optional links the selector prefetches are not shown.
    events = selectors.events().filter(policies=policy).prefetch_related(None)
    if as_of is None:
        return commitments, events
    return commitments.exclude(pledged_start__gt=as_of), events.filter(occurred_start__lte=as_of)


def policy_chart(
    commitments: QuerySet[Commitment], *, on: dt.date
) -> tuple[list[Counted], list[Commitment], dict[int, Progress]]:
    """Every commitment's progress as of `on`, for the scorecard; and the TIMELINE_ROWS due
    nearest to `on` as entries (in due order) with their progress by id, for the chart."""
    everything = progress_of_all(commitments, on=on)
    nearest = nearest_due(everything, today=on, limit=TIMELINE_ROWS)
    (drawn,) = entries_of(nearest)
    return everything, sorted(drawn, key=by_due), {c.id: c.current for c in nearest}


def policy_context(
    policy: Policy, *, on: dt.date, as_of: dt.date | None, page: int = 1
) -> dict[str, object]:
    """A policy's page as known on `on` (today, or the "as of" day), with page `page` of its
    chronology: whatever the number of commitments, the page draws at most TIMELINE_ROWS of
    them and PER_PAGE events and assessments, and counts them all."""
    commitments, events = as_known_on(policy, as_of)
    everything, drawn, progress = policy_chart(commitments, on=on)
    assessments = selectors.assessments().filter(commitment__in=commitments, as_of_start__lte=on)
    moments = moments_of(events, assessments)
    shown = page_of(moments, page)
    marked = nearest_events(moments, on=on, limit=TIMELINE_ROWS)
    wanted = {m.pk for m in shown if m.rank == 0} | set(marked)
    by_id = events.in_bulk(wanted)
    judged = assessments.select_related("commitment").in_bulk([m.pk for m in shown if m.rank])
    items = chronology(shown, by_id, judged)
    selectors.attach_citations([policy, *(entry for _, _, entry in items)])
    marks = [by_id[pk] for pk in marked]
    return {
        "policy": policy,
        "parent": policy.parent,
        "children": list(selectors.policies().filter(parent=policy)),
        "roles": list(selectors.policy_roles().filter(policy=policy)),
        "commitments": drawn,
        "commitment_count": len(everything),
        "scorecard": card_for(everything),
        "funding": funding_by_kind(
            selectors.funding().filter(policy=policy), within={"policy": policy.slug}
        ),
        **timeline_for(drawn, progress, marks, on=on, as_of=bool(as_of)),
        "event_count": sum(1 for m in moments if m.rank == 0),
        "chronology": items,
        "chronology_page": shown,
        "as_of": as_of,
        "feed_url": f"{links.entry_url(policy)}feed/",
    }


@public_page
@honours_as_of
def policy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    as_of, as_of_error = parse_as_of(request.GET.get("as_of"))
    number, page_error = parse_page(request.GET.get("page"))
    policy = entry_or_404(request, selectors.policies().select_related("jurisdiction"), slug=slug)
    today = clock.today()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **policy_context(policy, on=as_of or today, as_of=as_of, page=number),
        "today": today,
        "query": query.urlencode(),
    }
    given = (("__all__", as_of_error), ("page", page_error))
    errors = {name: [problem] for name, problem in given if problem}
    if errors:
        return bad_request(request, "policies/policy_detail.html", context, errors)
    return render(request, "policies/policy_detail.html", context)


@public_page
def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    cards = cards_by_jurisdiction(today=clock.today())
    jurisdictions = with_scorecards(list(selectors.jurisdictions()), cards)
    return render(request, "policies/jurisdiction_list.html", {"jurisdictions": jurisdictions})


# A jurisdiction's or a policy's chart draws this many commitments at most: those due nearest
# to today (or the policy's "as of" day). Thousands of rows make a chart nobody can read (and a
# page of megabytes); the commitment list pages through every one.
TIMELINE_ROWS = 100


def nearest_due(everything: Iterable[Counted], *, today: dt.date, limit: int) -> list[Counted]:
    """The `limit` commitments due nearest to `today` (those without a due date last)."""
    return sorted(
        everything,
        key=lambda s: (s.due is None, abs((s.due.end - today).days) if s.due else 0, s.id),
    )[:limit]


class Chart(NamedTuple):
    """What a jurisdiction's or a policy's chart draws: its commitments (in due order) with
    their progress by id, and the events it marks; and how many of each there are in all."""

    commitments: list[Commitment]
    progress: dict[int, Progress]
    marks: list[Event]
    event_count: int


def jurisdiction_chart(jurisdiction: Jurisdiction, *, today: dt.date) -> Chart:
    """The TIMELINE_ROWS commitments due nearest today, and the events nearest it."""
    rows = CommitmentStanding.objects.filter(jurisdiction=jurisdiction)
    near = readmodel.nearest_due_candidates(rows, today=today, limit=TIMELINE_ROWS)
    nearest = nearest_due(
        progress_of_all(selectors.commitments_bare().filter(pk__in=near), on=today),
        today=today,
        limit=TIMELINE_ROWS,
    )
    (shown,) = entries_of(nearest)
    # The chart marks the TIMELINE_ROWS events nearest today, as a policy's chart does.
    events = selectors.events().filter(jurisdiction=jurisdiction).prefetch_related(None)
    moments = moments_of(events, Assessment.objects.none())
    marked = nearest_events(moments, on=today, limit=TIMELINE_ROWS)
    by_id = events.in_bulk(marked)
    return Chart(
        sorted(shown, key=by_due),
        {c.id: c.current for c in nearest},
        [by_id[pk] for pk in marked],
        len(moments),
    )


def policy_timeline(policy: Policy, *, on: dt.date, as_of: dt.date | None) -> Chart:
    """The chart of a policy's page as known on `on`, without the rest of the page."""
    commitments, events = as_known_on(policy, as_of)
    _, drawn, progress = policy_chart(commitments, on=on)
    moments = moments_of(events, Assessment.objects.none())
    marked = nearest_events(moments, on=on, limit=TIMELINE_ROWS)
    by_id = events.in_bulk(marked)
    return Chart(drawn, progress, [by_id[pk] for pk in marked], len(moments))


@public_page
def jurisdiction_detail(request: HttpRequest, code: str) -> HttpResponse:
    jurisdiction = entry_or_404(request, selectors.jurisdictions(), code__iexact=code)
    today = clock.today()
    policies = list(selectors.policies().filter(jurisdiction=jurisdiction))
    rows = CommitmentStanding.objects.filter(jurisdiction=jurisdiction)
    card = readmodel.scorecard_of(rows, today=today)
    chart = jurisdiction_chart(jurisdiction, today=today)
    commitments, progress, marks = chart.commitments, chart.progress, chart.marks
    estimates = measures.by_measure(
        selectors.estimates_by_measure().filter(jurisdiction=jurisdiction)
    )
    money = filters.FundingFilter(
        data={"jurisdiction": jurisdiction.code}, queryset=selectors.funding()
    ).qs
    selectors.attach_citations([jurisdiction])
    return render(
        request,
        "policies/jurisdiction_detail.html",
        {
            "jurisdiction": jurisdiction,
            "policies": policies,
            "commitments": commitments,
            "commitment_count": card.total,
            "scorecard": card,
            **timeline_for(commitments, progress, marks, on=today, as_of=False),
            "event_count": chart.event_count,
            "actors": list(selectors.actors().filter(jurisdiction=jurisdiction)),
            "funding": funding_by_kind(money, within={"jurisdiction": jurisdiction.code}),
            "estimates": estimates,
            "feed_url": f"{links.entry_url(jurisdiction)}feed/",
        },
    )


@public_page
def commitment_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        filterset_class=filters.CommitmentFilter,
        queryset=selectors.commitments(),
        template="policies/commitment_list.html",
        prepare=lambda items: with_progress(
            items,
            verdicts=selectors.published_verdicts(c.pk for c in items),
            on=clock.today(),
        ),
    )


@public_page
@honours_as_of
def commitment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A commitment, its assessments, the events that concern it and its status: as known
    today, or on the `as_of` day (nothing assessed or happening later)."""
    as_of, as_of_error = parse_as_of(request.GET.get("as_of"))
    commitment = entry_or_404(request, selectors.commitments(), slug=slug)
    today = clock.today()
    on = as_of or today
    assessments = [
        a
        for a in selectors.published_assessments([commitment.pk])[commitment.pk]
        if as_of is None or a.as_of_start <= as_of
    ]
    progress = with_progress(
        [commitment], verdicts=verdicts_of({commitment.pk: assessments}), on=on
    )
    happened = selectors.events().filter(commitments=commitment).order_by("occurred_start")
    if as_of is not None:
        happened = happened.filter(occurred_start__lte=as_of)
    events = list(happened)
    selectors.attach_citations([commitment, *assessments, *events])
    context = {
        "commitment": commitment,
        "commitments": [commitment],
        "assessments": assessments,
        "events": events,
        **timeline_for([commitment], progress, [], on=on, as_of=bool(as_of)),
        "standing": standing_of(progress[commitment.pk], due=commitment.due),
        "as_of": as_of,
        "today": today,
    }
    if as_of_error:
        return bad_request(
            request, "policies/commitment_detail.html", context, {"__all__": [as_of_error]}
        )
    return render(request, "policies/commitment_detail.html", context)


@public_page
def event_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        filterset_class=filters.EventFilter,
        queryset=selectors.events(),
        template="policies/event_list.html",
    )


@public_page
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = entry_or_404(
        request, selectors.events().prefetch_related(*selectors.event_relations()), slug=slug
    )
    selectors.attach_citations([event])
    return render(request, "policies/event_detail.html", {"event": event})


def trackers_of(entries: Iterable[Funding]) -> dict[int, list[Commitment]]:
    """The public commitments that track each of `entries` (a pledge, or none), by funding id,
    earliest due first, each with its `current` progress from its published verdicts: two
    queries for a page of entries, none for an empty one."""
    tracking = sorted(
        selectors.commitments_bare().filter(funding__in=[e.pk for e in entries]), key=by_due
    )
    with_progress(
        tracking,
        verdicts=selectors.published_verdicts(c.pk for c in tracking),
        on=clock.today(),
    )
    found: defaultdict[int, list[Commitment]] = defaultdict(list)
    for commitment in tracking:
        assert commitment.funding_id is not None  # filtered on it
        found[commitment.funding_id].append(commitment)
    return found


@public_page
def funding_list(request: HttpRequest) -> HttpResponse:
    def rows(items: list[Funding]) -> dict[str, object]:
        tracking = trackers_of(items)
        return {"rows": [(entry, tracking.get(entry.pk, [])) for entry in items]}

    return list_page(
        request,
        filterset_class=filters.FundingFilter,
        queryset=selectors.funding(),
        template="policies/funding_list.html",
        beside=rows,
    )


@public_page
def funding_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = entry_or_404(request, selectors.funding(), slug=slug)
    deliveries = list(selectors.funding().filter(delivers_against=entry))
    selectors.attach_citations([entry])
    return render(
        request,
        "policies/funding_detail.html",
        {
            "funding": entry,
            "against": entry.delivers_against,
            "deliveries": deliveries,
            "tracked_as": trackers_of([entry]).get(entry.pk, []),
        },
    )


@public_page
def actor_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        filterset_class=filters.ActorFilter,
        queryset=selectors.actors(),
        template="policies/actor_list.html",
    )


@public_page
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = entry_or_404(request, selectors.actors(), slug=slug)
    commitments = sorted(selectors.commitments().filter(pledged_by=actor), key=by_due)
    with_progress(
        commitments,
        verdicts=selectors.published_verdicts(c.pk for c in commitments),
        on=clock.today(),
    )
    selectors.attach_citations([actor])
    return render(
        request,
        "policies/actor_detail.html",
        {
            "actor": actor,
            "roles": list(
                selectors.policy_roles()
                .filter(actor=actor, policy__in=selectors.policies())
                .select_related("policy__jurisdiction")
            ),
            "commitments": commitments,
            "given": list(selectors.funding().filter(funder=actor)),
            "received": list(selectors.funding().filter(recipient=actor)),
            "events": list(selectors.events().filter(actors=actor).order_by("occurred_start")),
        },
    )


@public_page
def estimate_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        filterset_class=filters.EstimateFilter,
        queryset=selectors.estimates_by_measure(),
        template="policies/estimate_list.html",
        beside=lambda items: {"groups": measures.by_measure(items)},
    )


@public_page
def estimate_detail(request: HttpRequest, slug: str) -> HttpResponse:
    estimate = entry_or_404(request, selectors.estimates(), slug=slug)
    # The measure narrows the query (it is indexed); `compare` decides which figures compare.
    others = selectors.estimates_by_measure().filter(measure=estimate.measure)
    comparison = measures.compare(estimate, others.exclude(pk=estimate.pk))
    selectors.attach_citations([estimate])
    return render(
        request,
        "policies/estimate_detail.html",
        {
            "estimate": estimate,
            "yardstick": measures.yardstick(estimate),
            "competing": comparison.rivals,
            "elsewhere": comparison.elsewhere,
        },
    )


def most_committed(count: int) -> list[str]:
    """The codes of the `count` jurisdictions with the most commitments on record."""
    rows = (
        selectors.commitments_bare()
        .values("policy__jurisdiction__code")
        .annotate(n=Count("id"))
        .order_by("-n", "policy__jurisdiction__code")
    )
    return [row["policy__jurisdiction__code"] for row in rows[:count]]


NO_DEADLINE = "No deadline"


def by_due_year(
    commitments: Iterable[Counted], chosen: Sequence[Jurisdiction]
) -> list[tuple[str, list[list[Counted]]]]:
    """Rows by the year each commitment falls due (those without a deadline last), each with
    one cell (a list of commitments, the earliest due first) per jurisdiction of `chosen`."""
    rows: defaultdict[str, dict[int, list[Counted]]] = defaultdict(
        lambda: {j.pk: [] for j in chosen}
    )
    for c in commitments:
        if c.jurisdiction_id in {j.pk for j in chosen}:
            label = str(c.due.end.year) if c.due else NO_DEADLINE
            rows[label][c.jurisdiction_id].append(c)
    ordered = sorted(rows.items(), key=lambda item: (item[0] == NO_DEADLINE, item[0]))
    return [(label, [sorted(cells[j.pk], key=by_due) for j in chosen]) for label, cells in ordered]


# The compare page names this many commitments a year for each jurisdiction (the earliest due
# first) and links to the list of all the others: the two jurisdictions with the most
# commitments hold thousands, a page of megabytes nobody reads across.
COMPARE_CELL = 5
# And it compares this many jurisdictions at most: a column each.
COMPARE_MOST = 5


class Cell(NamedTuple):
    """What one jurisdiction's cell of a year shows: a few of its commitments, and where the
    list of them all is."""

    shown: list[Commitment]
    total: int
    everything_url: str


def cells_of(
    rows: list[tuple[str, list[list[Counted]]]], chosen: Sequence[Jurisdiction]
) -> list[tuple[str, list[Cell]]]:
    """`rows` with each cell's first COMPARE_CELL commitments read as entries (one query)."""
    named = entries_of(*(cell[:COMPARE_CELL] for _, cells in rows for cell in cells))
    shown = iter(named)
    base = reverse("commitment-list")
    result = []
    for label, cells in rows:
        year = {} if label == NO_DEADLINE else {"due_year": label}
        result.append(
            (
                label,
                [
                    Cell(
                        next(shown),
                        len(cell),
                        f"{base}?{urlencode({'jurisdiction': j.code, **year})}",
                    )
                    for j, cell in zip(chosen, cells, strict=True)
                ],
            )
        )
    return result


def chosen_jurisdictions(
    asked: list[str], available: Iterable[Jurisdiction]
) -> tuple[list[Jurisdiction], list[str]]:
    """The jurisdictions of `available` named by the codes `asked` (each once, in order),
    and the codes that name none; when none are asked, the two with the most commitments."""
    known = {j.code.upper(): j for j in available}
    codes = [normalise_code(code) for code in asked if code]
    unknown = [code for code in codes if code not in known]
    chosen = [known[code] for code in dict.fromkeys(codes or most_committed(2)) if code in known]
    return chosen, unknown


def compare_context(available: list[Jurisdiction], chosen: list[Jurisdiction]) -> dict[str, object]:
    everything = progress_of_all(
        selectors.commitments_bare().filter(policy__jurisdiction__in=chosen), on=clock.today()
    )
    groups = by_jurisdiction(everything)
    return {
        "available": available,
        "chosen": chosen,
        "rows": cells_of(by_due_year(everything, chosen), chosen),
        "scorecards": (cards := [card_for(groups.get(j.pk, [])) for j in chosen]),
        "scored": list(zip(chosen, cards, strict=True)),
        "most": COMPARE_MOST,
        "per_cell": COMPARE_CELL,
    }


@public_page
def compare(request: HttpRequest) -> HttpResponse:
    available = list(selectors.jurisdictions())
    chosen, unknown = chosen_jurisdictions(request.GET.getlist("jurisdiction"), available)
    errors = [f"no published jurisdiction has the code {c!r}" for c in unknown]
    if len(chosen) > COMPARE_MOST:
        errors.append(f"compare {COMPARE_MOST} at most at once, not {len(chosen)}")
    context = compare_context(available, chosen[:COMPARE_MOST])
    if errors:
        return bad_request(request, "policies/compare.html", context, {"jurisdiction": errors})
    return render(request, "policies/compare.html", context)


@public_page
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {
        "form": form,
        "kinds": KINDS,
        "statuses": filters.CommitmentFilter.STATUS_CHOICES,
    }
    context["jurisdictions"] = list(selectors.jurisdictions().only("code", "name"))
    if not form.is_bound:
        return render(request, "policies/search.html", context)
    if not form.is_valid():
        return bad_request(request, "policies/search.html", context, form.errors)
    params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    if not params.keys() - {"kind"}:
        return render(request, "policies/search.html", context)
    results = site_search(params)
    context["results"] = results
    if results.errors:
        return bad_request(request, "policies/search.html", context, results.errors)
    return render(request, "policies/search.html", context)


def addressable(kind: str) -> QuerySet[Curated]:
    """The public entries of `kind` (a model name), with what `links.entry_url` reads: an
    assessment lives on its commitment's page."""
    if kind == "assessment":
        return selectors.assessments().select_related("commitment")
    return selectors.entries(kind)


def permalink(request: HttpRequest, kind: str, pk: int) -> HttpResponseRedirect:
    """The permanent address of an entry, by id: it redirects to the entry's current page."""
    model = links.model_for(kind)
    if model is None:
        raise Http404("No such kind of entry.")
    entry = entry_or_404(request, addressable(kind), pk=pk)
    return HttpResponseRedirect(links.entry_url(entry))


@public_page
def cite(request: HttpRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    model = links.model_for(kind)
    if model is None or fmt not in citing.FORMATS:
        raise Http404("No such citation.")
    entry = entry_or_404(request, selectors.entries(kind), pk=pk)
    citable = citing.citable(request, entry)
    render_as, content_type = citing.FORMATS[fmt]
    response = HttpResponse(render_as(citable), content_type=content_type)
    disposition = "inline" if fmt == "txt" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{citable.filename_stem}.{fmt}"'
    return response


@public_page
def source_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        filterset_class=SourceFilter,
        queryset=selectors.sources(),
        template="sources/source_list.html",
    )


@public_page
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A source, what it supports, and each quote in the sentences around it (its full text
    too, where settings.SOURCE_TEXT_READERS makes texts public)."""
    # With its text, which every other public read leaves out.
    source = entry_or_404(request, selectors.sources().defer(None), slug=slug)
    cited = _cited_in(source)
    document = source.pages
    facts = [
        (
            record,
            c,
            located.context() if document and (located := document.locate(c.quote)) else None,
        )
        for record, c in cited
    ]
    text = None
    # Public pages are cached for every reader: whoever asks, only a public setting shows it.
    if document is not None and texts_are_public():
        kinds = links.KIND_LABELS
        text = reading(
            source,
            [
                Cited(c, kinds.get(links.kind_of(r), "Entry"), str(r), links.entry_url(r))
                for r, c in cited
            ],
        )
    selectors.attach_citations([source])
    context = {"source": source, "facts": facts, "reading": text}
    return render(request, "sources/source_detail.html", context)


def _cited_in(source: Source) -> list[tuple[Curated, Citation]]:
    """Each public citation of `source`, with the public entry it supports: one query per kind
    of entry cited (at most the nine kinds), not one per citation."""
    quotes = list(selectors.citations().filter(source=source))
    wanted: defaultdict[str, set[int]] = defaultdict(set)
    for citation in quotes:
        wanted[citation.content_type.model].add(citation.object_id)
    records: dict[tuple[str, int], Curated] = {}
    for kind, ids in wanted.items():
        for entry in addressable(kind).filter(pk__in=ids):
            records[(kind, entry.pk)] = entry
    return [
        (records[(c.content_type.model, c.object_id)], c)
        for c in quotes
        if (c.content_type.model, c.object_id) in records
    ]


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "tracker/home.html", home_context(today=clock.today()))
