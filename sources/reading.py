"""A source's text as a person reads it, with the passages its citations quote marked. Where
a quote is comes from sources.passages, the rule every check of a quote uses: what is marked is
what was verified."""

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings

from sources.models import Citation, Source
from tracker.core.workflow import RequestUser, can_review


def texts_are_public() -> bool:
    """Are sources' full texts on their public pages (settings.SOURCE_TEXT_READERS)?"""
    return bool(settings.SOURCE_TEXT_READERS == "public")


def may_read_text(user: RequestUser) -> bool:
    """May `user` read sources' full texts and download their documents?
    settings.SOURCE_TEXT_READERS says who: every curator by default."""
    readers = settings.SOURCE_TEXT_READERS
    if texts_are_public():
        return True
    if readers == "editors":
        return can_review(user, Source)
    return user.is_active and user.is_staff and user.has_perm("sources.view_source")


@dataclass(frozen=True)
class Cited:
    """A citation of the source being read, with the kind and name of the entry it supports
    and where that entry is read (its admin page, or its public one)."""

    citation: Citation
    kind: str
    entry: str
    url: str

    @property
    def quote(self) -> str:
        return self.citation.quote


@dataclass
class Segment:
    """A run of a page's text and the numbers of the passages covering it (none for text no
    one quotes); `begins`, those whose passage starts here."""

    text: str
    numbers: tuple[int, ...] = ()
    begins: tuple[int, ...] = ()


@dataclass
class PageText:
    number: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Reading[T: Quoting]:
    """A document's pages cut into segments; the quotes found, numbered from 1 in the order
    they appear (`found[n - 1]` is passage n); those not found in it."""

    pages: list[PageText]
    found: list[T]
    not_found: list[T]


class Quoting(Protocol):
    """A citation, or anything carrying its quote."""

    @property
    def quote(self) -> str: ...


def reading[T: Quoting](source: Source, quoting: Iterable[T]) -> Reading[T] | None:
    """`source`'s text with the passage each of `quoting` quotes marked; None without a text."""
    document = source.pages
    if document is None:
        return None
    located: list[tuple[list[tuple[int, int, int]], T]] = []
    not_found = []
    for item in quoting:
        found = document.locate(item.quote)
        if found is None:
            not_found.append(item)
        else:
            located.append((document.spans(found), item))
    located.sort(key=lambda entry: entry[0][0])  # by page, then by place on it
    marks: list[list[tuple[int, int, int]]] = [[] for _ in document.pages]
    for number, (spans, _) in enumerate(located, start=1):
        for index, start, end in spans:
            marks[index].append((start, end, number))
    pages = [
        PageText(page.number, _segments(page.text, page_marks))
        for page, page_marks in zip(document.pages, marks, strict=True)
    ]
    return Reading(pages, [item for _, item in located], not_found)


def _segments(text: str, marks: Sequence[tuple[int, int, int]]) -> list[Segment]:
    """`text` cut at every edge of a mark, each piece with the passages covering it."""
    edges = sorted({0, len(text), *(s for s, _, _ in marks), *(e for _, e, _ in marks)})
    segments = []
    for start, end in itertools.pairwise(edges):
        covering = tuple(n for s, e, n in marks if s <= start and end <= e)
        begins = tuple(n for s, _, n in marks if s == start)
        segments.append(Segment(text[start:end], covering, begins))
    return segments
