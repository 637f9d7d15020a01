"""Ids that tie an entry to the same thing elsewhere, defined once for every kind that has them.

A Wikidata id (Q159) says which item of Wikidata an entry is: a country, a ministry, a report,
a summit. Only an id a cited source or an authoritative list gives is filled in; a guess is
worse than none, since a data user joins on it."""

from django.core.validators import RegexValidator
from django.db import models

WIKIDATA_ID = RegexValidator(r"^Q[0-9]+$", "A Wikidata id looks like Q12345.")


def wikidata_id() -> "models.CharField[str, str]":
    return models.CharField(
        "Wikidata id",
        max_length=30,
        blank=True,
        validators=[WIKIDATA_ID],
        help_text="The item's id on Wikidata (Q159), when a source or an authoritative list gives it",
    )
