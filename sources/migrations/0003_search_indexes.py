# Search indexes on PostgreSQL only, as policies/migrations/0003_search_indexes.py (which
# creates pg_trgm). Fields as in sources/filters.py, in the same order.

from django.contrib.postgres.indexes import GinIndex, OpClass
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
        ("sources", "0002_historicalcitation_historicalsource_and_more"),
        ("policies", "0003_search_indexes"),
    ]

    operations = [
        *search_indexes("source", "title", "subtitle", "publisher", "series", "how_to_cite"),
        *search_indexes("citation", "quote", "section", "note"),
    ]
