"""What cited passages state about their entry's fields, and where sources differ.

A citation may name one field of its entry (`Citation.field`) and give the value the passage
states for it (`Citation.claim`): "place: Moscow". Where two passages state different values of
one field, the entry shows both, each with its citations, instead of picking one. Values are
compared as a reader compares them: trimmed, inner spaces collapsed, case folded ("Moscow" and
"moscow " agree; "2018" and "May 2018" do not: a date's precision is part of what a source says).
"""

# Django's model fields take no type arguments at run time: annotations stay unevaluated.
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Protocol

from django.db import models

from tracker.core.datefields import fuzzy_date_label
from tracker.core.workflow import EDITORIAL_FIELDS


class Stated(Protocol):
    """A citation as the rule reads it: a model instance or a `Passage` alike."""

    @property
    def id(self) -> int: ...

    @property
    def source_id(self) -> int: ...

    @property
    def field(self) -> str: ...

    @property
    def claim(self) -> str: ...


def claimable_fields(model: type[models.Model]) -> dict[str, str]:
    """The fields of `model` a passage may state a value for, by name, with their labels, in the
    model's order: its editable content fields, and each fuzzy date as one field ("adopted":
    "adoption date"); never the editorial ones (state, version...), its id or its slug."""
    dates = {f"{name}_start": name for name in getattr(model, "_fuzzy_dates", ())}
    found: dict[str, str] = {}
    for column in model._meta.concrete_fields:
        if column.name in dates:
            name = dates[column.name]
            found[name] = fuzzy_date_label(model, name)
        elif _is_content(column):
            found[column.name] = str(column.verbose_name)
    return found


def _is_content(column: models.Field[Any, Any]) -> bool:
    return (
        column.editable
        and not column.primary_key
        and column.name not in EDITORIAL_FIELDS
        and column.name not in getattr(column.model, "unpublished_fields", ())
        # The slug names the entry on this site: no source states it.
        and not isinstance(column, models.SlugField)
    )


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The label of the field `name` (the name itself for a field the model no longer has)."""
    return (claimable_fields(model) if model else {}).get(name, name)


def claim_problems(model: type[models.Model], *, field: str, claim: str) -> dict[str, str]:
    """What is wrong with a citation of an entry of `model` that names `field` and states
    `claim`, by the citation's field at fault; nothing when it states no value, or a value of
    a field it may state."""
    allowed = claimable_fields(model)
    names = ", ".join(allowed)
    if field and field not in allowed:
        return {"field": unknown_field(model, field)}
    if claim.strip() and not field:
        return {"field": f"The value “{claim.strip()}” needs the field it states: one of {names}."}
    if field and not claim.strip():
        return {"claim": f"Give the value the passage states for the {allowed[field]}."}
    return {}


def unknown_field(model: type[models.Model], field: str) -> str:
    kind = model._meta.verbose_name_plural
    names = ", ".join(claimable_fields(model))
    return f"“{field}” is not a field a passage can state for {kind}: give one of {names}."


def normalised(value: str) -> str:
    """A value as values are compared: trimmed, inner spaces collapsed, case folded."""
    return " ".join(value.split()).casefold()


class Value(NamedTuple):
    """One value of a field, as the first passage stating it writes it, with every passage that
    states it."""

    value: str
    citations: tuple[Stated, ...]

    @property
    def sources(self) -> int:
        """How many sources state it (a source may state it in several passages)."""
        return len({citation.source_id for citation in self.citations})


class Claims(NamedTuple):
    """What the passages of one entry state for one of its fields."""

    field: str
    label: str
    values: tuple[Value, ...]

    @property
    def differ(self) -> bool:
        """Sources differ: the passages state two or more distinct values."""
        return len(self.values) > 1


def claims_by_field(
    citations: Iterable[Stated], labels: Mapping[str, str] | None = None
) -> list[Claims]:
    """The values `citations` state, by field, then by value, in the order the citations come
    in; `labels` names the fields (by default, by their names)."""
    grouped: dict[str, dict[str, list[Stated]]] = {}
    for citation in citations:
        if citation.field and citation.claim.strip():
            by_value = grouped.setdefault(citation.field, {})
            by_value.setdefault(normalised(citation.claim), []).append(citation)
    labels = labels or {}
    return [
        Claims(
            field,
            labels.get(field, field),
            tuple(Value(stating[0].claim.strip(), tuple(stating)) for stating in by_value.values()),
        )
        for field, by_value in grouped.items()
    ]


def sources_differ(
    citations: Iterable[Stated], labels: Mapping[str, str] | None = None
) -> list[Claims]:
    """The fields on which `citations` state two or more distinct values."""
    return [claims for claims in claims_by_field(citations, labels) if claims.differ]
