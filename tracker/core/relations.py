"""Admin form fields and widgets for relations that answer a crafted id with a form error.

Django validates `policy=abc` as it should ("Select a valid choice"), but two of its pieces
then query with the raw value and crash, a 500 instead of the form error: the autocomplete
widgets redraw the posted value with `id__in=["abc"]` (ValueError), and a many-to-many field
checks all the posted ids at once with `id__in=[...]`, which SQLite cannot bind for a number
beyond its integers (OverflowError). Here, a value that cannot be an id of the related model
is an error of its own field, and is never drawn or queried.
"""

# Django's form fields take no type arguments at run time: annotations stay unevaluated.
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.widgets import (
    AutocompleteMixin,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, ManyToManyField, Model, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest

from tracker.core.editorial import Curated, CuratedQuerySet

if TYPE_CHECKING:
    # What the classes below extend or are mixed into, as the type checker reads them: Django's
    # classes take no type arguments at run time.
    _ModelsField = ModelMultipleChoiceField[Model]
    _Widget = AutocompleteMixin
    _Admin = BaseModelAdmin[Any]
else:
    _ModelsField = ModelMultipleChoiceField
    _Widget = _Admin = object


def could_be_id(model: type[Model], value: object) -> bool:
    """Is `value` a possible primary key of `model`: the right type, within the column's range."""
    pk = model._meta.pk
    if pk is None:  # an abstract model: nothing can be its id
        return False
    try:
        pk.run_validators(pk.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class IdsMultipleChoiceField(_ModelsField):
    def clean(self, value: Any) -> QuerySet[Model]:
        for item in value if isinstance(value, list | tuple) else ():
            if item not in self.empty_values and not self._could_be_id(item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super().clean(value)

    def _could_be_id(self, item: object) -> bool:
        # A form field is given its queryset before it cleans anything.
        return self.queryset is not None and could_be_id(self.queryset.model, item)


class _DrawsIdsOnly(_Widget):
    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        model = self.field.remote_field.model
        return super().optgroups(name, [v for v in value if could_be_id(model, v)], attr)


class SafeAutocompleteSelect(_DrawsIdsOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_DrawsIdsOnly, AutocompleteSelectMultiple):
    pass


class RelationFields(_Admin):
    """For a ModelAdmin or an inline: its relations with the field and widgets above, and
    choices among entries only. A relation points at an entry, never at a pending edit of one
    (the autocomplete offers none; a crafted id of one is a form error, as any invalid id)."""

    def _entries_only(
        self,
        db_field: ForeignKey[Any, Any] | ManyToManyField[Any, Any],
        request: HttpRequest,
        kwargs: dict[str, Any],
    ) -> None:
        model = db_field.related_model
        curated = issubclass(model, Curated)
        if "queryset" in kwargs or not curated or db_field.name == "draft_of":
            return
        found = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if found is None:
            found = model._default_manager.using(kwargs.get("using"))
        kwargs["queryset"] = cast(CuratedQuerySet[Any], found).originals()

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        self._entries_only(db_field, request, kwargs)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        self._entries_only(db_field, request, kwargs)
        kwargs.setdefault("form_class", IdsMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
