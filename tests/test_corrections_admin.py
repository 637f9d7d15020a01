"""Readers' corrections in the admin, as a contributor and as an editor: the queue, each step,
the edit started from a correction going through review, and what its publication records."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.models import Assessment, Commitment
from tests import factories as make
from tests.admin_forms import form_data
from tests.shared_rows import member
from tracker.core import clock, corrections, workflow
from tracker.core.editorial import State
from tracker.core.models import Correction, Transition

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:tracker_correction_changelist")
CITATIONS = "sources-citation-content_type-object_id"  # the citation inline's prefix


def correction_url(correction, view="change"):
    return reverse(f"admin:tracker_correction_{view}", args=[correction.pk])


def step(client, correction, name, **fields):
    return client.post(correction_url(correction, "step"), {"step": name, **fields})


def listed(client, query):
    """The corrections the queue lists for `query`, by number."""
    return [c.pk for c in client.get(QUEUE + query).context["cl"].result_list]


def messages_of(client, url):
    return [str(m) for m in client.get(url).context["messages"]]


@pytest.fixture
def cited_commitment():
    """A published commitment of a published policy, citing a published source."""
    source = make.source(url="https://example.org/decree", title="Decree 123")
    commitment = make.published_commitment(title="Open the data portal")
    make.cite(commitment, source=source, quote="The portal opens in 2024.")
    return commitment


@pytest.fixture
def reported(cited_commitment):
    return corrections.submit(
        cited_commitment,
        message="The decree moved the date to 2025.",
        source_url="https://example.org/decree",
        quote="The portal opens in 2025.",
        page="3",
        email="reader@example.net",
    )


def test_the_index_counts_new_corrections_for_every_curator(staff_client, reported):
    page = staff_client.get(reverse("admin:index")).text
    assert "Readers' corrections" in page
    assert "New from readers</a></th><td>1</td>" in page
    review = staff_client.get(reverse("admin:review_queue")).text
    assert "New from readers</a></th><td>1</td>" in review


def test_a_person_outside_the_curators_sees_no_queue(client, reported):
    outsider = make_staff_without_role()
    client.force_login(outsider)
    assert client.get(QUEUE).status_code == 403
    assert client.get(correction_url(reported)).status_code == 403
    assert "Readers' corrections" not in client.get(reverse("admin:index")).text


def make_staff_without_role():
    return get_user_model().objects.create_user("visitor", "v@example.org", "x", is_staff=True)


def test_the_queue_filters_by_state_kind_entry_and_age(editor_client, reported):
    other = corrections.submit(make.published_policy(), message="The title is wrong.")
    Correction.objects.filter(pk=other.pk).update(submitted_at=clock.now() - dt.timedelta(days=40))
    assert set(listed(editor_client, "")) == {reported.pk, other.pk}
    assert listed(editor_client, "?state__exact=new&age=week") == [reported.pk]
    assert listed(editor_client, "?age=older") == [other.pk]
    kind = reported.content_type_id
    assert listed(editor_client, f"?kind={kind}") == [reported.pk]
    assert listed(editor_client, f"?entry={kind}-{reported.object_id}") == [reported.pk]


def test_the_email_is_for_editors_only(contributor_client, editor_client, reported):
    assert "reader@example.net" not in contributor_client.get(correction_url(reported)).text
    assert "reader@example.net" not in contributor_client.get(QUEUE).text
    # Searching by the address finds nothing: a contributor could learn who wrote.
    assert not contributor_client.get(QUEUE + "?q=reader%40example").context["cl"].result_list
    assert "reader@example.net" in editor_client.get(correction_url(reported)).text


def test_what_the_reader_sent_is_shown_escaped(editor_client, cited_commitment):
    sent = corrections.submit(cited_commitment, message="<script>alert(1)</script> **bold**")
    page = editor_client.get(correction_url(sent)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in page


def test_a_contributor_may_not_decline_or_reply(contributor_client, reported):
    page = contributor_client.get(correction_url(reported)).text
    assert 'value="decline"' not in page and "Reply to the reader" not in page
    step(contributor_client, reported, "decline", reason="Not convinced.")
    assert Correction.objects.get(pk=reported.pk).state == Correction.State.NEW
    assert any("may not decline" in m for m in messages_of(contributor_client, QUEUE))
    step(contributor_client, reported, "reply", subject="Hi", message="Thanks")
    assert not mail.outbox


def test_declining_needs_a_reason(editor_client, editor, reported):
    step(editor_client, reported, "decline", reason="  ")
    assert Correction.objects.get(pk=reported.pk).state == Correction.State.NEW
    assert any("a reason is needed" in m for m in messages_of(editor_client, QUEUE))
    step(editor_client, reported, "decline", reason="The decree says 2024.")
    declined = Correction.objects.get(pk=reported.pk)
    assert (declined.state, declined.reason, declined.decided_by) == (
        Correction.State.DECLINED,
        "The decree says 2024.",
        editor,
    )


def test_a_duplicate_names_the_correction_it_repeats(editor_client, reported, cited_commitment):
    again = corrections.submit(cited_commitment, message="Same thing: 2025.")
    step(editor_client, again, "duplicate", duplicate_of="#999999")
    assert Correction.objects.get(pk=again.pk).state == Correction.State.NEW
    assert any("no correction #999999" in m for m in messages_of(editor_client, QUEUE))
    step(editor_client, again, "duplicate", duplicate_of=str(again.pk))
    assert Correction.objects.get(pk=again.pk).state == Correction.State.NEW
    step(editor_client, again, "duplicate", duplicate_of=f"#{reported.pk}")
    marked = Correction.objects.get(pk=again.pk)
    assert (marked.state, marked.duplicate_of_id) == (Correction.State.DUPLICATE, reported.pk)
    step(editor_client, again, "reopen")
    reopened = Correction.objects.get(pk=again.pk)
    assert (reopened.state, reopened.duplicate_of_id) == (Correction.State.NEW, None)


def test_an_editor_replies_through_the_email_backend(editor_client, reported):
    step(editor_client, reported, "reply", subject="Your correction", message="Thank you.")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["reader@example.net"], "Your correction", "Thank you.")
    ]
    assert Correction.objects.get(pk=reported.pk).replied_at is not None


def test_an_edit_needs_the_line_the_page_will_show(contributor_client, reported):
    step(contributor_client, reported, "start", note="")
    assert Correction.objects.get(pk=reported.pk).state == Correction.State.NEW
    assert not Commitment.objects.filter(draft_of=reported.object_id).exists()


def test_an_edit_from_a_correction_goes_through_review_and_says_where_it_came_from(
    contributor_client, contributor, editor_client, editor, reported, cited_commitment
):
    response = step(contributor_client, reported, "start", note="The date is now 2025.")
    draft = Commitment.objects.get(draft_of=cited_commitment)
    assert response["Location"] == (
        reverse("admin:policies_commitment_change", args=[draft.pk]) + f"?correction={reported.pk}"
    )
    accepted = Correction.objects.get(pk=reported.pk)
    assert (accepted.state, accepted.edit_id) == (Correction.State.ACCEPTED, draft.pk)

    # The draft's form shows the reader's report and offers their passage as a new citation,
    # from the source that has the address they gave.
    form = contributor_client.get(response["Location"])
    assert "From " in form.text and f"reader correction #{reported.pk}" in form.text
    data = form_data(form)
    data["due"] = "2025"
    saved = contributor_client.post(response["Location"], data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    draft.refresh_from_db()
    assert sorted(c.quote for c in draft.citations.all()) == [
        "The portal opens in 2024.",
        "The portal opens in 2025.",
    ]
    assert str(Commitment.objects.get(pk=cited_commitment.pk).due) == "2024"  # still as it was

    workflow.entry_submit(draft, by=contributor)
    assert Correction.objects.get(pk=reported.pk).published_at is None
    workflow.entry_publish(draft, by=editor)
    published = Correction.objects.get(pk=reported.pk)
    assert published.published_at is not None and published.edit_id == cited_commitment.pk
    entry = Commitment.objects.get(pk=cited_commitment.pk)
    assert str(entry.due) == "2025"
    assert f"from reader correction #{reported.pk}" in entry.history.first().history_change_reason
    page = editor_client.get(reverse("admin:policies_commitment_change", args=[entry.pk])).text
    assert f"From reader correction #{reported.pk}" in page  # the editorial log


def test_a_new_assessment_from_a_correction_has_its_commitment_and_passage_filled_in(
    contributor_client, contributor, editor, reported, cited_commitment
):
    response = step(
        contributor_client,
        reported,
        "new",
        kind="policies.assessment:commitment",
        note="A new assessment: delayed to 2025.",
    )
    assert response.status_code == 302
    add = response["Location"]
    assert add.startswith(reverse("admin:policies_assessment_add"))
    form = contributor_client.get(add)
    data = form_data(form)
    assert data["commitment"] == str(cited_commitment.pk)
    assert data[f"{CITATIONS}-0-quote"] == "The portal opens in 2025."
    assert data[f"{CITATIONS}-0-source"] == str(cited_commitment.citations.get().source_id)
    data.update({"slug": "delayed", "status": "stalled", "as_of": "2026-11"})
    saved = contributor_client.post(add, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assessment = Assessment.objects.get(slug="delayed")
    accepted = Correction.objects.get(pk=reported.pk)
    assert (accepted.state, accepted.edit_id, accepted.public_note) == (
        Correction.State.ACCEPTED,
        assessment.pk,
        "A new assessment: delayed to 2025.",
    )
    workflow.entry_submit(assessment, by=contributor)
    workflow.entry_publish(assessment, by=editor)
    assert Correction.objects.get(pk=reported.pk).published_at is not None
    # The log of its publication names the correction it came from.
    assert Transition.objects.filter(
        object_id=assessment.pk, comment=f"From reader correction #{reported.pk}"
    ).exists()


def test_a_published_correction_cannot_be_reopened_nor_its_note_changed(
    editor_client, contributor, editor, reported
):
    other = member("other-editor", "Editor")
    draft = corrections.start_edit(reported, by=contributor, note="Date fixed.")
    workflow.entry_submit(draft, by=contributor)
    workflow.entry_publish(draft, by=other)
    step(editor_client, reported, "reopen")
    assert Correction.objects.get(pk=reported.pk).state == Correction.State.ACCEPTED
    step(editor_client, reported, "note", note="Something else.")
    assert Correction.objects.get(pk=reported.pk).public_note == "Date fixed."


def test_an_edit_cannot_start_from_an_entry_that_is_no_longer_published(
    contributor_client, editor, reported, cited_commitment
):
    workflow.entry_unpublish(cited_commitment, by=editor, reason="Under review.")
    step(contributor_client, reported, "start", note="Date fixed.")
    assert Correction.objects.get(pk=reported.pk).state == Correction.State.NEW
    assert any("not published" in m for m in messages_of(contributor_client, QUEUE))


def test_the_document_a_reader_sent_is_downloaded_by_curators_only(
    client, contributor_client, reported, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    reported.document = SimpleUploadedFile("decree.txt", b"The portal opens in 2025.")
    reported.save()
    url = correction_url(reported, "document")
    response = contributor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"The portal opens in 2025."
    assert client.get(url).status_code == 302  # to the login page


def test_nothing_is_added_or_edited_in_the_corrections_own_form(editor_client, reported):
    assert editor_client.get(reverse("admin:tracker_correction_add")).status_code == 403
    editor_client.post(correction_url(reported), {"state": "declined", "email": "x@example.org"})
    assert Correction.objects.get(pk=reported.pk).state == Correction.State.NEW


def test_a_draft_is_not_a_published_entry_to_start_from(contributor, reported):
    Commitment.objects.filter(pk=reported.object_id).update(state=State.DRAFT)
    with pytest.raises(workflow.WorkflowError, match="not published"):
        corrections.start_edit(reported, by=contributor, note="x")


def test_a_draft_deleted_before_publication_lets_an_editor_reopen_the_correction(
    editor_client, contributor, reported
):
    draft = corrections.start_edit(reported, by=contributor, note="Date fixed.")
    draft.delete()
    assert "a draft since deleted" in editor_client.get(QUEUE).text
    step(editor_client, reported, "reopen")
    reopened = Correction.objects.get(pk=reported.pk)
    assert (reopened.state, reopened.edit_id) == (Correction.State.NEW, None)


def test_a_waiting_draft_keeps_its_correction_accepted(editor_client, contributor, reported):
    corrections.start_edit(reported, by=contributor, note="Date fixed.")
    step(editor_client, reported, "reopen")
    assert Correction.objects.get(pk=reported.pk).state == Correction.State.ACCEPTED
    assert any("still waiting for review" in m for m in messages_of(editor_client, QUEUE))


def test_an_edit_folded_into_its_reopened_entry_still_leads_to_the_correction(
    contributor, editor, reported, cited_commitment
):
    corrections.start_edit(reported, by=contributor, note="Date fixed.")
    workflow.entry_unpublish(cited_commitment, by=editor, reason="Checking the decree.")
    entry = workflow.entry_reopen(Commitment.objects.get(pk=cited_commitment.pk), by=editor)
    assert Correction.objects.get(pk=reported.pk).edit_id == entry.pk
    workflow.entry_submit(entry, by=editor)
    workflow.entry_publish(entry, by=member("other-editor", "Editor"))
    assert Correction.objects.get(pk=reported.pk).published_at is not None
    assert Correction.objects.published().about(entry).get() == reported


def test_the_queue_reads_a_fixed_number_of_queries_however_many_it_lists(
    editor_client, contributor, reported
):
    def queue_queries():
        with CaptureQueriesContext(connection) as seen:
            assert editor_client.get(QUEUE).status_code == 200
        return len(seen)

    # A query for each kind of entry and of edit listed, not one a row.
    corrections.start_edit(reported, by=contributor, note="Date fixed.")
    corrections.submit(make.published_policy(), message="The title is wrong.")
    queue_queries()  # warms the process's cache of content types
    few = queue_queries()
    for n in range(10):
        corrections.submit(make.published_policy(), message=f"Title {n} is wrong.")
        again = corrections.submit(make.published_commitment(), message=f"Date {n} is wrong.")
        corrections.start_edit(again, by=contributor, note="Date fixed.")
    assert queue_queries() == few
