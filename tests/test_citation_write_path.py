"""A citation is part of its entry: written only in the entry's own form, under the entry's
permissions, as a new version of the entry, and on a published entry only through its
reviewed pending edit. The standalone citation admin is read-only for everyone."""

import pytest
from django.urls import reverse

from policies.models import Commitment
from sources.models import Citation
from tests import factories
from tests.test_conflicts import CITATIONS, form_data
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


def published_by(author, editor, quote="The strategy is adopted."):
    entry = factories.commitment(created_by=author, state=State.DRAFT)
    factories.cite(entry, quote=quote)
    return workflow.entry_publish(workflow.entry_submit(entry, by=author), by=editor)


def draft_by(author, quote="A draft's passage."):
    entry = factories.commitment(created_by=author, state=State.DRAFT)
    factories.cite(entry, quote=quote)
    return entry


def quotes(entry):
    return sorted(Citation.objects.filter(object_id=entry.pk).values_list("quote", flat=True))


PASSAGE_FIELDS = ("source", "page", "section", "footnote", "quote", "note", "position")


def passage(citation) -> dict:
    """The fields a citation form posts, as the citation has them."""
    return {
        name: getattr(citation, "source_id" if name == "source" else name)
        for name in PASSAGE_FIELDS
    }


def citation_form(citation, **changes):
    """The standalone citation admin's form."""
    return {
        "content_type": citation.content_type_id,
        "object_id": citation.object_id,
        **passage(citation),
        **changes,
    }


@pytest.fixture(params=["contributor", "editor"])
def person(request, contributor, editor):
    """Each standalone-admin attempt is made by a contributor and by an editor."""
    return {"contributor": contributor, "editor": editor}[request.param]


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client


def test_it_refuses_adding_a_quote_to_a_published_entry_in_the_citation_admin(
    person_client, contributor, other_editor
):
    entry = published_by(contributor, other_editor)
    citation = entry.citations.get()
    response = person_client.post(
        reverse("admin:sources_citation_add"), citation_form(citation, quote="Invented.")
    )
    assert response.status_code == 403
    assert quotes(entry) == ["The strategy is adopted."]


def test_it_refuses_rewriting_or_moving_a_quote_in_the_citation_admin(
    person_client, contributor, other_editor
):
    entry = published_by(contributor, other_editor)
    elsewhere = draft_by(contributor)
    citation = entry.citations.get()
    url = reverse("admin:sources_citation_change", args=[citation.pk])
    rewritten = person_client.post(url, citation_form(citation, quote="Rewritten."))
    moved = person_client.post(url, citation_form(citation, object_id=elsewhere.pk))
    assert (rewritten.status_code, moved.status_code) == (403, 403)
    assert quotes(entry) == ["The strategy is adopted."]
    assert quotes(elsewhere) == ["A draft's passage."]


def test_it_refuses_deleting_citations_in_the_citation_admin_one_or_all(
    person_client, contributor, other_contributor, other_editor
):
    entry = published_by(contributor, other_editor)
    theirs = draft_by(other_contributor)
    citation = entry.citations.get()
    delete = person_client.post(
        reverse("admin:sources_citation_delete", args=[citation.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    person_client.post(
        reverse("admin:sources_citation_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": list(Citation.objects.values_list("pk", flat=True)),
        },
    )
    assert quotes(entry) == ["The strategy is adopted."]
    assert quotes(theirs) == ["A draft's passage."]


def test_it_still_lets_everyone_read_the_citation_list(person_client, contributor):
    draft_by(contributor)
    assert person_client.get(reverse("admin:sources_citation_changelist")).status_code == 200


def change_post(entry, citations, *, extra=(), delete=()):
    """The commitment's change form: its fields as stored, its citations with some changes."""
    data = form_data(entry, title=entry.title, seen_version=entry.version)
    rows = [*citations, *extra]
    data.update(
        {
            f"{CITATIONS}-TOTAL_FORMS": str(len(rows)),
            f"{CITATIONS}-INITIAL_FORMS": str(len(citations)),
            f"{CITATIONS}-MIN_NUM_FORMS": "0",
            f"{CITATIONS}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        for name in PASSAGE_FIELDS:
            data[f"{CITATIONS}-{index}-{name}"] = row[name]
        if row.get("id"):
            data[f"{CITATIONS}-{index}-id"] = row["id"]
        if row.get("id") in delete:
            data[f"{CITATIONS}-{index}-DELETE"] = "on"
    return data


def as_row(citation, **changes):
    """A row of the entry's citation inline, for an existing citation."""
    return {"id": citation.pk, **passage(citation), **changes}


def new_row(quote):
    return {
        "source": factories.source().pk,
        "page": "",
        "section": "Goals",
        "footnote": "",
        "quote": quote,
        "note": "",
        "position": 1,
    }


def change_url(entry):
    return reverse("admin:policies_commitment_change", args=[entry.pk])


def test_a_citation_only_change_in_the_entrys_form_is_a_new_version_in_its_history(
    contributor_client, contributor
):
    entry = draft_by(contributor)
    citation = entry.citations.get()
    response = contributor_client.post(
        change_url(entry), change_post(entry, [as_row(citation, quote="A corrected passage.")])
    )
    assert response.status_code == 302
    saved = Commitment.objects.get(pk=entry.pk)
    assert saved.version == entry.version + 1
    latest = saved.history.latest("history_date")
    assert (latest.version, latest.history_user) == (saved.version, contributor)
    assert quotes(entry) == ["A corrected passage."]
    assert citation.history.latest("history_date").history_user == contributor


def test_an_editor_adds_and_removes_citations_of_an_entry_in_review_as_a_new_version(
    editor_client, editor, contributor
):
    entry = workflow.entry_submit(draft_by(contributor), by=contributor)
    citation = entry.citations.get()
    response = editor_client.post(
        change_url(entry),
        change_post(
            entry, [as_row(citation)], extra=[new_row("The better passage.")], delete={citation.pk}
        ),
    )
    assert response.status_code == 302
    assert quotes(entry) == ["The better passage."]
    assert Commitment.objects.get(pk=entry.pk).version == entry.version + 1


def test_a_contributor_cannot_change_the_citations_of_anothers_draft_in_its_form(
    contributor_client, other_contributor
):
    theirs = draft_by(other_contributor)
    citation = theirs.citations.get()
    response = contributor_client.post(
        change_url(theirs), change_post(theirs, [as_row(citation, quote="Vandalised.")])
    )
    assert response.status_code == 403
    assert quotes(theirs) == ["A draft's passage."]


def test_nobody_changes_a_published_entrys_citations_in_its_form(
    person_client, contributor, other_editor
):
    entry = published_by(contributor, other_editor)
    citation = entry.citations.get()
    response = person_client.post(
        change_url(entry), change_post(entry, [as_row(citation)], delete={citation.pk})
    )
    assert response.status_code == 403
    assert quotes(entry) == ["The strategy is adopted."]
    assert "citations-0-quote" not in person_client.get(change_url(entry)).text


def test_a_published_entrys_citations_change_through_its_reviewed_pending_edit(
    contributor_client, contributor, editor, other_editor
):
    entry = published_by(contributor, other_editor)
    draft = workflow.entry_start_edit(entry, by=contributor)
    response = contributor_client.post(
        change_url(draft),
        change_post(draft, [as_row(draft.citations.get(), quote="The strategy was adopted.")]),
    )
    assert response.status_code == 302
    assert quotes(entry) == ["The strategy is adopted."]  # live until reviewed
    workflow.entry_publish(workflow.entry_submit(draft, by=contributor), by=editor)
    assert quotes(entry) == ["The strategy was adopted."]
