from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import NamedTuple, cast

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from simple_history.models import HistoricalRecords

from sources.claims import claim_problems
from sources.documents import extract, text_hash
from sources.passages import Document
from tracker.core import identifiers
from tracker.core.datefields import FuzzyDateProperty, fuzzy_date_checks, fuzzy_date_columns
from tracker.core.editorial import Curated, review_permission, unique_key
from tracker.core.text import ListOfNames, names_in, require_publishable_text


@require_publishable_text
class Source(Curated):
    # Reference data rather than a claim: it needs no citation to be published.
    needs_citation = False
    unpublished_fields = ("document", "text")

    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        POLICY_BRIEF = "policy_brief", "Policy brief"
        JOURNAL_ARTICLE = "journal_article", "Journal article"
        LEGAL_ACT = "legal_act", "Legal act"
        NEWS_ARTICLE = "news_article", "News article"
        SPEECH = "speech", "Speech"
        DATASET = "dataset", "Dataset"
        WEB_PAGE = "web_page", "Web page"
        INTERVIEW = "interview", "Interview"

    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=500)
    subtitle = models.CharField(max_length=500, blank=True)
    authors = models.JSONField(
        default=list,
        blank=True,
        validators=[ListOfNames("authors")],
        help_text='A list of names, as the source gives them: ["Jane Doe", "Ivan Petrov"]',
    )
    publisher = models.CharField(max_length=300, blank=True)
    published_start, published_end = fuzzy_date_columns("publication date")
    published = FuzzyDateProperty()
    url = models.URLField(max_length=1000, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    isbn = models.CharField("ISBN", max_length=20, blank=True)
    series = models.CharField(
        max_length=300, blank=True, help_text="Series and number, journal volume and issue"
    )
    language = models.CharField(max_length=10, blank=True, help_text="ISO 639-1 code, e.g. en, ru")
    rights = models.CharField(max_length=500, blank=True)
    archived_url = models.URLField(max_length=1000, blank=True)
    wikidata_id = identifiers.wikidata_id()
    how_to_cite = models.TextField(
        blank=True, help_text="The source's own citation text, as it gives it"
    )
    # The document itself, and its text, which every quote of it is checked against. Staff read
    # them; the public sees quotes only (a source's rights may not allow republishing it).
    document = models.FileField(
        upload_to="sources/%Y/",
        blank=True,
        default="",
        db_default="",
        max_length=300,
        help_text="The document (PDF, HTML or plain text); its text is read from it when saved",
    )
    text = models.TextField(
        "document text",
        blank=True,
        default="",
        db_default="",
        help_text="The document's text, which quotes are checked against: read from the "
        "uploaded document, or pasted. Pages are separated by form feeds.",
    )
    text_sha256 = models.CharField(
        "SHA-256 of the text",
        max_length=64,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    class Meta(Curated.Meta):
        permissions = [review_permission("source")]
        ordering = ["-published_start", "title"]
        constraints = [
            unique_key("slug", "source"),
            *fuzzy_date_checks("source", "published"),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="source_title_not_empty",
                violation_error_message="A source needs a title.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        # A newly uploaded document (not yet stored) is read into the text.
        if self.document and not getattr(self.document, "_committed", True):
            try:
                self.text = extract(self.document)
            except ValidationError as error:
                raise ValidationError({"document": error.messages}) from None

    def save(self, *args, **kwargs) -> None:
        before = self.text_sha256
        self.text_sha256 = text_hash(self.text)
        self.__dict__.pop("pages", None)  # read again from the text saved
        super().save(*args, **kwargs)
        if self.text_sha256 != before:
            self.reverify()

    def reverify(self) -> list["Citation"]:
        """Check every quote of this source against its text again, save those whose result
        changed, and return those not found in it."""
        missing = []
        for citation in self.citations_made.all():
            citation.source = self  # its text as saved, read once for every quote
            was = (citation.verified, citation.verified_against, citation.located_page)
            if citation.verify() is False:
                missing.append(citation)
            if (citation.verified, citation.verified_against, citation.located_page) != was:
                citation.save(update_fields=["verified", "verified_against", "located_page"])
        return missing

    @cached_property
    def pages(self) -> Document | None:
        """The document's text as pages to locate quotes in, or None without a text."""
        return _document(self.text) if self.text else None

    def withdrawal_problems(self) -> list[str]:
        """Every public fact rests on a public source: while public entries quote this one, it
        stays published (an entry is published only once its sources are). Withdraw or re-cite
        those entries first; each is then a reviewed change of its own."""
        cited: defaultdict[int, set[int]] = defaultdict(set)
        for content_type_id, object_id in self.citations_made.values_list(
            "content_type_id", "object_id"
        ):
            cited[content_type_id].add(object_id)
        shown: list[str] = []
        for content_type_id, ids in sorted(cited.items()):
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            # Only curated entries are cited (Curated.citations); a removed kind has no model.
            if model is None or not issubclass(model, Curated):
                continue
            public = model.objects.public().filter(pk__in=ids)
            if model is Source:
                public = public.exclude(pk=self.pk)  # a document may cite its own pages
            shown += [f"{model._meta.verbose_name} “{entry}”" for entry in public[:5]]
        if not shown:
            return []
        return [
            f"Public entries quote it: {'; '.join(shown[:5])}"
            f"{' and more' if len(shown) > 5 else ''}. Unpublish them or cite another source first."
        ]

    @property
    def author_names(self) -> list[str]:
        return names_in(self.authors)

    @property
    def authors_display(self) -> str:
        return ", ".join(self.author_names)


@lru_cache(maxsize=4)
def _document(text: str) -> Document:
    """A text's pages, worked out once for the citations of one source, each of which loads
    the source anew (an entry's form saving several quotes, checked in clean and in save)."""
    return Document.of_text(text)


@require_publishable_text
class Citation(models.Model):
    """A located, verbatim passage of a source that supports one curated record."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations_made")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    page = models.CharField(max_length=40, blank=True)
    section = models.CharField(max_length=300, blank=True)
    footnote = models.CharField(max_length=40, blank=True)
    quote = models.TextField(help_text="Copied verbatim from the source")
    # A passage may state a value for one field of its entry. Where two passages state
    # different values for the same field, the pages say "sources differ" and show both.
    field = models.CharField(
        "field it states",
        max_length=60,
        blank=True,
        db_default="",
        help_text="Optional: the entry's field this passage gives a value for (e.g. place, "
        "adopted), when sources disagree on it",
    )
    claim = models.CharField(
        "value it states",
        max_length=300,
        blank=True,
        db_default="",
        help_text="The value of that field as this passage states it (e.g. Moscow, May 2018)",
    )
    note = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Whether the quote was found in its source's text when last saved or checked
    # (`verify`): None when the source holds no text, and the text's hash and the pages it was
    # found on.
    verified = models.BooleanField(null=True, editable=False)
    verified_against = models.CharField(
        max_length=64, blank=True, default="", db_default="", editable=False
    )
    located_page = models.CharField(
        max_length=40, blank=True, default="", db_default="", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            # Each record's page and API entry loads its citations by this pair.
            models.Index(fields=["content_type", "object_id"], name="citation_record_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("quote")), 0),
                name="citation_quote_not_empty",
                violation_error_message="A citation needs the quoted passage.",
            ),
            models.CheckConstraint(
                condition=Q(field="", claim="") | (~Q(field="") & ~Q(claim="")),
                name="citation_claim_names_its_field",
                violation_error_message="A stated value needs the field it is a value of, and "
                "a field needs the value the passage states.",
            ),
            models.CheckConstraint(
                condition=~Q(page="", section="", footnote=""),
                name="citation_has_locator",
                violation_error_message="A citation needs a locator: a page, a section or a footnote.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.locator})"

    def save(self, *args, **kwargs) -> None:
        self.verify()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # A quote of a source that holds its text must be in it; its page is filled in when
        # the researcher left it empty.
        # A row not yet given its source (an inline row left empty) has nothing to check.
        if cast(int | None, self.source_id) is not None and self.quote.strip():
            found = self.verify()
            if found is False:
                raise ValidationError({"quote": self.misquoted()})
            if found and not self.page:
                self.page = self.located_page
        self._check_claim()

    def _check_claim(self) -> None:
        # The field a passage states must be one of its entry's (sources.claims); a row not
        # yet given its entry (a new inline row) is checked by its form (CitationInline).
        if not (self.field or self.claim) or self.content_type_id is None:
            return
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        problems = claim_problems(model, field=self.field, claim=self.claim) if model else {}
        if problems:
            raise ValidationError(problems)

    def verify(self) -> bool | None:
        """Locate the quote in its source's text and record the result (`verified`,
        `verified_against`, `located_page`), without saving; None when the source holds no
        text."""
        pages = self.source.pages
        if pages is None:
            self.verified, self.verified_against, self.located_page = None, "", ""
            return None
        found = pages.locate(self.quote)
        self.verified = found is not None
        self.verified_against = text_hash(self.source.text)
        self.located_page = found.pages[:40] if found else ""
        return self.verified

    def misquoted(self) -> str:
        """Why the quote is refused, with the passage of the text nearest to it."""
        message = f"This quote is not in the text of “{self.source}”."
        pages = self.source.pages
        nearest = pages.closest(self.quote) if pages else None
        if nearest is None or nearest.score < 50:
            return f"{message} Copy it from the document as it reads."
        where = f" (p. {nearest.page})" if nearest.page else ""
        return f"{message} The closest passage{where} reads: “{nearest.passage}”."

    @property
    def locator(self) -> str:
        return locator(self.page, self.section, self.footnote)


def locator(page: str, section: str, footnote: str) -> str:
    """Where a passage is, in words: "p. 12, section “Goals”, note 3"."""
    parts: list[str] = []
    if page:
        parts.append(f"p. {page}")
    if section:
        parts.append(f"section “{section}”")
    if footnote:
        parts.append(f"note {footnote}")
    return ", ".join(parts)


class Passage(NamedTuple):
    """A citation as lists read it: plain values, no model instances."""

    id: int
    source_id: int
    source_slug: str
    source_title: str
    page: str
    section: str
    footnote: str
    quote: str
    field: str
    claim: str
    verified: bool | None
    verified_against: str
    located_page: str

    @property
    def locator(self) -> str:
        return locator(self.page, self.section, self.footnote)


def passages(
    model: type[models.Model], ids: Sequence[int], citations: models.QuerySet[Citation]
) -> dict[int, list[Passage]]:
    """The passages of `citations` supporting each entry of `model` whose id is in `ids`, by
    entry id, in citation order: one query for a whole page or chunk of entries."""
    if not ids:
        return {}
    by_entry: defaultdict[int, list[Passage]] = defaultdict(list)
    rows = (
        citations.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(ids),
        )
        .order_by("position", "id")
        .values_list(
            "object_id", *Passage._fields[:2], "source__slug", "source__title", *Passage._fields[4:]
        )
    )
    for object_id, *fields in rows:
        by_entry[object_id].append(Passage(*fields))
    return by_entry
