"""The benchmark's generator and command run at a tiny scale, so that they cannot rot."""

import pytest
from django.core.management import CommandError, call_command

from bench import benchmark
from bench import data as benchdata
from bench.command import Command as BenchCommand
from policies.models import Commitment, Jurisdiction, Policy
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
        "--output",
        str(report),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
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
