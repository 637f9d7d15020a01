"""Text the site can publish: every entry ends up in XML (Atom feeds, the timeline SVG), BibTeX
and RIS, and XML 1.0 cannot carry some characters at all. They are refused where text comes in
(`PublishableText`, on every text field of every curated model and citation, through
`require_publishable_text`) and stripped where text goes out (`publishable`), so that text stored
before the rule cannot break an output either."""

import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst

# Everything outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF]): tab, newline and carriage return stay allowed.
UNPUBLISHABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def publishable(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry: what every writer sends."""
    return UNPUBLISHABLE.sub("", text)


def describe(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character < " ":
        return f"the control character {code}"
    if "\ud800" <= character <= "\udfff":
        return f"the unpaired surrogate {code}"
    return f"the non-character {code}"


@deconstructible
class PublishableText:
    """Refuses text holding a character XML 1.0 cannot carry, naming the field and the character."""

    code = "unpublishable_character"

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value: object) -> None:
        found = UNPUBLISHABLE.search(value) if isinstance(value, str) else None
        if found:
            raise ValidationError(
                "%(label)s contains %(character)s, which cannot be published; remove it.",
                code=self.code,
                params={"label": capfirst(self.label), "character": describe(found.group())},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublishableText) and other.label == self.label


def require_publishable_text(model: type[models.Model]) -> type[models.Model]:
    """Give every text field of `model` (its own and those it inherits) the rule, labelled with
    the field's name as the admin shows it. A class decorator, so that a field added later
    gets the rule without anyone remembering it (tests/test_bad_text.py checks every model).

    Django documents no way to add a validator to a field once it is built (only `validators=`
    when it is), so this writes the field's private `_validators`: it is the list that both
    `Field.validators` (a cached property, so appending to it would not last) and
    `deconstruct()` read, and the migrations hold the rule from there."""
    unpublished = getattr(model, "unpublished_fields", ())
    for field in model._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and field.name not in unpublished:
            _add_rule(field)
    return model


def _add_rule(field: "models.Field[Any, Any]") -> None:
    # Through the instance's dict: the stubs omit the private list (Field.__init__ sets it).
    state = field.__dict__
    if not any(isinstance(v, PublishableText) for v in state["_validators"]):
        # A new list: fields copied from an abstract parent or by simple_history must not
        # share it.
        state["_validators"] = [*state["_validators"], PublishableText(str(field.verbose_name))]
        state.pop("validators", None)  # Field.validators is cached


@deconstructible
class ListOfNames:
    """A JSON field holding a list of names: non-empty strings, each publishable."""

    code = "not_a_list_of_names"

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value: object) -> None:
        if not isinstance(value, list) or not all(
            isinstance(name, str) and name.strip() for name in value
        ):
            shown = json.dumps(value, ensure_ascii=False)
            raise ValidationError(
                '%(label)s must be a list of names, such as ["Jane Doe", "Ivan Petrov"], '
                "each a non-empty text; this is %(shown)s.",
                code=self.code,
                params={
                    "label": capfirst(self.label),
                    "shown": shown if len(shown) <= 80 else f"{shown[:79]}…",
                },
            )
        for number, name in enumerate(value, start=1):
            PublishableText(f"name {number} of {self.label}")(name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ListOfNames) and other.label == self.label


def names_in(value: object) -> list[str]:
    """The names a stored JSON value holds, whatever its shape: a value saved before
    `ListOfNames` existed must still display. Strings are kept, anything else is skipped."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [publishable(name).strip() for name in value if isinstance(name, str) and name.strip()]
