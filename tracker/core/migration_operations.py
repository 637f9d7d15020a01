"""Migration operations for indexes that exist on PostgreSQL only.

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


class RunSQLOnPostgreSQL(RunSQL):
    """`RunSQL` on PostgreSQL; nothing elsewhere."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


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
