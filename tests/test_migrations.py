"""Migrations: the search vectors and indexes exist on PostgreSQL only, and migrate both ways."""

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
    for kind in ("vector", "trgm")
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


def tables_with_a_search_vector() -> set[str]:
    with connection.cursor() as cursor:
        return {
            table
            for table in TABLES
            if "search_vector"
            in {c.name for c in connection.introspection.get_table_description(cursor, table)}
        }


@pytest.mark.django_db
def test_the_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_search_index_migrations_run_backwards_and_forwards():
    on_postgresql = connection.vendor == "postgresql"
    expected = SEARCH_INDEXES if on_postgresql else set()
    assert search_indexes() == expected
    assert tables_with_a_search_vector() == (set(TABLES) if on_postgresql else set())
    executor = MigrationExecutor(connection)
    executor.migrate([("policies", "0002_historicalactor_historicalassessment_and_more")])
    assert search_indexes() == set()
    assert tables_with_a_search_vector() == set()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert search_indexes() == expected
    assert tables_with_a_search_vector() == (set(TABLES) if on_postgresql else set())
