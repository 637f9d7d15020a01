"""Admin form fields and widgets for relations that answer a crafted id with a form error.

Django validates `policy=abc` as it should ("Select a valid choice"), but two of its pieces
then query with the raw value and crash, a 500 instead of the form error: the autocomplete
widgets redraw the posted value with `id__in=["abc"]` (ValueError), and a many-to-many field
checks all the posted ids at once with `id__in=[...]`, which SQLite cannot bind for a number
beyond its integers (OverflowError). Here, a value that cannot be an id of the related model
is an error of its own field, and is never drawn or queried.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms import ModelMultipleChoiceField


def could_be_id(model, value) -> bool:
    """Is `value` a possible primary key of `model`: the right type, within the column's range."""
    pk = model._meta.pk
    try:
        pk.run_validators(pk.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class IdsMultipleChoiceField(ModelMultipleChoiceField):
    def clean(self, value):
        for item in value if isinstance(value, list | tuple) else ():
            if item not in self.empty_values and not could_be_id(self.queryset.model, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super().clean(value)


class _DrawsIdsOnly:
    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        return super().optgroups(name, [v for v in value if could_be_id(model, v)], attr)


class SafeAutocompleteSelect(_DrawsIdsOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_DrawsIdsOnly, AutocompleteSelectMultiple):
    pass


class RelationFields:
    """For a ModelAdmin or an inline: its relations with the field and widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", IdsMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
