from rest_framework import serializers

from sources.models import Citation, Source
from tracker.serializers import ENTRY_FIELDS, EntrySerializer, FuzzyDateField, SourceRefSerializer


class SourceSerializer(EntrySerializer):
    published = FuzzyDateField()

    class Meta:
        model = Source
        fields = [
            *ENTRY_FIELDS,
            "slug",
            "kind",
            "title",
            "subtitle",
            "authors",
            "publisher",
            "published",
            "url",
            "doi",
            "isbn",
            "series",
            "language",
            "rights",
            "archived_url",
            "how_to_cite",
        ]


class CitationRecordSerializer(serializers.Serializer):
    kind = serializers.CharField(source="content_type.model")
    id = serializers.IntegerField(source="object_id")


class CitationListSerializer(serializers.ModelSerializer):
    """A quoted passage with the entry it supports."""

    source = SourceRefSerializer()
    record = CitationRecordSerializer(source="*")

    class Meta:
        model = Citation
        fields = [
            "id",
            "source",
            "record",
            "page",
            "section",
            "footnote",
            "locator",
            "quote",
            "updated_at",
        ]
