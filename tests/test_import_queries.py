"""An import's queries grow by a small constant a row: natural keys, sources and constraints
are looked up once a file or once a row, never once a column and a check."""

import pytest
import tablib

from policies.imports import CommitmentResource, FundingResource
from tests import factories

pytestmark = pytest.mark.django_db

# Per new row: its savepoint (2), its check constraints together (1), its unique key (3, with
# Django's savepoint), the workflow's savepoint (2), the entry's insert, update and history
# (4), its citation and the citation's history (2).
QUERIES_PER_ROW = 14
# Per file: the importer's permissions, the natural keys of each relation column, the sources,
# the rows already there, the transaction.
QUERIES_PER_FILE = 12


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


@pytest.mark.parametrize("rows", [1, 25])
@pytest.mark.parametrize("dry_run", [True, False])
def test_an_import_costs_a_constant_number_of_queries_a_row(
    references, contributor, django_assert_max_num_queries, rows, dry_run
):
    with django_assert_max_num_queries(QUERIES_PER_FILE + rows * QUERIES_PER_ROW):
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

    # An update also locks the stored row and checks the citation is not there already.
    with django_assert_max_num_queries(QUERIES_PER_FILE + 25 * (QUERIES_PER_ROW + 2)):
        result = CommitmentResource().import_data(renamed, dry_run=False, user=contributor)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 25


def test_a_row_may_refer_to_an_entry_created_by_an_earlier_row_of_the_same_file(contributor):
    factories.policy(slug="ru-ai")
    data = tablib.Dataset(headers=["slug", "policy", "kind", "amount", "currency", "delivers_against"])
    data.append(["pledged", "ru-ai", "pledged", "100", "RUB", ""])
    data.append(["spent", "ru-ai", "spent", "40", "RUB", "pledged"])

    result = FundingResource().import_data(data, dry_run=False, user=contributor)

    assert not result.has_errors() and not result.has_validation_errors(), [
        r.error_dict for r in result.invalid_rows
    ]
    assert {r.import_type for r in result.rows} == {"new"}
