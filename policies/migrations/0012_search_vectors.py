# Stored search vectors, on PostgreSQL only: see StoredSearchVector in tracker/core/search.py
# and tracker/core/migration_operations.py. Each searched table gains `search_vector`, a
# generated column PostgreSQL keeps in step with the row, so that ranking reads it instead of
# computing to_tsvector for every match, with a GIN index for the match itself. Its fields are
# the kind's TextFilter fields (policies/filters.py), weighted: A for what names the entry, B
# for a short field beside it, C for the long text. The expression indexes of 0003 that the
# column replaces are dropped (backwards, rebuilt exactly); 0003's trigram indexes stay.
#
# Self-contained: it names only this app's tables. Adding a stored column rewrites the table.

from django.db import migrations

from tracker.core.migration_operations import stored_search_vector


def search_vector(model_name, weighted, fields_0003):
    return stored_search_vector(f"policies_{model_name}", model_name, weighted, fields_0003)


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0011_commitment_standing"),
    ]

    operations = [
        *search_vector(
            "policy",
            [("title", "A"), ("title_original", "A"), ("instrument", "B"), ("summary", "C")],
            ["title", "title_original", "summary", "instrument"],
        ),
        *search_vector(
            "commitment",
            [("title", "A"), ("metric", "B"), ("description", "C")],
            ["title", "description", "metric"],
        ),
        *search_vector(
            "event", [("title", "A"), ("description", "C")], ["title", "description"]
        ),
        *search_vector("funding", [("purpose", "A")], ["purpose"]),
        *search_vector(
            "actor",
            [("name", "A"), ("name_original", "A"), ("description", "C")],
            ["name", "name_original", "description"],
        ),
        *search_vector(
            "estimate", [("measure", "A"), ("publisher", "B")], ["measure", "publisher"]
        ),
    ]
