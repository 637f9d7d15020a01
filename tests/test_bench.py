"""The benchmark's generator and command run at a tiny scale, so that they cannot rot."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from bench import benchmark
from bench import data as benchdata
from bench import datasette as versus
from bench.command import Command as BenchCommand
from policies.models import Commitment, CommitmentStanding, Jurisdiction, Policy
from sources.models import Citation
from tests import factories as make
from tracker.core.dates import FuzzyDate, Precision

pytestmark = pytest.mark.django_db

TINY = benchdata.Scale().times(0.002)


def test_it_generates_the_counts_and_shapes_asked_for():
    written = benchdata.generate(TINY, seed=1, progress=lambda line: None)

    assert Commitment.objects.count() == TINY.commitments
    assert Citation.objects.count() == TINY.citations
    assert written[Commitment._meta.db_table] == TINY.commitments
    large = Policy.objects.get(slug=benchdata.LARGE_POLICY_SLUG)
    assert large.commitments.published().count() == TINY.large_policy
    big = Jurisdiction.objects.get(code=benchdata.LARGE_JURISDICTION_CODE)
    in_big = Commitment.objects.published().filter(policy__jurisdiction=big)
    assert in_big.count() == TINY.large_jurisdiction
    assert Commitment.objects.filter(state="draft").exists() or TINY.commitments < 100


def test_it_stores_the_read_model_and_clears_it_with_the_rest():
    benchdata.generate(TINY, seed=1, progress=lambda line: None)
    public = Commitment.objects.public().count()
    assert public and CommitmentStanding.objects.count() == public
    assert call_rebuild() == "nothing to change"
    benchdata.clear()
    assert benchdata.is_empty() and not CommitmentStanding.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_clears_commitments_that_track_a_pledge_one_table_at_a_time():
    # Outside a transaction, as the bench clears before each load of the fixtures: each
    # DELETE's foreign keys are checked on its own (the fixtures' commitments track pledges).
    policy = make.published_policy()
    pledge = make.funding(state="published", policy=policy, funder=make.actor())
    make.published_commitment(policy=policy, funding=pledge)
    benchdata.clear()
    assert benchdata.is_empty()


def call_rebuild() -> str:
    out = io.StringIO()
    call_command("rebuild_read_model", stdout=out)
    return "nothing to change" if "nothing to change" in out.getvalue() else out.getvalue()


def test_it_writes_fuzzy_dates_of_every_precision():
    benchdata.generate(benchdata.Scale().times(0.01), seed=1, progress=lambda line: None)

    precisions = {
        FuzzyDate(start, end).precision
        for start, end in Commitment.objects.filter(due_start__isnull=False).values_list(
            "due_start", "due_end"
        )
    }
    assert precisions == set(Precision)


def test_it_is_deterministic_from_its_seed():
    first = list(benchdata.World(TINY, seed=3).commitments())
    again = list(benchdata.World(TINY, seed=3).commitments())
    other = list(benchdata.World(TINY, seed=4).commitments())

    assert first == again
    assert first != other


def test_it_refuses_to_clear_a_database_with_other_entries():
    make.published_policy(slug="national-ai-strategy")

    with pytest.raises(CommandError, match="not the benchmark's"):
        call_command(BenchCommand(), "--scale", "0.002", "--generate-only")


def test_it_measures_every_row_and_writes_the_report(tmp_path, monkeypatch):
    # load_documents runs on a database of its own (a test database of the test database).
    monkeypatch.setattr(benchmark, "load_documents_on_empty_database", lambda runs: [0.5])
    report = tmp_path / "performance.md"
    report.write_text("# Performance\n\nHand-written text stays.\n")

    call_command(
        BenchCommand(),
        "--scale",
        "0.002",
        "--runs",
        "1",
        "--export-runs",
        "1",
        "--cold-runs",
        "1",
        "--no-datasette",
        "--output",
        str(report),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert "Side by side with Datasette, over HTTP | skipped: " in report.read_text()
    call_command(
        BenchCommand(),
        "--reuse",
        "--runs",
        "1",
        "--export-runs",
        "1",
        "--cold-runs",
        "1",
        # Its scale sizes the import measured (10,000 rows without it), not the dataset reused.
        "--scale",
        "0.002",
        "--output",
        str(report),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )

    text = report.read_text()
    assert "Hand-written text stays." in text
    assert text.count("Policy timeline, large policy") == 1  # the block was replaced, not added
    for row in ("Jurisdiction page", "API list", "Admin changelist", "Admin change page", "Search"):
        assert row in text
    assert "CSV export of all commitments" in text
    assert "Admin import of new commitments" in text
    assert "load_documents" in text


@pytest.mark.parametrize("which", ["large", "other"])
def test_datasette_s_list_query_finds_the_commitments_the_api_lists(client, which):
    benchdata.generate(benchdata.Scale().times(0.01), seed=1, progress=lambda line: None)
    public = Commitment.objects.public().exclude(pledged_start=None).order_by("id")
    if which == "large":
        public = public.filter(policy__jurisdiction__code=benchdata.LARGE_JURISDICTION_CODE)
    else:
        public = public.exclude(policy__jurisdiction__code=benchdata.LARGE_JURISDICTION_CODE)
    one = public.select_related("policy__jurisdiction").first()
    code, kind, year = one.policy.jurisdiction.code, one.kind, one.pledged_start.year
    params = versus.list_params(code=code, kind=kind, year=year)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {versus.TABLE} WHERE kind = %s AND state = %s AND "
            f"{params['_where']} ORDER BY id LIMIT 100",
            [params["kind"], params["state"]],
        )
        found = [row[0] for row in cursor.fetchall()]
    listed = client.get(
        reverse("api:commitment-list"),
        {"jurisdiction": code, "kind": kind, "pledged_year": year, "page_size": 100},
    ).json()["results"]
    assert found == [entry["id"] for entry in listed]
    assert one.pk in found


def test_the_comparison_rows_give_each_job_and_its_ratio():
    pairs = [
        versus.Pair(
            "list", "the list", "/api/v1/commitments/?a=1", "/bench/t.json?kind=x&_where=y"
        ),
        versus.Pair("detail", "one entry", "/api/v1/commitments/1/", "/bench/t/1.json?_shape=o"),
    ]
    pairs[0].ours_ms, pairs[0].theirs_ms = 10.0, 20.0
    pairs[1].ours_ms, pairs[1].theirs_ms = 30.0, 10.0
    csv = {
        "ours_rows": 10,
        "theirs_rows": 11,
        "ours_rows_per_s": 500.0,
        "theirs_rows_per_s": 1000.0,
        "theirs_path": "/bench/t.csv?_stream=on",
    }
    text = "\n".join(
        benchmark.datasette_rows({"version": "Datasette 0.65.5", "pairs": pairs, "csv": csv})
    )
    assert "faster than Datasette: met, ours/Datasette = **0.50**" in text
    assert "faster than Datasette: **missed**, ours/Datasette = **3.00**" in text
    assert "≥ Datasette's: **missed**, ours/Datasette = **0.50**" in text
    assert "`/bench/t.json?kind=x…`" in text
    assert text.count("Datasette 0.65.5") == 3
