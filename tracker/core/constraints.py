"""A model's constraints checked for many unsaved instances at once, in words.

Model.validate_constraints costs one query a constraint and an instance. An import of
thousands of rows instead evaluates every row's check constraints together, by the database
as its CHECK would, in one query of up to CHECKS_A_QUERY rows (`violated_checks`), and the
other constraints as Django does (`constraint_errors`).
"""

from __future__ import annotations  # Field[...] is for the type checker only

from collections.abc import Collection, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BaseConstraint,
    BooleanField,
    CheckConstraint,
    ExpressionWrapper,
    F,
    Field,
    Model,
    Q,
    Value,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.sql import Query

# SQLite compounds at most 500 SELECTs in one statement.
CHECKS_A_QUERY = 250


def constraint_errors(
    instance: Model,
    *,
    exclude: Collection[str] | None,
    established: Collection[str] = frozenset(),
    checks_later: bool = False,
) -> list[ValidationError]:
    """The model's constraints that `instance` violates, as Model.validate_constraints finds
    them, without those named in `established` (known to hold). Its check constraints are
    evaluated together (`violated_checks`), or not at all with `checks_later`, for a caller
    that evaluates many rows' at once.

    A row that already has errors (`exclude`) is checked constraint by constraint, by Django,
    which skips those that name a field in error.
    """
    using = instance._state.db or "default"
    constraints = [c for c in type(instance)._meta.constraints if c.name not in established]
    if exclude:
        return _django_errors(instance, constraints, exclude=exclude, using=using)
    others = [c for c in constraints if not isinstance(c, CheckConstraint)]
    errors = _django_errors(instance, others, exclude=exclude, using=using)
    if not checks_later:
        errors += violated_checks([instance], using=using)[0]
    return errors


def full_clean(
    instance: Model, *, exclude: Collection[str] = (), validate_unique: bool = True
) -> None:
    """`instance.full_clean()` with its check constraints evaluated in one query instead of
    one query each (for a record of a loaded file, the difference between a few hundred rows a
    second and a thousand). Constraints naming an excluded field are skipped, as Django skips
    them; a row whose fields are in error is checked constraint by constraint, as Django does."""
    errors: dict[str, Any] = {}
    try:
        instance.full_clean(
            exclude=exclude, validate_unique=validate_unique, validate_constraints=False
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    skipped = {c.name for c in type(instance)._meta.constraints if named_fields(c) & set(exclude)}
    for message in constraint_errors(instance, exclude=set(errors), established=skipped):
        errors.setdefault(NON_FIELD_ERRORS, []).append(message)
    if errors:
        raise ValidationError(errors)


def _django_errors(
    instance: Model,
    constraints: Sequence[BaseConstraint],
    *,
    exclude: Collection[str] | None,
    using: str,
) -> list[ValidationError]:
    errors = []
    for constraint in constraints:
        try:
            constraint.validate(type(instance), instance, exclude=set(exclude or ()), using=using)
        except ValidationError as error:
            errors.append(error)
    return errors


def violated_checks(
    instances: Sequence[Model], *, using: str = "default"
) -> list[list[ValidationError]]:
    """For each instance (all of one model), the check constraints it violates, evaluated by
    the database as its CHECK would, in one query for up to CHECKS_A_QUERY instances rather
    than one query a constraint and an instance (Model.validate_constraints)."""
    if not instances:
        return []
    model = type(instances[0])
    checks = [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]
    if not checks:
        return [[] for _ in instances]
    fields = _fields_named(model, checks)
    outcomes: list[tuple[Any, ...]] = []
    for first in range(0, len(instances), CHECKS_A_QUERY):
        batch = instances[first : first + CHECKS_A_QUERY]
        outcomes += _evaluate(batch, fields, checks, connections[using])
    return [_violations(checks, row) for row in outcomes]


def _fields_named(
    model: type[Model], checks: Sequence[CheckConstraint]
) -> list[tuple[Field[Any, Any], str]]:
    """(field, name) for each name the conditions use for a field (its name, attname or pk):
    only those, as each value costs an annotation to build."""
    named = set().union(*(_names(c.condition) for c in checks))
    return [
        (field, name)
        for field in model._meta.concrete_fields
        for name in {field.name, field.attname} | ({"pk"} if field.primary_key else set())
        if name in named
    ]


def named_fields(constraint: BaseConstraint) -> set[str]:
    """The fields a constraint names: its fields, and those its condition and expressions name."""
    names = set(getattr(constraint, "fields", ())) | _names(getattr(constraint, "condition", None))
    return names.union(*(_names(e) for e in getattr(constraint, "expressions", ())))


def _names(node: object) -> set[str]:
    """The fields a constraint's condition names (in lookups, F() and expressions)."""
    if isinstance(node, Q):
        found: set[str] = set()
        for child in node.children:
            if isinstance(child, tuple):
                found.add(child[0].split(LOOKUP_SEP)[0])
                found |= _names(child[1])
            else:
                found |= _names(child)
        return found
    if isinstance(node, F):
        name: str = node.name  # type: ignore[attr-defined]  # F.__init__ sets it; the stubs omit it
        return {name.split(LOOKUP_SEP)[0]}
    if hasattr(node, "get_source_expressions"):
        return set().union(set(), *(_names(e) for e in node.get_source_expressions()))
    return set()


def _evaluate(
    instances: Sequence[Model],
    fields: list[tuple[Field[Any, Any], str]],
    checks: Sequence[CheckConstraint],
    connection: BaseDatabaseWrapper,
) -> list[tuple[Any, ...]]:
    """One row for each instance, of whether each check holds, from one query."""
    selects: list[str] = []
    params: list[Any] = []
    for instance in instances:
        sql, row_params = _select_holds(instance, fields, checks, connection)
        selects.append(sql)
        params.extend(row_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        # UNION ALL keeps the rows in order: no ORDER BY, no DISTINCT, no FROM.
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _select_holds(
    instance: Model,
    fields: list[tuple[Field[Any, Any], str]],
    checks: Sequence[CheckConstraint],
    connection: BaseDatabaseWrapper,
) -> tuple[str, tuple[Any, ...]]:
    """SELECT <check 0 holds>, <check 1 holds>, ... over the instance's values, with no table."""
    query = Query(None)
    for field, name in fields:
        value = Value(getattr(instance, field.attname), output_field=field)
        query.add_annotation(value, name, select=False)
    for index, constraint in enumerate(checks):
        condition = ExpressionWrapper(Q(constraint.condition), output_field=BooleanField())
        query.add_annotation(condition, f"_holds_{index}")
    sql, params = query.get_compiler(connection=connection).as_sql()
    return str(sql), tuple(params)


def _violations(checks: Sequence[CheckConstraint], row: tuple[Any, ...]) -> list[ValidationError]:
    return [
        ValidationError(c.get_violation_error_message(), code=c.violation_error_code)
        for c, holds in zip(checks, row, strict=True)
        # A condition that is unknown (NULL) passes, as in the database's CHECK.
        if holds is not None and not holds
    ]
