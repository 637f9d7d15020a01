# Stored search vectors on PostgreSQL only, as policies/migrations/0012_search_vectors.py:
# fields as in sources/filters.py, weighted A (what names the entry, the passage itself), B, C,
# D; the expression indexes of 0003 dropped (backwards, rebuilt); its trigram indexes stay.
#
# Self-contained: it names only this app's tables. Adding a stored column rewrites the table.

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

from tracker.core.migration_operations import RemoveIndexOnPostgreSQL, RunSQLOnPostgreSQL


def search_vector(model_name, weighted, fields_0003):
    """`search_vector` of `weighted` (column, weight) pairs and its index, in place of the
    expression index 0003 built over `fields_0003`."""
    table = f"sources_{model_name}"
    document = " || ".join(
        f"setweight(to_tsvector('english'::regconfig, COALESCE({column}, '')), '{weight}')"
        for column, weight in weighted
    )
    return [
        RunSQLOnPostgreSQL(
            sql=[
                f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS ({document}) STORED",
                f"CREATE INDEX {model_name}_search_vector ON {table} USING gin (search_vector)",
            ],
            # Dropping the column drops its index.
            reverse_sql=[f"ALTER TABLE {table} DROP COLUMN search_vector"],
        ),
        RemoveIndexOnPostgreSQL(
            model_name,
            GinIndex(SearchVector(*fields_0003, config="english"), name=f"{model_name}_search_fts"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0006_stored_visibility"),
    ]

    operations = [
        *search_vector(
            "source",
            [
                ("title", "A"),
                ("subtitle", "B"),
                ("series", "C"),
                ("publisher", "C"),
                ("how_to_cite", "D"),
            ],
            ["title", "subtitle", "publisher", "series", "how_to_cite"],
        ),
        *search_vector(
            "citation",
            [("quote", "A"), ("section", "B"), ("note", "C")],
            ["quote", "section", "note"],
        ),
    ]
