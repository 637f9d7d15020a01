"""A dry run, and a confirmed import that fails, leave every table as it was."""

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.urls import reverse

from policies.models import Commitment
from tests import factories
from tests.test_import import GOOD_ROWS, HEADER, confirm, upload
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def references():
    factories.policy(slug="ru-ai")
    factories.source(slug="report")


def every_table():
    """Each table's rows, as a set of primary keys: history, transitions, the public data
    version and its changes, the admin log, sessions aside (logging in writes one)."""
    return {
        model._meta.db_table: set(model._default_manager.values_list("pk", flat=True))
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table not in {"django_session", "axes_accessattempt", "axes_accesslog"}
    }


def test_a_dry_run_leaves_every_table_as_it_was(contributor_client):
    before = every_table()

    dry_run = upload(contributor_client, (HEADER + GOOD_ROWS).encode())

    assert dry_run.context["confirm_form"] is not None
    assert every_table() == before


def test_a_dry_run_with_errors_leaves_every_table_as_it_was(contributor_client):
    before = every_table()
    bad = "bad,no-policy,Bad,deliverable,2020,report,Introduction,a quote\n"

    dry_run = upload(contributor_client, (HEADER + GOOD_ROWS + bad).encode())

    assert dry_run.context["result"].has_validation_errors()
    assert every_table() == before


def test_a_confirm_that_fails_on_one_row_leaves_every_table_as_it_was(contributor_client):
    dry_run = upload(contributor_client, (HEADER + GOOD_ROWS).encode())
    # Between the dry run and the confirm, an editor publishes an entry with one row's slug.
    factories.commitment(slug="leadership-2030", state=State.PUBLISHED)
    before = every_table()

    response = confirm(contributor_client, dry_run)

    assert every_table() == before
    assert not Commitment.objects.filter(slug="present-strategy").exists()
    # Said as an error on the import page, not as "Import finished" on the list.
    assert response.url == reverse("admin:policies_commitment_import")
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(said) == 1 and said[0].startswith("Nothing was imported: the data changed")
    assert "Import finished" not in said[0]


def test_a_key_taken_while_the_file_is_imported_imports_nothing_and_says_so(
    contributor, monkeypatch
):
    import tablib

    from policies.imports import CommitmentResource

    data = tablib.Dataset(headers=["slug", "policy", "title"])
    data.append(["taken-meanwhile", "ru-ai", "Mine"])
    data.append(["free", "ru-ai", "Also mine"])
    resource = CommitmentResource()
    write = resource.flush

    def someone_else_takes_the_key():
        factories.commitment(slug="taken-meanwhile")  # after every row was validated
        write()

    monkeypatch.setattr(resource, "flush", someone_else_takes_the_key)
    before = every_table()

    result = resource.import_data(data, dry_run=False, user=contributor)

    assert result.has_errors()
    assert "Nothing was imported" in str(result.base_errors[0].error)
    # The other entry was written inside the import's transaction here, so it goes too.
    assert every_table() == before
