"""The commitments' CSV export from stored rows (tracker/api/stored.py): the database writes it
(COPY on PostgreSQL), byte for byte what the Python export writes, and the rows follow every
save that changes what they show."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies import readmodel
from policies.models import Actor, Assessment, Commitment, Policy
from sources.models import Source
from tests import factories
from tracker.api import stored
from tracker.api.models import StoredCommitment
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 22)


def export(client, **params) -> bytes:
    response = client.get(reverse("api:commitment-export-csv"), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def from_python(client, **params) -> bytes:
    """The export as the Python path writes it, from each commitment's representation."""
    with mock.patch.object(stored, "usable", return_value=False):
        return export(client, **params)


def in_step() -> bool:
    rows = stored.snapshot()
    stored.rebuild(today=DAY)
    return stored.snapshot() == rows


@pytest.fixture
def shapes(frozen_clock, editor):
    """Commitments with every kind of cell: formulas and numbers, quotes, commas, line breaks,
    other scripts, empty and null cells, links to public and draft entries."""
    frozen_clock(DAY)
    russia = factories.jurisdiction(code="RU")
    policy = factories.published_policy(slug="shapes", jurisdiction=russia, title="Стратегия")
    ministry = factories.actor(state="published", name='=Ministry, "digital"')
    late = factories.published_commitment(
        policy=policy,
        due="2019-10",
        pledged="10 October 2019",
        pledged_by=ministry,
        metric="+Researchers trained",
        unit="@people",
        baseline_value=Decimal("-12.5"),
        target_value=Decimal("1000"),
        description='Line one\nline two, with "quotes"\r\n\tand a tab',
    )
    factories.published_assessment(
        commitment=late, as_of="2021", status="delivered", delivered="2020-Q3"
    )
    factories.cite(late, page="12", footnote="3", quote="=The first passage, “quoted”.")
    factories.cite(late, quote="From a draft source.", source=factories.source(state="draft"))
    overdue = factories.published_commitment(
        policy=policy, due="2010s", pledged_by=factories.actor(name="In draft")
    )
    factories.published_assessment(commitment=overdue, as_of="2015-06", status="stalled")
    factories.published_commitment(policy=policy, due=None, title="-2+3", description="")
    factories.published_commitment(policy=policy, due="2026-12", title="Due next month")
    factories.cite(ministry)
    factories.cite(policy)
    factories.published_commitment(
        policy=factories.published_policy(jurisdiction=factories.jurisdiction(code="FR")),
        title="Ailleurs",
    )
    factories.commitment(policy=policy, title="A draft")  # no row: not public
    return policy


def test_the_stored_export_is_byte_for_byte_the_python_one(shapes, client):
    assert StoredCommitment.objects.count() == 5
    written = export(client)
    assert written == from_python(client)
    assert written.count(b"\n") > 5  # a header, five rows, line breaks inside cells
    assert b"'=Ministry" in written and b"'-2+3" in written and b",-12.5000," in written


def test_filters_choose_the_rows_as_they_do_for_the_python_export(shapes, client):
    for params in ({"jurisdiction": "RU"}, {"jurisdiction": "FR"}, {"due_year": "1999"}, {}):
        assert export(client, **params) == from_python(client, **params), params
    assert export(client, due_year="1999").count(b"\n") == 1  # the header alone


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_on_postgresql_the_database_writes_it_with_copy(shapes, client):
    with mock.patch.object(stored, "_written", side_effect=AssertionError("not COPY")):
        written = export(client)
        with mock.patch.object(stored, "CHUNK", 2):  # two rows a statement, the header once
            assert export(client) == written
    assert written == from_python(client)


def test_the_queries_do_not_grow_with_the_rows(shapes, client):
    with CaptureQueriesContext(connection) as queries:
        export(client)
    few = len(queries)  # now: the next request empties the connection's log
    for _ in range(10):
        factories.published_commitment(policy=shapes)
    with CaptureQueriesContext(connection) as queries:
        export(client)
    assert len(queries) == few == 4


def test_a_row_past_its_day_sends_the_export_to_the_python_path(shapes, client, frozen_clock):
    frozen_clock(dt.date(2027, 1, 1))  # "Due next month" is now past due
    commitments = Commitment.objects.public()
    assert not stored.usable(commitments, today=dt.date(2027, 1, 1))
    with mock.patch.object(stored, "csv_lines") as from_rows:
        written = export(client)
    from_rows.assert_not_called()
    assert written == from_python(client)
    stored.rebuild(today=dt.date(2027, 1, 1))  # what the daily rebuild does
    assert stored.usable(commitments, today=dt.date(2027, 1, 1))
    assert export(client) == written


def afresh_for_the_api():
    """The API's pages with every stored row taken to be past its day: derived afresh."""
    return mock.patch.object(readmodel, "holds", return_value=False)


def test_the_api_shows_the_stored_rows_as_it_derives_them_afresh(shapes, client):
    listed = client.get(reverse("api:commitment-list"), {"page_size": 3})
    with afresh_for_the_api():
        derived = client.get(reverse("api:commitment-list"), {"page_size": 3})
    assert listed.content == derived.content  # the same bytes: values, and keys in order
    assert len(listed.json()["results"]) == 3
    for pk in StoredCommitment.objects.values_list("pk", flat=True):
        url = reverse("api:commitment-detail", args=[pk])
        shown = client.get(url)
        with afresh_for_the_api():
            assert shown.content == client.get(url).content


def test_a_page_derives_afresh_only_the_rows_past_their_day(shapes, client, frozen_clock):
    frozen_clock(dt.date(2027, 1, 1))  # "Due next month" is now past due
    with CaptureQueriesContext(connection) as queries:
        listed = client.get(reverse("api:commitment-list")).json()["results"]
    # The data version and the page, then the stale row's values, citations and verdicts.
    assert len(queries) == 5
    due = next(entry for entry in listed if entry["title"] == "Due next month")
    assert due["progress"]["status"] == "no_evidence" and due["progress"]["not_checked"]
    with afresh_for_the_api():
        assert client.get(reverse("api:commitment-list")).json()["results"] == listed


def test_staff_get_the_python_export_with_drafts(shapes, editor_client):
    with mock.patch.object(stored, "csv_lines") as from_rows:
        written = export(editor_client).decode()
    from_rows.assert_not_called()
    assert "A draft" in written


def test_every_save_a_row_shows_keeps_it_in_step(shapes, editor, contributor):
    """Each change below alters what some stored row shows; after each, the rows are what a
    rebuild from scratch writes."""
    late = Commitment.objects.get(due_start=dt.date(2019, 10, 1))

    def published_edit(entry, **changes):
        draft = workflow.entry_start_edit(entry, by=contributor)
        for name, value in changes.items():
            setattr(draft, name, value)
        draft = workflow.entry_save(draft, by=contributor, seen_version=draft.version)
        return workflow.entry_publish(workflow.entry_submit(draft, by=contributor), by=editor)

    published_edit(Actor.objects.get(pk=late.pledged_by_id), name="Ministry of Research")
    assert in_step()
    assert "Ministry of Research" in str(StoredCommitment.objects.get(pk=late.pk).cells)
    published_edit(Policy.objects.get(pk=shapes.pk), title="Стратегия 2030")
    assert in_step()
    published_edit(Source.objects.get(pk=late.citations.first().source_id), title="Renamed")
    assert in_step()
    assert "Renamed" in str(StoredCommitment.objects.get(pk=late.pk).cells)
    factories.cite(late, quote="A passage added later.")
    assert in_step()
    late.citations.get(quote="A passage added later.").delete()
    assert in_step()
    Assessment.objects.filter(commitment=late).delete()
    assert in_step()
    workflow.entry_unpublish(Commitment.objects.get(pk=late.pk), by=editor, reason="Misread")
    assert in_step()
    assert not StoredCommitment.objects.filter(pk=late.pk).exists()


def test_withdrawing_a_cited_source_empties_the_citations_it_gave(shapes, editor):
    late = Commitment.objects.get(due_start=dt.date(2019, 10, 1))
    source = Source.objects.get(pk=late.citations.first().source_id)
    source.state = State.DRAFT  # as a withdrawal leaves it, without the workflow's checks
    source.save()
    assert in_step()
    assert "The first passage" not in str(StoredCommitment.objects.get(pk=late.pk).cells)


def test_the_rebuild_command_repairs_rows_written_around_the_write_path(shapes, client):
    from django.core.management import call_command

    StoredCommitment.objects.filter(pk__in=StoredCommitment.objects.values("pk")[:1]).update(
        cells=["stale"]
    )
    written = []
    call_command("rebuild_read_model", stdout=mock.Mock(write=written.append))
    assert "(1 row differed)" in written[0]
    assert export(client) == from_python(client)
