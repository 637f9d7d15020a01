# Search indexes on PostgreSQL only; see tracker/site/search.py and tracker/core/migration_operations.py.
# Each expression must be the one text_search() builds for the kind's TextFilter fields
# (policies/filters.py), in the same order, or the planner cannot use the index.

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Func, TextField, Value
from django.db.models.functions import Coalesce, Upper

from tracker.core.migration_operations import AddIndexOnPostgreSQL


def search_text(*fields):
    return Func(
        *[Coalesce(name, Value(""), output_field=TextField()) for name in fields],
        template="(%(expressions)s)",
        arg_joiner=" || E'\\n' || ",
        output_field=TextField(),
    )


def search_indexes(model_name, *fields):
    return [
        AddIndexOnPostgreSQL(
            model_name,
            GinIndex(SearchVector(*fields, config="english"), name=f"{model_name}_search_fts"),
        ),
        AddIndexOnPostgreSQL(
            model_name,
            GinIndex(
                OpClass(Upper(search_text(*fields)), name="gin_trgm_ops"),
                name=f"{model_name}_search_trgm",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0002_historicalactor_historicalassessment_and_more"),
    ]

    operations = [
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
        # Nothing happens on SQLite.
        TrigramExtension(),
        *search_indexes("policy", "title", "title_original", "summary", "instrument"),
        *search_indexes("commitment", "title", "description", "metric"),
        *search_indexes("event", "title", "description"),
        *search_indexes("funding", "purpose"),
        *search_indexes("actor", "name", "name_original", "description"),
        *search_indexes("estimate", "measure", "publisher"),
    ]
