# Full-text tables on SQLite only, beside the stored search vectors PostgreSQL has (0012): see
# tracker/core/search.py and sqlite_full_text in tracker/core/migration_operations.py. Each
# searched table gains `<table>_words` and `<table>_trigrams` (FTS5), filled from its rows and
# kept in step by triggers. Their columns are the kind's TextFilter fields (policies/filters.py)
# in the same order, with 0012's weights.
#
# Self-contained: it names only this app's tables. Nothing happens on PostgreSQL.

from django.db import migrations

from tracker.core.migration_operations import sqlite_full_text


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0012_search_vectors"),
    ]

    operations = [
        *sqlite_full_text(
            "policies_policy",
            [("title", "A"), ("title_original", "A"), ("summary", "C"), ("instrument", "B")],
        ),
        *sqlite_full_text(
            "policies_commitment", [("title", "A"), ("description", "C"), ("metric", "B")]
        ),
        *sqlite_full_text("policies_event", [("title", "A"), ("description", "C")]),
        *sqlite_full_text("policies_funding", [("purpose", "A")]),
        *sqlite_full_text(
            "policies_actor", [("name", "A"), ("name_original", "A"), ("description", "C")]
        ),
        *sqlite_full_text("policies_estimate", [("measure", "A"), ("publisher", "B")]),
    ]
