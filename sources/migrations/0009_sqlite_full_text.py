# Full-text tables on SQLite only, as policies/migrations/0013_sqlite_full_text.py: columns as
# the TextFilter fields in sources/filters.py, in the same order, with 0007's weights.
#
# Self-contained: it names only this app's tables. Nothing happens on PostgreSQL.

from django.db import migrations

from tracker.core.migration_operations import sqlite_full_text


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0008_source_documents_and_verified_quotes"),
    ]

    operations = [
        *sqlite_full_text(
            "sources_source",
            [
                ("title", "A"),
                ("subtitle", "B"),
                ("publisher", "C"),
                ("series", "C"),
                ("how_to_cite", "D"),
            ],
        ),
        *sqlite_full_text("sources_citation", [("quote", "A"), ("section", "B"), ("note", "C")]),
    ]
