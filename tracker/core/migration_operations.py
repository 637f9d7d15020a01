"""Migration operations for the search indexes, which differ by database: PostgreSQL's
expression indexes and stored search vectors, SQLite's full-text tables.

The project migrates SQLite (development, tests) and PostgreSQL (production) from the same
migrations. A `GinIndex` in a model's `Meta.indexes` would be created on SQLite too, and fail
(`USING gin`, `to_tsvector`), and again every time SQLite rebuilds the table for an
`AlterField`. So the search indexes (`tracker/site/search.py`) are created by this operation
instead: on PostgreSQL only, and outside the migration state, like `RunSQL` with no state
operations. The models do not declare them, so `makemigrations` never sees them.

Write the index's expressions in the migration exactly as the query builds them (same fields,
same order, same config): PostgreSQL uses an expression index only for an identical
expression. `tests/test_search.py` checks the planner can use each of them.

The stored search vectors (a generated `tsvector` column per searched table, `search_vector`)
are added the same way, by `RunSQLOnPostgreSQL`: SQLite has no `tsvector`, and a column the
models do not declare is never read or written by the ORM but through `StoredSearchVector`
(`tracker/core/search.py`). PostgreSQL refuses to change the type of a column a generated
column reads ("cannot alter type of a column used by a generated column"): a migration that
changes a searched field's type (a `max_length`) drops `search_vector` first and adds it again
after, as its migration wrote it.

On SQLite, `sqlite_full_text` creates each searched table's FTS5 tables and the triggers that
keep them in step, by `RunSQLOnSQLite`.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation, OperationCategory
from django.db.migrations.operations.special import RunSQL
from django.db.migrations.state import ProjectState
from django.db.models import Index, Model

from tracker.core.search import trigrams_table, words_table


class AddIndexOnPostgreSQL(Operation):
    """Create `index` on `model_name`'s table on PostgreSQL; nothing elsewhere, no state."""

    reversible = True
    reduces_to_sql = True
    category = OperationCategory.ADDITION

    def __init__(self, model_name: str, index: Index) -> None:
        if not index.name:
            raise ValueError("AddIndexOnPostgreSQL needs a named index.")
        self.model_name = model_name
        self.index = index

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "index": self.index},
        )

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def _model(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, state: ProjectState
    ) -> type[Model] | None:
        if schema_editor.connection.vendor != "postgresql":
            return None
        model = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return None
        return model

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        model = self._model(app_label, schema_editor, to_state)
        if model is not None:
            schema_editor.add_index(model, self.index)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        model = self._model(app_label, schema_editor, from_state)
        if model is not None:
            schema_editor.remove_index(model, self.index)

    def describe(self) -> str:
        return f"Create index {self.index.name} on {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_{self.index.name.lower()}"


class RemoveIndexOnPostgreSQL(AddIndexOnPostgreSQL):
    """Drop `index`, created by `AddIndexOnPostgreSQL`, on PostgreSQL; backwards, create it."""

    category = OperationCategory.REMOVAL

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        super().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self) -> str:
        return f"Remove index {self.index.name} from {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self) -> str:
        return f"remove_{self.model_name.lower()}_{self.index.name.lower()}"


class RunSQLOn(RunSQL):
    """`RunSQL` on the database `vendor` only; nothing elsewhere."""

    vendor: str

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RunSQLOnPostgreSQL(RunSQLOn):
    """`RunSQL` on PostgreSQL; nothing elsewhere."""

    vendor = "postgresql"


class RunSQLOnSQLite(RunSQLOn):
    """`RunSQL` on SQLite; nothing elsewhere."""

    vendor = "sqlite"


def stored_search_vector(
    table: str, model_name: str, weighted: list[tuple[str, str]], replaced: Sequence[str]
) -> list[Operation]:
    """On PostgreSQL, a generated `search_vector` column on `table` of `weighted` (column,
    weight) pairs with its GIN index, in place of the expression index
    `<model_name>_search_fts` built over the fields `replaced` (backwards, rebuilt exactly).
    Dropping the column drops its index."""
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
            reverse_sql=[f"ALTER TABLE {table} DROP COLUMN search_vector"],
        ),
        RemoveIndexOnPostgreSQL(
            model_name,
            GinIndex(SearchVector(*replaced, config="english"), name=f"{model_name}_search_fts"),
        ),
    ]


# bm25's weight of a column of each of PostgreSQL's weights: those `ts_rank` gives them by
# default, so that a field counts as much against the others on both databases.
BM25_WEIGHTS = {"A": "1.0", "B": "0.4", "C": "0.2", "D": "0.1"}


def sqlite_full_text(table: str, weighted: list[tuple[str, str]]) -> list[Operation]:
    """On SQLite, `table`'s two FTS5 tables over the columns of `weighted` (column, weight)
    pairs, filled from its rows, and the triggers that keep them in step with every later
    INSERT, UPDATE of those columns and DELETE, however it is written (the ORM, `update()`,
    SQL by hand). `<table>_words`: words, English stems (the Porter stemmer, which leaves other
    scripts as they are), case and Latin accents folded, ranked by bm25 with the columns'
    weights; `<table>_trigrams`: every three characters, case folded, for a text as typed.

    Both read their text from `table` itself (external content: no copy of it); their rowid
    is the row's id. SQLite drops a table's triggers with the table, and Django rebuilds a
    table on SQLite for most changes of its columns: a migration that alters a searched table
    must create its triggers again after (`sqlite_full_text_triggers`), as a PostgreSQL one
    adds `search_vector` again; `tests/test_search_finds.py` fails until it does.
    """
    columns = ", ".join(column for column, _ in weighted)
    words, trigrams = words_table(table), trigrams_table(table)
    weights = ", ".join(BM25_WEIGHTS[weight] for _, weight in weighted)
    sql = []
    for name, tokenize in ((words, "porter unicode61 remove_diacritics 2"), (trigrams, "trigram")):
        sql += [
            f"CREATE VIRTUAL TABLE {name} USING fts5({columns}, content='{table}', "
            f"content_rowid='id', tokenize='{tokenize}')",
            f"INSERT INTO {name}({name}) VALUES ('rebuild')",
        ]
    sql.append(f"INSERT INTO {words}({words}, rank) VALUES ('rank', 'bm25({weights})')")
    triggers, drop_triggers = sqlite_full_text_triggers(table, [c for c, _ in weighted])
    return [
        RunSQLOnSQLite(
            sql=(*sql, *triggers),
            reverse_sql=[*drop_triggers, f"DROP TABLE {words}", f"DROP TABLE {trigrams}"],
        )
    ]


def sqlite_full_text_triggers(table: str, columns: Sequence[str]) -> tuple[list[str], list[str]]:
    """The SQL that creates the triggers keeping `table`'s FTS5 tables in step with it (over
    `columns`, in their order), and the SQL that drops them."""
    listed = ", ".join(columns)
    new, old = (", ".join(f"{row}.{column}" for column in columns) for row in ("new", "old"))
    tables = (words_table(table), trigrams_table(table))
    inserts = " ".join(f"INSERT INTO {t}(rowid, {listed}) VALUES (new.id, {new});" for t in tables)
    deletes = " ".join(
        f"INSERT INTO {t}({t}, rowid, {listed}) VALUES ('delete', old.id, {old});" for t in tables
    )
    create = [
        f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN {inserts} END",
        f"CREATE TRIGGER {table}_search_update AFTER UPDATE OF {listed} ON {table} "
        f"BEGIN {deletes} {inserts} END",
        f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN {deletes} END",
    ]
    drop = [f"DROP TRIGGER {table}_search_{event}" for event in ("insert", "update", "delete")]
    return create, drop


def sqlite_triggers_around(table: str, columns: Sequence[str]) -> tuple[Operation, Operation]:
    """Two operations to put around a migration's operations that rebuild `table` on SQLite
    (an AddField, most AlterFields), whose triggers the rebuild drops: the first creates them
    again when the migration is reversed, the second when it is applied. Nothing happens on
    PostgreSQL."""
    create, _ = sqlite_full_text_triggers(table, columns)
    again = (
        *(f"DROP TRIGGER IF EXISTS {table}_search_{e}" for e in ("insert", "update", "delete")),
        *create,
    )
    return RunSQLOnSQLite(sql=(), reverse_sql=again), RunSQLOnSQLite(sql=again, reverse_sql=())
