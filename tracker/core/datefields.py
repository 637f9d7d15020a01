"""Django glue for fuzzy dates: two date columns, a descriptor, constraints and a form field.

`due_start, due_end = fuzzy_date_columns("due")` stores the period; `due = FuzzyDateProperty()`
reads and writes it as one `FuzzyDate`. Admin forms show one text box ("2024", "October 2019").
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tracker.core.dates import FuzzyDate, optional_period


def fuzzy_date_columns(label: str) -> tuple[models.DateField, models.DateField]:
    return (
        models.DateField(
            null=True, blank=True, editable=False, help_text=f"First day of the {label}"
        ),
        models.DateField(
            null=True, blank=True, editable=False, help_text=f"Last day of the {label}"
        ),
    )


def fuzzy_date_checks(
    prefix: str, name: str, *, required: bool = False
) -> list[models.CheckConstraint]:
    start, end = f"{name}_start", f"{name}_end"
    both_or_neither = Q(**{f"{start}__isnull": True, f"{end}__isnull": True}) | Q(
        **{f"{start}__isnull": False, f"{end}__isnull": False}
    )
    checks = [
        models.CheckConstraint(
            condition=both_or_neither
            & (Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)})),
            name=f"{prefix}_{name}_is_a_period",
            violation_error_message=f"The {name.replace('_', ' ')} must end on or after its start.",
        )
    ]
    if required:
        checks.append(
            models.CheckConstraint(
                condition=Q(**{f"{start}__isnull": False}),
                name=f"{prefix}_{name}_required",
                violation_error_message=f"The {name.replace('_', ' ')} is required.",
            )
        )
    return checks


class FuzzyDateProperty:
    """Reads `<name>_start`/`<name>_end` as a FuzzyDate, and writes them from one."""

    def __set_name__(self, owner, name):
        self.name = name
        self.start, self.end = f"{name}_start", f"{name}_end"
        owner._fuzzy_dates = (*getattr(owner, "_fuzzy_dates", ()), name)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return optional_period(getattr(instance, self.start), getattr(instance, self.end))

    def __set__(self, instance, value: FuzzyDate | str | None):
        if isinstance(value, str):
            value = FuzzyDate.parse(value) if value.strip() else None
        setattr(instance, self.start, value.start if value else None)
        setattr(instance, self.end, value.end if value else None)


class FuzzyDateFormField(forms.CharField):
    default_error_messages = {"invalid": "%(reason)s"}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", "2019-10-10, 2019-10, 2019-Q4, 2019 or 2010s: as precise as the source is."
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, FuzzyDate) else value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return FuzzyDate.parse(value)
        except ValueError as exc:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"reason": exc}
            ) from None


class FuzzyDateFormMixin:
    """A ModelForm mixin adding one text field per FuzzyDateProperty of the model."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in getattr(self._meta.model, "_fuzzy_dates", ()):
            if name in self.fields and self.instance.pk is not None:
                self.initial.setdefault(name, getattr(self.instance, name))

    def _get_validation_exclusions(self):
        # The period columns are not form fields, but the constraints on them must run: unless
        # the text field has an error already, which then is the one thing to say (a constraint
        # would judge the columns it left as they were: "is required" beside "not a date").
        exclude = super()._get_validation_exclusions()
        for name in getattr(self._meta.model, "_fuzzy_dates", ()):
            if name in self.fields and name not in self.errors:
                exclude -= {f"{name}_start", f"{name}_end"}
        return exclude

    def _post_clean(self):
        for name in getattr(self._meta.model, "_fuzzy_dates", ()):
            if name in self.fields and name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


def fuzzy_form_for(model, base=forms.ModelForm):
    """A ModelForm class for `model` with a text field for each of its fuzzy dates."""
    attrs = {
        name: FuzzyDateFormField(required=False) for name in getattr(model, "_fuzzy_dates", ())
    }
    bases = (base,) if issubclass(base, FuzzyDateFormMixin) else (FuzzyDateFormMixin, base)
    return type(f"{model.__name__}Form", bases, attrs)
