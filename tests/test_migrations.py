"""Migrations: the search indexes exist on PostgreSQL only, and migrate both ways."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

SEARCH_INDEXES = {
    f"{model}_search_{kind}"
    for model in (
        "policy",
        "commitment",
        "event",
        "funding",
        "actor",
        "estimate",
        "source",
        "citation",
    )
    for kind in ("fts", "trgm")
}
TABLES = [
    "policies_policy",
    "policies_commitment",
    "policies_event",
    "policies_funding",
    "policies_actor",
    "policies_estimate",
    "sources_source",
    "sources_citation",
]


def search_indexes() -> set[str]:
    with connection.cursor() as cursor:
        names = set()
        for table in TABLES:
            names |= set(connection.introspection.get_constraints(cursor, table))
    return names & SEARCH_INDEXES


@pytest.mark.django_db
def test_the_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_search_index_migrations_run_backwards_and_forwards():
    expected = SEARCH_INDEXES if connection.vendor == "postgresql" else set()
    assert search_indexes() == expected
    executor = MigrationExecutor(connection)
    executor.migrate([("policies", "0002_historicalactor_historicalassessment_and_more")])
    assert search_indexes() == set()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert search_indexes() == expected
