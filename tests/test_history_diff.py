"""The history says what changed in the words of the entry's pages: dates as they read, amounts
as money, links and people by their names, citations added, removed and changed. A reviewer
gets from the entry's page to what there is to review: everything a new draft sets, or what a
pending edit would change in the published entry."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.models import Commitment
from tests import factories
from tests.admin_forms import form_data
from tracker.core import workflow
from tracker.core.versions import changes_between

pytestmark = pytest.mark.django_db

CITATIONS = "sources-citation-content_type-object_id"
# The history page of an event (the kind with the most links) and its compare page, whatever
# its number of versions, links and citations.
HISTORY_PAGE_QUERIES = 15
COMPARE_PAGE_QUERIES = 15


def admin_url(entry, view):
    opts = entry._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[entry.pk])


def edit_in_admin(client, entry, **fields):
    """Change the entry in its change form, posting the form as the page shows it."""
    data = {**form_data(client.get(admin_url(entry, "change"))), **fields}
    response = client.post(admin_url(entry, "change"), data)
    assert response.status_code == 302, response.context["errors"]
    return type(entry).objects.get(pk=entry.pk)


def history(client, entry):
    """The history list's rows, newest first: (version, changed by, what changed)."""
    response = client.get(admin_url(entry, "history"))
    assert response.status_code == 200
    return response.context["versions"]


def latest_changes(client, entry):
    _version, _by, changes = history(client, entry)[0]
    return changes


def passage(source, where, quote, extra=""):
    return f"{source.title}, {where}: “{quote}”{extra}"


def test_a_due_date_change_shows_both_dates_as_they_read(
    contributor, contributor_client, editor_client
):
    entry = factories.commitment(created_by=contributor, due="2024")
    edit_in_admin(contributor_client, entry, due="2025-Q4")
    assert latest_changes(editor_client, entry) == [("Due date", "2024", "Q4 2025")]
    page = editor_client.get(admin_url(entry, "history")).text
    assert "<strong>Due date:</strong> 2024 &rarr; Q4 2025" in page
    old, new = entry.history.order_by("history_date")
    compare = editor_client.get(
        admin_url(entry, "compare"), {"old": old.history_id, "new": new.history_id}
    )
    assert compare.context["changes"] == [("Due date", "2024", "Q4 2025")]


def test_a_funding_amount_change_shows_the_amounts_as_money(
    contributor, contributor_client, editor_client
):
    funding = factories.funding(created_by=contributor, amount=Decimal("1000000"), currency="RUB")
    edit_in_admin(contributor_client, funding, amount="1600000000000", qualifier="about")
    assert latest_changes(editor_client, funding) == [
        ("Amount", "RUB 1 million", "about RUB 1.6 trillion")
    ]


def test_citations_added_removed_and_changed_show_as_such(
    contributor, contributor_client, editor_client
):
    entry = factories.commitment(created_by=contributor)
    kept, dropped, added = (factories.source() for _ in range(3))
    factories.cite(entry, source=kept, section="Introduction", quote="Old words.", position=0)
    factories.cite(entry, source=dropped, section="Goals", quote="Going away.", position=1)
    # A version holds the citations its entry had when it was saved.
    workflow.entry_save(entry, by=contributor, seen_version=entry.version)
    edit_in_admin(
        contributor_client,
        entry,
        **{
            f"{CITATIONS}-0-quote": "New words.",
            f"{CITATIONS}-1-DELETE": "on",
            f"{CITATIONS}-2-source": added.pk,
            f"{CITATIONS}-2-section": "Annex",
            f"{CITATIONS}-2-quote": "A new passage.",
            f"{CITATIONS}-2-position": "2",
        },
    )
    changes = latest_changes(editor_client, entry)
    assert sorted(changes) == [
        ("Citation added", "—", passage(added, "section “Annex”", "A new passage.")),
        (
            "Citation changed",
            passage(kept, "section “Introduction”", "Old words."),
            passage(kept, "section “Introduction”", "New words."),
        ),
        ("Citation removed", passage(dropped, "section “Goals”", "Going away."), "—"),
    ]


def test_an_events_links_and_relations_show_by_the_names_of_their_entries(
    contributor, contributor_client, editor_client
):
    event = factories.event(created_by=contributor)
    policy = factories.policy(title="National AI Strategy")
    country = factories.jurisdiction(name="Russia")
    edit_in_admin(contributor_client, event, policies=[policy.pk], jurisdiction=country.pk)
    changes = latest_changes(editor_client, event)
    assert ("Policies", "—", "National AI Strategy") in changes
    assert ("Jurisdiction", "—", "Russia") in changes


def test_a_policys_actors_show_by_name_with_their_roles(contributor, editor_client):
    from policies.models import PolicyActor

    policy = factories.policy(created_by=contributor)
    ministry = factories.actor(name="Ministry of Economic Development")

    def add_actor():
        PolicyActor.objects.create(policy=policy, actor=ministry, role="leads")

    workflow.entry_save(policy, by=contributor, seen_version=policy.version, parts=add_actor)
    assert ("Actors", "—", "Ministry of Economic Development (Leads)") in latest_changes(
        editor_client, policy
    )


def test_people_show_by_their_names_and_a_deleted_account_never_as_a_raw_id(
    contributor, editor_client
):
    contributor.first_name, contributor.last_name = "Rosa", "Researcher"
    contributor.save()
    entry = factories.commitment(created_by=contributor)
    factories.cite(entry)
    workflow.entry_submit(entry, by=contributor)
    _version, changed_by, changes = history(editor_client, entry)[0]
    assert changed_by == "Rosa Researcher"
    assert ("State", "Draft", "In review") in changes
    assert ("Submitted by", "—", "Rosa Researcher") in changes

    account = contributor.pk
    contributor.delete()
    _version, changed_by, changes = history(editor_client, entry)[0]
    assert changed_by == "—"
    assert ("Submitted by", "—", f"deleted user #{account}") in changes
    assert "pk=None" not in editor_client.get(admin_url(entry, "history")).text


def test_a_reviewer_sees_every_field_and_the_citation_a_new_draft_sets(
    contributor, contributor_client, editor_client
):
    policy = factories.policy(title="National AI Strategy")
    decree = factories.source(title="Decree 490")
    add = reverse("admin:policies_commitment_add")
    data = {
        **form_data(contributor_client.get(add)),
        "slug": "present-the-strategy",
        "policy": policy.pk,
        "title": "Present the strategy",
        "pledged": "2019-02",
        "due": "2019-07-01",
        f"{CITATIONS}-0-source": decree.pk,
        f"{CITATIONS}-0-section": "Introduction",
        f"{CITATIONS}-0-quote": "to be presented by 1 July 2019",
    }
    assert contributor_client.post(add, data).status_code == 302
    entry = Commitment.objects.get(slug="present-the-strategy")
    workflow.entry_submit(entry, by=contributor)

    page = editor_client.get(admin_url(entry, "change")).text
    assert admin_url(entry, "compare") in page and "All its fields and citations" in page
    changes = editor_client.get(admin_url(entry, "compare")).context["changes"]
    for row in [
        ("Slug", "—", "present-the-strategy"),
        ("Policy", "—", "National AI Strategy"),
        ("Title", "—", "Present the strategy"),
        ("Kind", "—", "Deliverable"),
        ("Pledge date", "—", "February 2019"),
        ("Due date", "—", "1 July 2019"),
        (
            "Citation added",
            "—",
            passage(decree, "section “Introduction”", "to be presented by 1 July 2019"),
        ),
        ("State", "—", "In review"),
    ]:
        assert row in changes
    labels = {label for label, _before, _after in changes}
    assert not labels & {"Metric", "Description", "Version", "Due start", "Due end"}
    # Its first version, on the history page, shows the same: it is compared with nothing.
    _version, _by, created = history(editor_client, entry)[-1]
    assert ("Due date", "—", "1 July 2019") in created


def test_a_reviewer_compares_a_pending_edit_with_the_published_entry(
    contributor, contributor_client, editor, editor_client
):
    entry = factories.commitment(created_by=contributor, due="2024", title="Present it")
    source = factories.source()
    factories.cite(entry, source=source, section="Goals", quote="The first passage.")
    entry = workflow.entry_save(entry, by=contributor, seen_version=entry.version)
    entry = workflow.entry_publish(workflow.entry_submit(entry, by=contributor), by=editor)
    contributor_client.post(admin_url(entry, "transition"), {"action": "start_edit"})
    draft = Commitment.objects.get(draft_of=entry)
    edit_in_admin(
        contributor_client,
        draft,
        due="2025-Q4",
        **{f"{CITATIONS}-0-note": "Read with the annex."},
    )
    workflow.entry_submit(Commitment.objects.get(pk=draft.pk), by=contributor)

    page = editor_client.get(admin_url(draft, "change")).text
    assert admin_url(draft, "compare") in page and "Changes to the published entry" in page
    compare = editor_client.get(admin_url(draft, "compare"))
    assert "From the published entry" in compare.text
    # What publishing the edit would change; not its editorial state, which publishing keeps.
    assert compare.context["changes"] == [
        ("Due date", "2024", "Q4 2025"),
        (
            "Citation changed",
            passage(source, "section “Goals”", "The first passage."),
            passage(source, "section “Goals”", "The first passage.", " Note: Read with the annex."),
        ),
    ]


def test_the_history_and_compare_pages_read_any_number_of_versions_in_a_few_queries(
    editor, editor_client, django_assert_max_num_queries
):
    event = factories.event(created_by=editor)
    factories.cite(event)
    links = [factories.policy() for _ in range(6)]

    def relink(n):
        event.policies.set(links[: n % 3 + 1])
        event.actors.set([factories.actor()])
        factories.cite(event, quote=f"Passage {n}.")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            history(editor_client, event)
        return len(captured)

    for n in range(2):
        event = workflow.entry_save(
            event, by=editor, seen_version=event.version, parts=lambda n=n: relink(n)
        )
    history(editor_client, event)  # content types are read once, then cached
    few = queries()
    for n in range(2, 10):
        event = workflow.entry_save(
            event, by=editor, seen_version=event.version, parts=lambda n=n: relink(n)
        )
    assert queries() == few
    with django_assert_max_num_queries(HISTORY_PAGE_QUERIES):
        history(editor_client, event)
    oldest = event.history.earliest("history_date")
    with django_assert_max_num_queries(COMPARE_PAGE_QUERIES):
        editor_client.get(admin_url(event, "compare"), {"old": oldest.history_id})


def test_the_oldest_version_on_a_page_is_compared_with_the_one_before_it_on_the_next(
    contributor, contributor_client, editor_client, monkeypatch
):
    from django.contrib import admin

    monkeypatch.setattr(admin.site._registry[Commitment], "history_list_per_page", 2)
    entry = factories.commitment(created_by=contributor, due="2024")
    for due in ("2025", "2026"):
        entry = edit_in_admin(contributor_client, entry, due=due)
    (_, _, newest), (_, _, oldest_on_page) = history(editor_client, entry)
    assert newest == [("Due date", "2025", "2026")]
    assert oldest_on_page == [("Due date", "2024", "2025")]


def test_a_draft_offers_the_changes_to_review_and_a_published_entry_does_not(
    contributor, editor, editor_client
):
    entry = factories.commitment(created_by=contributor)
    factories.cite(entry)
    assert "All its fields and citations" in editor_client.get(admin_url(entry, "change")).text
    entry = workflow.entry_publish(workflow.entry_submit(entry, by=contributor), by=editor)
    page = editor_client.get(admin_url(entry, "change")).text
    assert admin_url(entry, "compare") not in page


def test_a_changed_document_text_shows_its_size_and_fingerprint_not_its_words():
    source = factories.source(text="The first text of the report.")
    source.text = "The second text, " + "long " * 1000
    source.save()
    new, old = list(source.history.all()[:2])
    changed = {change.label: change for change in changes_between([(old, new)])[0]}
    before, after = changed["Document text"].before, changed["Document text"].after
    assert before.startswith("29 characters (SHA-256 ") and after.startswith("5,017 characters")
    assert "long long" not in after
