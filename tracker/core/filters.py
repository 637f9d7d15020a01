"""Generic filters the apps' FilterSets are built from: years, fuzzy dates, text search, keys.

A FilterSet serves the public or signed-in staff (`PublicFilterSet`), so that a filter naming
another entry looks it up through the right door.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema_field

from tracker.core.editorial import Curated
from tracker.core.identifiers import WIKIDATA_ID
from tracker.core.search import text_search


class YearInput(forms.NumberInput):
    """A number input while it holds a number. Text it cannot hold ("abc") is shown back as
    typed, in a text input beside its error, for the reader to correct: a number input would
    show it empty (browsers drop a value that is not a number), and the HTML would be invalid.
    """

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if value not in (None, "") and _integer(value) is None:
            context["widget"]["type"] = "text"
            context["widget"]["attrs"]["inputmode"] = "numeric"
        return context


def _integer(value: object) -> int | None:
    """The whole number `value` reads as, by the form's own rule ("2024", "2024.0"), or None."""
    try:
        number: int | None = forms.IntegerField().to_python(value)
        return number
    except forms.ValidationError:
        return None


class YearField(forms.IntegerField):
    widget = YearInput

    def to_python(self, value: Any) -> int | None:
        try:
            number: int | None = super().to_python(value)
            return number
        except forms.ValidationError as error:
            if error.code != "invalid":
                raise
            shown = str(value) if len(str(value)) <= 40 else f"{str(value)[:40]}…"
            raise forms.ValidationError(
                "“%(value)s” is not a year: write it as four digits, e.g. 2024.",
                code="invalid",
                params={"value": shown},
            ) from None


# A whole number in the schema, as the form field reads it: "2024.5" is a 400.
@extend_schema_field({"type": "integer", "minimum": 1000, "maximum": 9999})
class YearFilter(filters.NumberFilter):
    """A four-digit year; anything else is a 400 that says so, never a date error."""

    field_class = YearField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1000)
        kwargs.setdefault("max_value", 9999)
        kwargs.setdefault("help_text", "A year, e.g. 2024: finds dates within or spanning it")
        super().__init__(*args, **kwargs)


class FuzzyYearFilter(YearFilter):
    """Entries whose fuzzy date `<field_name>` overlaps the given year."""

    def filter[M: Model](self, qs: QuerySet[M], value: int | None) -> QuerySet[M]:
        if value is None:
            return qs
        first, last = dt.date(value, 1, 1), dt.date(value, 12, 31)
        return qs.filter(
            **{f"{self.field_name}_start__lte": last, f"{self.field_name}_end__gte": first}
        )


class TextFilter(filters.CharFilter):
    """`q`: text search over the given fields (full text on PostgreSQL, see search.py)."""

    def __init__(self, *args: Any, search_fields: Sequence[str], **kwargs: Any) -> None:
        self.search_fields = search_fields
        kwargs.setdefault("label", "Text")
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def filter[M: Model](self, qs: QuerySet[M], value: str | None) -> QuerySet[M]:
        value = (value or "").strip()
        if not value:
            return qs
        return text_search(qs, value, self.search_fields)


class PublicFilterSet(filters.FilterSet):
    """A FilterSet that knows whether it serves the public (pages, anonymous API readers) or
    signed-in staff, so that a filter naming another entry looks it up through the right door.

    `aliases` are parameters accepted under a second name and left out of the page's form,
    which shows each filter once."""

    aliases: tuple[str, ...] = ()

    def __init__(self, *args: Any, public: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.public = public


class WikidataFilter(filters.CharFilter):
    """Entries with this Wikidata id (Q159): what a data user joins another dataset on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "wikidata_id")
        kwargs.setdefault("label", "Wikidata id")
        kwargs.setdefault("validators", [WIKIDATA_ID])
        kwargs.setdefault("help_text", "e.g. Q159")
        super().__init__(*args, **kwargs)


class KeyFilter(filters.CharFilter):
    """Entries related to the entry of `model` with this key (a slug). To the public only public
    entries match: the key of a draft answers exactly as a key nobody has used."""

    def __init__(self, *args: Any, model: type[Curated], key: str = "slug", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not `self.model`: the FilterSet sets that to the model being filtered.
        self.target, self.key = model, key

    def filter[M: Model](self, qs: QuerySet[M], value: str | None) -> QuerySet[M]:
        if value in (None, ""):
            return qs
        entries = self.target.objects
        door = entries.public() if self.parent.public else entries.originals()
        return qs.filter(**{f"{self.field_name}__in": door.filter(**{self.key: value})})
