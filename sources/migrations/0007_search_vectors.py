# Stored search vectors on PostgreSQL only, as policies/migrations/0012_search_vectors.py:
# fields as in sources/filters.py, weighted A (what names the entry, the passage itself), B, C,
# D; the expression indexes of 0003 dropped (backwards, rebuilt); its trigram indexes stay.
#
# Self-contained: it names only this app's tables. Adding a stored column rewrites the table.

from django.db import migrations

from tracker.core.migration_operations import stored_search_vector


def search_vector(model_name, weighted, fields_0003):
    return stored_search_vector(f"sources_{model_name}", model_name, weighted, fields_0003)


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
