"""Crafted admin POSTs (ids that are not numbers or not there, tampered inline management
forms, a date the site cannot read) are form errors on the page that was posted, never a 500,
and nothing is saved."""

import pytest
from django.urls import reverse

from policies.models import Commitment, Event
from sources.models import Citation
from tests import factories
from tests.admin_forms import client_for, form_data
from tracker.core import workflow
from tracker.core.admin import PARTS_PER_ENTRY
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

CITATIONS = "sources-citation-content_type-object_id"
NOT_IDS = ["abc", "1.5", "-1", "99999999999999999999", "1e3", "\x00", "٩٩٩٩٩"]


@pytest.fixture(params=["contributor", "editor"])
def person(request):
    return request.getfixturevalue(request.param)


def change_page(client, entry):
    opts = entry._meta
    return client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk]))


def new_commitment_data(client, person):
    """A valid add form for a commitment, with one citation row: what the page posts."""
    template = factories.commitment(created_by=person)
    factories.cite(template, quote="A passage of the template.")
    data = form_data(change_page(client, template))
    data["slug"] = "a-new-commitment"
    # The rows are new on the add page: no ids, and no initial forms.
    for name in list(data):
        if name.startswith(f"{CITATIONS}-0-") and name.endswith(("-id", "-object_id")):
            del data[name]
    data[f"{CITATIONS}-INITIAL_FORMS"] = "0"
    return data


def refused(response, field=None):
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    if field is not None:
        assert field in form.errors, form.errors
    return form


def test_the_add_form_data_of_these_tests_saves_when_left_alone(person):
    client = client_for(person)
    data = new_commitment_data(client, person)
    assert client.post(reverse("admin:policies_commitment_add"), data).status_code == 302
    saved = Commitment.objects.get(slug="a-new-commitment")
    assert list(saved.citations.values_list("quote", flat=True)) == ["A passage of the template."]


# Each test below posts one page's form with every crafted value in turn (a subtest each): a
# refused post saves nothing, so the next starts from the same rows, and the page is read once.


def test_a_commitment_of_a_policy_id_that_is_no_id_is_a_form_error(person, subtests):
    client = client_for(person)
    data = new_commitment_data(client, person)
    for value in NOT_IDS:
        with subtests.test(value=value):
            response = client.post(
                reverse("admin:policies_commitment_add"), {**data, "policy": value}
            )
            refused(response, "policy")
            assert not Commitment.objects.filter(slug="a-new-commitment").exists()


def test_an_event_with_actors_that_are_no_ids_is_a_form_error(person, subtests):
    client = client_for(person)
    event = factories.event(created_by=person)
    data = form_data(change_page(client, event))
    actor = str(factories.actor().pk)
    for value in NOT_IDS:
        with subtests.test(value=value):
            url = reverse("admin:policies_event_change", args=[event.pk])
            response = client.post(url, {**data, "actors": [value, actor]})
            refused(response, "actors")
            assert Event.objects.get(pk=event.pk).version == event.version


def test_a_citation_row_whose_source_is_no_id_is_a_form_error(person, subtests):
    client = client_for(person)
    data = new_commitment_data(client, person)
    for value in NOT_IDS:
        with subtests.test(value=value):
            crafted = {**data, f"{CITATIONS}-0-source": value}
            response = client.post(reverse("admin:policies_commitment_add"), crafted)
            assert response.status_code == 200
            assert not Commitment.objects.filter(slug="a-new-commitment").exists()


def test_a_citation_row_whose_id_is_no_citation_of_the_entry_changes_no_citation(person, subtests):
    client = client_for(person)
    entry = factories.commitment(created_by=person)
    factories.cite(entry, quote="Its own passage.")
    elsewhere = factories.cite(factories.commitment(state=State.PUBLISHED), quote="Elsewhere.")
    url = reverse("admin:policies_commitment_change", args=[entry.pk])
    for crafted in [*NOT_IDS, "0", str(elsewhere.pk)]:
        with subtests.test(crafted=crafted):
            # Read again each time: a post that Django takes (leaving the row out) moves the
            # entry's version, which the next post must carry.
            data = form_data(change_page(client, entry))
            data[f"{CITATIONS}-0-id"] = crafted
            data[f"{CITATIONS}-0-quote"] = "Rewritten."
            response = client.post(url, data)
            # Refused, or (Django's way with a row outside the entry's citations) left out.
            assert response.status_code in (200, 302), (crafted, response.status_code)
            assert Citation.objects.get(pk=elsewhere.pk).quote == "Elsewhere."
            assert list(entry.citations.values_list("quote", flat=True)) == ["Its own passage."]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TOTAL_FORMS", "abc"),
        ("TOTAL_FORMS", "-1"),
        ("TOTAL_FORMS", "1000000000"),
        ("TOTAL_FORMS", "99999999999999999999"),
        ("INITIAL_FORMS", "5"),
        ("INITIAL_FORMS", "-3"),
        ("INITIAL_FORMS", "abc"),
        ("MAX_NUM_FORMS", "abc"),
    ],
)
def test_a_tampered_inline_management_form_saves_nothing_half_way(person, name, value):
    client = client_for(person)
    data = {**new_commitment_data(client, person), f"{CITATIONS}-{name}": value}
    response = client.post(reverse("admin:policies_commitment_add"), data)
    assert response.status_code in (200, 302), response.status_code
    saved = Commitment.objects.filter(slug="a-new-commitment").first()
    if response.status_code == 200:
        assert saved is None
    else:
        # A negative count of rows is no rows: the entry is saved whole, as one version.
        quotes = list(saved.citations.values_list("quote", flat=True))
        assert quotes in ([], ["A passage of the template."])
        assert saved.history.count() == 1


def test_an_unreadable_required_date_has_its_own_error_only(person):
    client = client_for(person)
    event = factories.event(created_by=person)
    data = {**form_data(change_page(client, event)), "slug": "new-event", "occurred": "2019-Q5"}
    form = refused(client.post(reverse("admin:policies_event_add"), data))
    assert list(form.errors) == ["occurred"]
    assert "is not a date this site understands" in form.errors["occurred"][0]
    assert not Event.objects.filter(slug="new-event").exists()


def test_a_missing_required_date_says_it_is_required(person):
    client = client_for(person)
    event = factories.event(created_by=person)
    data = {**form_data(change_page(client, event)), "occurred": ""}
    form = refused(client.post(reverse("admin:policies_event_change", args=[event.pk]), data))
    assert form.errors == {"__all__": ["The occurred is required."]}


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        (factories.funding, "amount", "0"),
        (factories.funding, "qualifier", "range"),
        (factories.estimate, "qualifier", "range"),
    ],
)
def test_a_change_whose_values_do_not_fit_together_is_a_form_error_on_the_stored_entry(
    person, build, field, value
):
    """Found by the admin fuzzer: the page named the entry with the refused values (its money
    cannot be written with them) and crashed; it names the entry as stored."""
    entry = build(created_by=person, state=State.DRAFT)
    client = client_for(person)
    data = {**form_data(change_page(client, entry)), field: value}
    opts = entry._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
    response = client.post(url, data)
    refused(response)
    assert str(entry) in response.text
    assert type(entry).objects.get(pk=entry.pk).version == entry.version


def test_a_crafted_count_of_rows_builds_at_most_the_parts_an_entry_may_have(person):
    client = client_for(person)
    data = {**new_commitment_data(client, person), f"{CITATIONS}-TOTAL_FORMS": "1000000000"}
    response = client.post(reverse("admin:policies_commitment_add"), data)
    assert response.status_code == 200
    formset = next(
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == CITATIONS
    )
    assert len(formset.formset.forms) <= PARTS_PER_ENTRY
    assert f"Please submit at most {PARTS_PER_ENTRY} forms." in response.text
    assert not Commitment.objects.filter(slug="a-new-commitment").exists()


def test_a_relation_to_a_pending_edit_instead_of_its_entry_is_a_form_error(person, subtests):
    """The autocomplete offers entries only; a crafted id of a pending edit is refused the same."""
    client = client_for(person)
    actor = factories.actor(state=State.PUBLISHED)
    edit = workflow.entry_start_edit(actor, by=person)
    event = factories.event(created_by=person)
    data = form_data(change_page(client, event))
    url = reverse("admin:policies_event_change", args=[event.pk])
    with subtests.test(relation="many-to-many"):
        refused(client.post(url, {**data, "actors": [str(edit.pk)]}), "actors")
    commitment = new_commitment_data(client, person)
    with subtests.test(relation="foreign key"):
        posted = {**commitment, "pledged_by": str(edit.pk)}
        refused(client.post(reverse("admin:policies_commitment_add"), posted), "pledged_by")
    assert not Commitment.objects.filter(slug="a-new-commitment").exists()
    assert Event.objects.get(pk=event.pk).version == event.version
