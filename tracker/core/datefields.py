"""Django glue for fuzzy dates: two date columns, a descriptor, constraints and a form field.

`due_start, due_end = fuzzy_date_columns("due")` stores the period; `due = FuzzyDateProperty()`
reads and writes it as one `FuzzyDate`. Admin forms show one text box ("2024", "October 2019").
"""

# Django's model fields and forms take no type arguments at run time: annotations stay
# unevaluated.
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Self, overload

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.forms.models import construct_instance
from django.urls import reverse_lazy

from tracker.core.constraints import named_fields
from tracker.core.dates import FuzzyDate, optional_period

if TYPE_CHECKING:
    # What the mixin below is mixed into, as the type checker reads it.
    _ModelForm = forms.ModelForm[Any]
else:
    _ModelForm = object


# The start column's help text, which also keeps the date's label (fuzzy_date_label).
START_HELP = "First day of the "


def fuzzy_date_columns(
    label: str,
) -> tuple[models.DateField[Any, Any], models.DateField[Any, Any]]:
    return (
        models.DateField(null=True, blank=True, editable=False, help_text=START_HELP + label),
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
                condition=_given(name),
                name=f"{prefix}_{name}_required",
                violation_error_message=f"The {name.replace('_', ' ')} is required.",
            )
        )
    return checks


def fuzzy_date_label(model: type[models.Model], name: str) -> str:
    """The words the fuzzy date `name` of `model` was declared with: "adoption date"."""
    start = model._meta.get_field(f"{name}_start")
    assert isinstance(start, models.Field)  # a column (fuzzy_date_columns), not a relation
    return str(start.help_text).removeprefix(START_HELP)


def fuzzy_date_required(model: type[models.Model], name: str) -> bool:
    """Does `model` require its fuzzy date `name`? Its columns are nullable: a check
    (fuzzy_date_checks with required=True) is what requires it."""
    return any(
        isinstance(constraint, models.CheckConstraint) and constraint.condition == _given(name)
        for constraint in model._meta.constraints
    )


def _given(name: str) -> Q:
    return Q(**{f"{name}_start__isnull": False})


class FuzzyDateProperty:
    """Reads `<name>_start`/`<name>_end` as a FuzzyDate, and writes them from one."""

    def __set_name__(self, owner: type[models.Model], name: str) -> None:
        self.name = name
        self.start, self.end = f"{name}_start", f"{name}_end"
        # The model's fuzzy dates, in order, for its forms (fuzzy_form_for); not a name the
        # model declares.
        owner._fuzzy_dates = (*getattr(owner, "_fuzzy_dates", ()), name)  # type: ignore[attr-defined]

    @overload
    def __get__(self, instance: None, owner: type[models.Model] | None = None) -> Self: ...

    @overload
    def __get__(
        self, instance: models.Model, owner: type[models.Model] | None = None
    ) -> FuzzyDate | None: ...

    def __get__(
        self, instance: models.Model | None, owner: type[models.Model] | None = None
    ) -> FuzzyDate | Self | None:
        if instance is None:
            return self
        return optional_period(getattr(instance, self.start), getattr(instance, self.end))

    def __set__(self, instance: models.Model, value: FuzzyDate | str | None) -> None:
        if isinstance(value, str):
            value = FuzzyDate.parse(value) if value.strip() else None
        setattr(instance, self.start, value.start if value else None)
        setattr(instance, self.end, value.end if value else None)


class FuzzyDateInput(forms.TextInput):
    """A fuzzy date's text box. With JavaScript, the admin says beside it what it understood
    ("Q4 2019, 1 October to 31 December 2019"), asking the server's own parser (the admin
    site's fuzzy_date view), never a copy of it in the browser."""

    class Media:
        js = ("js/fuzzy-date.js",)

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        preview = reverse_lazy("admin:fuzzy_date")
        super().__init__({"data-fuzzy-date": preview, "size": 14, **(attrs or {})})


def understood(text: str) -> dict[str, str]:
    """What a fuzzy date's text is read as, for the preview beside its box: {"display": …,
    "period": …}, or {"error": …} saying why it cannot be read."""
    if not text.strip():
        return {}
    try:
        value = FuzzyDate.parse(text)
    except ValueError as exc:
        return {"error": str(exc)}
    first, last = value.start, value.end
    period = f"{first:%-d %B %Y}" if first == last else f"{first:%-d %B %Y} to {last:%-d %B %Y}"
    return {"display": str(value), "period": period}


class FuzzyDateFormField(forms.CharField):
    default_error_messages = {"invalid": "%(reason)s"}
    widget = FuzzyDateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "2019-10-10, 2019-10, 2019-Q4, 2019 or 2010s: as precise as the source is."
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, FuzzyDate) else value

    # A text box whose value is a FuzzyDate, where CharField's is text.
    def to_python(self, value: Any | None) -> FuzzyDate | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return FuzzyDate.parse(text)
        except ValueError as exc:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"reason": exc}
            ) from None


class FuzzyDateFormMixin(_ModelForm):
    """A ModelForm mixin adding one text field per FuzzyDateProperty of the model.

    The period columns are not form fields, so Django's own validation of the model leaves out
    the constraints on them: `clean` checks those, for each date read without error. A date
    that cannot be read has that one error (the constraints would judge the columns it left as
    they were: "is required" beside "not a date"), and keeps the text typed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self._fuzzy_dates():
            if self.instance.pk is not None:
                self.initial.setdefault(name, getattr(self.instance, name))

    def _fuzzy_dates(self) -> list[str]:
        return [n for n in getattr(self._meta.model, "_fuzzy_dates", ()) if n in self.fields]

    def clean(self) -> dict[str, Any] | None:
        read = [name for name in self._fuzzy_dates() if name in self.cleaned_data]
        for name in read:
            setattr(self.instance, name, self.cleaned_data[name])
        for error in self._period_errors(read):
            self.add_error(None, error)
        return super().clean()

    def _period_errors(self, read: list[str]) -> list[ValidationError]:
        """What the constraints on the columns of the dates `read` say, judged with the form's
        values; a constraint naming a field in error, or a date not read, is left out."""
        columns = {column for name in read for column in _columns(name)}
        every_date = getattr(self._meta.model, "_fuzzy_dates", ())
        unread = {column for name in every_date for column in _columns(name)} - columns
        # The form's values, on a copy: the form's own model validation writes the instance.
        instance = construct_instance(
            self, copy.copy(self.instance), self._meta.fields, self._meta.exclude
        )
        errors: list[ValidationError] = []
        for constraint in instance._meta.constraints:
            if named_fields(constraint) & columns:
                try:
                    constraint.validate(type(instance), instance, exclude={*self.errors, *unread})
                except ValidationError as error:
                    errors.append(error)
        return errors


def _columns(name: str) -> tuple[str, str]:
    return f"{name}_start", f"{name}_end"


def fuzzy_form_for(
    model: type[models.Model], base: type[forms.ModelForm[Any]] = forms.ModelForm
) -> type[forms.ModelForm[Any]]:
    """A ModelForm class for `model` with a text field for each of its fuzzy dates."""
    attrs = {
        name: FuzzyDateFormField(required=False) for name in getattr(model, "_fuzzy_dates", ())
    }
    bases = (base,) if issubclass(base, FuzzyDateFormMixin) else (FuzzyDateFormMixin, base)
    return type(f"{model.__name__}Form", bases, attrs)
