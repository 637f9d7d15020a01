"""An import's queries do not grow with its new rows, and grow by a small constant with each
updated one: natural keys, sources and the rows already there are looked up once a file, new
entries are written a batch at a time, check constraints are left to the database's insert."""

import math

import pytest
import tablib

from policies.imports import BATCH_SIZE, CommitmentResource, FundingResource
from tests import factories

pytestmark = pytest.mark.django_db

# Per file: the importer's permissions, the natural keys of each relation column, the sources,
# the rows already there, the transaction.
QUERIES_PER_FILE = 20
# Per batch of new rows: its savepoint, the entries, their citations and both histories.
QUERIES_PER_BATCH = 5
# Per updated row: the check constraints, the workflow's savepoint (2), the stored row locked,
# the entry's two saves and its history (4), the citation looked for.
QUERIES_PER_UPDATED_ROW = 9


@pytest.fixture
def references():
    jurisdiction = factories.jurisdiction()
    policies = [factories.policy(slug=f"policy-{i}", jurisdiction=jurisdiction) for i in range(3)]
    actors = [factories.actor(slug=f"actor-{i}") for i in range(3)]
    factories.source(slug="report")
    return policies, actors


def commitments(n: int, title: str = "Pledge") -> tablib.Dataset:
    data = tablib.Dataset(
        headers=[
            "slug", "policy", "title", "kind", "pledged_by", "due", "metric", "target_value",
            "citation_source", "citation_page", "citation_quote",
        ]
    )  # fmt: skip
    for i in range(n):
        data.append(
            [
                f"pledge-{i}", f"policy-{i % 3}", f"{title} {i}", "quantitative_target",
                f"actor-{i % 3}", "2024", "share", "30.5", "report", str(i), f"quote {i}",
            ]
        )  # fmt: skip
    return data


@pytest.mark.parametrize("rows", [1, 25, BATCH_SIZE + 1])
@pytest.mark.parametrize("dry_run", [True, False])
def test_new_rows_cost_a_few_queries_a_batch_not_a_row(
    references, contributor, django_assert_max_num_queries, rows, dry_run
):
    batches = math.ceil(rows / BATCH_SIZE)
    with django_assert_max_num_queries(QUERIES_PER_FILE + (batches - 1) * QUERIES_PER_BATCH):
        result = CommitmentResource().import_data(
            commitments(rows), dry_run=dry_run, user=contributor
        )

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == rows


def test_an_update_of_drafts_costs_a_constant_number_of_queries_a_row(
    references, contributor, django_assert_max_num_queries
):
    CommitmentResource().import_data(commitments(25), dry_run=False, user=contributor)
    renamed = commitments(25, title="Renamed")

    with django_assert_max_num_queries(QUERIES_PER_FILE + 25 * QUERIES_PER_UPDATED_ROW):
        result = CommitmentResource().import_data(renamed, dry_run=False, user=contributor)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 25


def test_a_row_may_refer_to_an_entry_created_by_an_earlier_row_of_the_same_file(contributor):
    factories.policy(slug="ru-ai")
    data = tablib.Dataset(
        headers=["slug", "policy", "kind", "amount", "currency", "delivers_against"]
    )
    data.append(["pledged", "ru-ai", "pledged", "100", "RUB", ""])
    data.append(["spent", "ru-ai", "spent", "40", "RUB", "pledged"])

    result = FundingResource().import_data(data, dry_run=False, user=contributor)

    assert not result.has_errors() and not result.has_validation_errors(), [
        r.error_dict for r in result.invalid_rows
    ]
    assert {r.import_type for r in result.rows} == {"new"}
