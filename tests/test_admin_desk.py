"""The admin as a researcher uses it: every form grouped by what a researcher thinks about,
every relation chosen by searching, slugs suggested from titles, fuzzy dates read back as typed,
citations quote-first, and the admin index showing a contributor their own work."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from tests.test_admin_workflow import cited_draft
from tracker.core import workflow
from tracker.core.admin import CuratedAdmin

pytestmark = pytest.mark.django_db

CURATED_ADMINS = [
    model_admin
    for model_admin in admin.site._registry.values()
    if isinstance(model_admin, CuratedAdmin)
]


def relations(model_admin) -> list[str]:
    """The form's fields that choose other entries."""
    opts = model_admin.model._meta
    names = set(model_admin.fields) - set(model_admin.readonly_fields)
    return sorted(
        f.name
        for f in opts.get_fields()
        if f.name in names and isinstance(f, models.ForeignKey | models.ManyToManyField)
    )


@pytest.mark.parametrize("model_admin", CURATED_ADMINS, ids=lambda a: a.model.__name__)
def test_every_relation_is_chosen_by_searching(model_admin):
    assert set(relations(model_admin)) <= set(model_admin.autocomplete_fields)
    for inline in model_admin.inlines:
        parent = {
            f.name
            for f in inline.model._meta.get_fields()
            if isinstance(f, models.ForeignKey) and f.related_model is model_admin.model
        }
        chosen = {
            f.name
            for f in inline.model._meta.get_fields()
            if isinstance(f, models.ForeignKey)
            and f.name not in parent
            and f.editable
            and f.name not in ("content_type", "by")
        }
        assert chosen <= set(inline.autocomplete_fields), inline.__name__


@pytest.mark.parametrize("model_admin", CURATED_ADMINS, ids=lambda a: a.model.__name__)
def test_every_slug_is_suggested_from_what_the_entry_is_called(model_admin):
    if "slug" in model_admin.fields:
        assert "slug" in model_admin.prepopulated_fields


def test_the_index_shows_a_contributor_their_drafts_submissions_and_changes_asked(
    contributor, editor, contributor_client
):
    draft = cited_draft(contributor)
    submitted = workflow.entry_submit(cited_draft(contributor), by=contributor)
    sent_back = workflow.entry_submit(cited_draft(contributor), by=contributor)
    workflow.entry_request_changes(sent_back, by=editor, comment="Add the decree number.")
    page = contributor_client.get(reverse("admin:index"))
    queues = page.context["queues"]
    assert [entry for _, entry, _ in queues["drafts"]["entries"]] == [draft]
    assert [entry for _, entry, _ in queues["submitted"]["entries"]] == [submitted]
    assert [entry for _, entry, _ in queues["changes"]["entries"]] == [sent_back]
    html = page.text
    assert "My entries in review" in html and "Add the decree number." in html
    assert reverse("admin:policies_commitment_change", args=[submitted.pk]) in html


def test_an_editor_s_index_lists_what_waits_for_their_review(contributor, editor_client):
    waiting = workflow.entry_submit(cited_draft(contributor), by=contributor)
    queues = editor_client.get(reverse("admin:index")).context["queues"]
    assert [entry for _, entry, _ in queues["review"]["entries"]] == [waiting]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("2019-Q4", {"display": "Q4 2019", "period": "1 October 2019 to 31 December 2019"}),
        ("2019-10-10", {"display": "10 October 2019", "period": "10 October 2019"}),
        ("", {}),
    ],
)
def test_a_fuzzy_date_is_read_back_as_the_curator_types_it(contributor_client, typed, read):
    response = contributor_client.get(reverse("admin:fuzzy_date"), {"value": typed})
    assert response.json() == read


def test_a_fuzzy_date_that_cannot_be_read_says_why(contributor_client):
    read = contributor_client.get(reverse("admin:fuzzy_date"), {"value": "sometime"}).json()
    assert set(read) == {"error"} and read["error"]


def test_the_fuzzy_date_preview_is_for_curators_only(client):
    assert client.get(reverse("admin:fuzzy_date"), {"value": "2019"}).status_code == 302


def test_the_commitment_form_is_grouped_by_what_when_and_how_much(contributor_client):
    page = contributor_client.get(reverse("admin:policies_commitment_add"))
    names = [fieldset.name for fieldset in page.context["adminform"]]
    assert names == ["What", "When", "How much", "Editorial"]
    html = page.text
    assert 'data-fuzzy-date="/admin/fuzzy-date/"' in html and "js/fuzzy-date.js" in html


def test_a_citation_is_a_block_with_its_quote_first(contributor_client):
    page = contributor_client.get(reverse("admin:policies_commitment_add"))
    (inline,) = [i for i in page.context["inline_admin_formsets"] if "citation" in i.formset.prefix]
    first_row = next(iter(next(iter(inline)).fieldsets[0][1]["fields"]))
    assert first_row == "quote"
    assert inline.opts.template.endswith("stacked.html")
