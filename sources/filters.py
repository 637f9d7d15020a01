"""Filters for sources and their quoted passages; see tracker/core/filters.py for the conventions."""

import django_filters as filters

from sources.models import Citation, Source
from tracker.core.filters import (
    FuzzyYearFilter,
    KeyFilter,
    PublicFilterSet,
    TextFilter,
    WikidataFilter,
)


class SourceFilter(PublicFilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices)
    language = filters.CharFilter(field_name="language", lookup_expr="iexact", max_length=10)
    year = FuzzyYearFilter(field_name="published", label="Published in year")
    wikidata = WikidataFilter()
    q = TextFilter(search_fields=["title", "subtitle", "publisher", "series", "how_to_cite"])

    class Meta:
        model = Source
        fields: list[str] = []


class CitationFilter(PublicFilterSet):
    source = KeyFilter(field_name="source", model=Source, label="Source (slug)")
    q = TextFilter(search_fields=["quote", "section", "note"])

    class Meta:
        model = Citation
        fields: list[str] = []
