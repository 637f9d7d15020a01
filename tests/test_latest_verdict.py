"""One rule for the latest verdict, and every surface that shows a status agrees with it.

The latest verdict known on a day is the published assessment with the greatest
(as_of_start, as_of_end, id) among those whose period had begun by then. Here the same
assessments are recorded in every order, some on identical periods, with drafts, checks and
verdicts not yet known around them; each commitment's status is read from its page, the commitment
list, the policy page, the API's list and detail, the CSV export, the `?status=` filter of the
page and of the API, and the scorecards, and each must say what the rule says.
"""

import csv
import datetime as dt
import io
import itertools
import re

import pytest
from django.db import connection
from django.urls import reverse

from bench import benchmark
from policies import selectors
from policies.models import Commitment
from policies.progress import Status
from policies.scorecard import LABELS, Standing
from tests import factories as make

pytestmark = pytest.mark.django_db

# Three published verdicts, two on the same period. Recorded in each of the six orders (ids
# in that order), the commitment's status is the one of the tied pair recorded later.
TIED_AND_EARLIER = [
    ("2024", Status.STALLED),
    ("2024", Status.MISSED),
    ("2022", Status.NOT_STARTED),
]


def expected_status(recorded) -> Status:
    """The rule, written out for this test's data: greatest (start, end, recording order)."""
    known = [(i, as_of, status) for i, (as_of, status) in enumerate(recorded)]
    period_keys = {"2022": (2022, 0), "2024": (2024, 1), "2024-01": (2024, 0)}
    return max(known, key=lambda item: (period_keys[item[1]], item[0]))[2]


def world():
    """Commitments (no due date, so each label is its status's) and their expected status."""
    country = make.jurisdiction(code="RU", name="Russia")
    strategy = make.published_policy(jurisdiction=country, slug="strategy")
    expected = {}
    for n, recorded in enumerate(itertools.permutations(TIED_AND_EARLIER)):
        pledge = make.published_commitment(policy=strategy, due=None, slug=f"tied-{n}")
        # Ids in the order of `recorded`, rows written in the reverse order (as a load of
        # entries with their ids may write them): the tie goes to the greater id, not to the
        # row the database happens to read first.
        for i, (as_of, status) in reversed(list(enumerate(recorded))):
            make.published_assessment(
                id=10_000 + 10 * n + i, commitment=pledge, as_of=as_of, status=status
            )
        expected[pledge.slug] = expected_status(recorded)
    # A month and its year begin on the same day: the year ends later, so it is the later
    # verdict, whichever was recorded first.
    for n, recorded in enumerate(
        [[("2024", Status.STALLED), ("2024-01", Status.MISSED)], [("2024-01", Status.MISSED)]]
    ):
        pledge = make.published_commitment(policy=strategy, due=None, slug=f"nested-{n}")
        for as_of, status in recorded:
            make.published_assessment(commitment=pledge, as_of=as_of, status=status)
        expected[pledge.slug] = expected_status(recorded)
    # A newer draft and a verdict dated in the future change nothing.
    pledge = make.published_commitment(policy=strategy, due=None, slug="with-draft")
    make.published_assessment(commitment=pledge, as_of="2022", status=Status.NOT_STARTED)
    make.assessment(commitment=pledge, as_of="2024", status=Status.ABANDONED)
    make.published_assessment(commitment=pledge, as_of="2099", status=Status.STALLED)
    expected[pledge.slug] = Status.NOT_STARTED
    make.published_commitment(policy=strategy, due=None, slug="unassessed")
    expected["unassessed"] = Status.NO_EVIDENCE
    # A check newer than every verdict moves the evidence horizon, never the status; one
    # alone gives no verdict.
    pledge = make.published_commitment(policy=strategy, due=None, slug="checked-since")
    make.published_assessment(commitment=pledge, as_of="2022", status=Status.STALLED)
    make.published_assessment(commitment=pledge, as_of="2025", status="", summary="Nothing new.")
    expected[pledge.slug] = Status.STALLED
    pledge = make.published_commitment(policy=strategy, due=None, slug="only-checked")
    make.published_assessment(commitment=pledge, as_of="2025", status="", summary="Nothing.")
    expected[pledge.slug] = Status.NO_EVIDENCE
    return expected


def page_status(client, slug) -> str:
    page = client.get(reverse("commitment", args=[slug])).text
    return re.search(
        r'<p class="standing"><span class="status[^>]*>.*?</span>([^<]*)</span>', page
    )[1]


def listed_statuses(page: str, slugs) -> dict[str, str]:
    """Each commitment's label in a page's table of commitments, by slug."""
    found = {}
    for slug in slugs:
        row = re.search(rf'<th scope="row"><a href="/commitments/{slug}/">.*?</tr>', page, re.S)
        if row:
            found[slug] = re.search(r'<span class="status[^>]*>.*?</span>([^<]*)</span>', row[0])[1]
    return found


def score_counts(page: str) -> dict[str, int]:
    return {
        standing: int(count)
        for standing, count in re.findall(
            r'<div class="score score-(\w+)[^"]*">\s*<dt>.*?</dt>\s*<dd>(?:<a [^>]*>)?(\d+)(?:</a>)?</dd>',
            page,
            re.S,
        )
    }


def expected_counts(expected) -> dict[str, int]:
    standing = {
        Status.MISSED: Standing.MISSED,
        Status.ABANDONED: Standing.MISSED,
        Status.STALLED: Standing.STALLED,
        Status.IN_PROGRESS: Standing.IN_PROGRESS,
    }
    counts = dict.fromkeys(LABELS, 0)
    for status in expected.values():
        counts[standing.get(status, Standing.NO_DEADLINE)] += 1
    return {str(s): n for s, n in counts.items()} | {"total": len(expected)}


@pytest.mark.parametrize("reader", ["client", "editor_client"])
def test_it_reads_the_same_latest_verdict_on_every_surface(reader, request):
    expected = world()
    client = request.getfixturevalue(reader)
    labels = {slug: Status(status).label for slug, status in expected.items()}

    assert {slug: page_status(client, slug) for slug in expected} == labels
    assert listed_statuses(client.get("/commitments/").text, expected) == labels
    policy_page = client.get("/policies/strategy/").text
    assert listed_statuses(policy_page, expected) == labels

    detail = {
        slug: client.get(
            reverse("api:commitment-detail", args=[commitment_id(slug)]), {"format": "json"}
        ).json()["progress"]["status"]
        for slug in expected
    }
    listed = {
        entry["slug"]: entry["progress"]["status"]
        for entry in client.get(reverse("api:commitment-list")).json()["results"]
    }
    exported = {
        row["slug"]: row["progress_status"]
        for row in csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(reverse("api:commitment-export-csv")).streaming_content
                ).decode()
            )
        )
    }
    wanted = {slug: str(status) for slug, status in expected.items()}
    assert detail == wanted
    assert listed == wanted
    assert exported == wanted

    for status in Status:
        with_status = {slug for slug, s in expected.items() if s == status}
        api = client.get(reverse("api:commitment-list"), {"status": status.value}).json()
        assert {entry["slug"] for entry in api["results"]} == with_status, status
        page = client.get("/commitments/", {"status": status.value}).text
        assert set(listed_statuses(page, expected)) == with_status, status

    counts = expected_counts(expected)
    for address in ("/jurisdictions/RU/", "/policies/strategy/", "/"):
        assert score_counts(client.get(address).text) == counts, address


def commitment_id(slug):
    return Commitment.objects.get(slug=slug).pk


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark's COPY is PostgreSQL's"
)
def test_it_reads_the_same_latest_verdict_in_the_benchmark_s_export_select():
    expected = world()
    select, params = benchmark.commitment_export_sql()
    with connection.cursor() as cursor:
        cursor.execute(select, params)
        names = [column.name for column in cursor.description]
        found = {row[names.index("slug")]: row[names.index("status")] for row in cursor}
    assert found == {
        slug: None if status == Status.NO_EVIDENCE else str(status)
        for slug, status in expected.items()
    }


def test_it_derives_a_commitment_s_progress_from_the_verdicts_it_is_given_and_reads_no_draft(
    django_assert_num_queries,
):
    pledge = make.published_commitment(due="2024")
    make.published_assessment(commitment=pledge, as_of="2025-02", status=Status.IN_PROGRESS)
    make.assessment(commitment=pledge, as_of="2025", status=Status.DELIVERED, delivered="2024-06")
    bare = Commitment.objects.get(pk=pledge.pk)  # nothing prefetched, nothing attached
    verdicts = selectors.published_verdicts([bare.pk])[bare.pk]
    with django_assert_num_queries(0):
        progress = bare.progress(verdicts=verdicts, today=dt.date(2026, 1, 1))
    assert progress.status == Status.IN_PROGRESS
    assert progress.overdue
    assert progress.delivered_on is None
