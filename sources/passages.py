"""Where a quote is in a document: the one rule by which every check of a quote reads it.

A quote is copied by hand from a PDF, a web page or a Markdown rendering of either, so the
same passage reaches us written several ways. Both the quote and the document are compared in
a canonical form (`canonical`) that forgets what copying changes and keeps every word:

- runs of whitespace (line breaks, non-breaking spaces) are one space;
- typographic quotes are straight ones, dashes and minus signs are hyphens;
- soft hyphens are dropped, and a word hyphenated at a line break is joined again
  ("transfor-\\nmation" reads "transformation");
- in a document that is a Markdown rendering (`markdown=True`), a backslash before ASCII
  punctuation is the rendering's escape ("US\\$22" reads "US$22"); a quote copying it is
  not verbatim, and is not found.

A document is a sequence of pages (a PDF's pages; a text without page breaks is one page
with no number). `locate` says on which page, or pages, a quote is; `closest` finds the passage
nearest to a quote that is not there, for the message that refuses it (`Document`).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

WHITESPACE = re.compile(r"\s+")
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation
# A hyphen ending a line between two letters: the word was split to fit the line.
LINE_BREAK_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n\s*(?=[^\W\d_])")
SOFT_HYPHEN = "\u00ad"
TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
# How much of a document either side of a passage is shown with it.
CONTEXT_CHARS = 160


def canonical(text: str, *, rejoin: bool = True, markdown: bool = False) -> str:
    """`text` as it is compared: see the module's docstring. With `rejoin` false, a hyphen at
    a line break is kept ("EU-\nRussia" reads "EU-Russia"): `locate` tries a document both ways,
    since a compound can be split at its own hyphen."""
    text = text.replace(SOFT_HYPHEN, "")
    if markdown:
        text = unescape_markdown(text)
    text = LINE_BREAK_HYPHEN.sub("" if rejoin else "-", text)
    return WHITESPACE.sub(" ", text.translate(TYPOGRAPHY)).strip()


def unescape_markdown(text: str) -> str:
    """A Markdown rendering's text as the document reads: "US\\$22" is "US$22"."""
    return MARKDOWN_ESCAPE.sub(r"\1", text)


@dataclass(frozen=True)
class Page:
    """One page of a document: its number as the document prints it ("" when it has none)."""

    number: str
    text: str


@dataclass(frozen=True)
class Located:
    """Where a quote is: the pages it starts and ends on ("" when the document has no page
    numbers), and the canonical text of its page with the quote's place in it."""

    first_page: str
    last_page: str
    text: str
    start: int
    end: int

    @property
    def pages(self) -> str:
        """ "14", or "14-15" for a quote across a page break, or "" without page numbers."""
        if self.first_page == self.last_page:
            return self.first_page
        return f"{self.first_page}-{self.last_page}"

    def context(self, chars: int = CONTEXT_CHARS) -> tuple[str, str, str]:
        """The quote with up to `chars` characters of its page either side, cut at words."""
        before = self.text[max(0, self.start - chars) : self.start]
        after = self.text[self.end : self.end + chars]
        if self.start > chars:
            before = before.partition(" ")[2]
        if self.end + chars < len(self.text):
            after = after.rpartition(" ")[0]
        return before, self.text[self.start : self.end], after


class Document:
    """A document's pages (`markdown`: a Markdown rendering of the document), with their
    canonical forms worked out once for every quote."""

    def __init__(self, pages: Sequence[Page], *, markdown: bool = False):
        self.pages = tuple(pages)
        self._texts = {
            rejoin: [canonical(page.text, rejoin=rejoin, markdown=markdown) for page in self.pages]
            for rejoin in (True, False)
        }

    @classmethod
    def of_text(cls, text: str, *, markdown: bool = False) -> "Document":
        """A plain text: pages separated by form feeds (as `pdftotext` writes them) are
        numbered from 1; a text without one is a single page without a number."""
        parts = text.split("\f")
        if len(parts) == 1:
            return cls([Page("", text)], markdown=markdown)
        pages = [Page(str(n), part) for n, part in enumerate(parts, start=1)]
        return cls(pages, markdown=markdown)

    def locate(self, quote: str) -> Located | None:
        """Where `quote` first is, compared canonically; None if it is not in the document.
        A quote may run from the end of one page onto the next."""
        wanted = canonical(quote)
        if not wanted:
            return None
        for rejoin in (True, False):
            if (found := self._find(wanted, self._texts[rejoin])) is not None:
                return found
        return None

    def _find(self, wanted: str, texts: Sequence[str]) -> Located | None:
        pages = self.pages
        for i, (page, text) in enumerate(zip(pages, texts, strict=True)):
            if (start := text.find(wanted)) >= 0:
                return Located(page.number, page.number, text, start, start + len(wanted))
            if i + 1 < len(pages):
                joined = f"{text} {texts[i + 1]}"
                start = joined.find(wanted, max(0, len(text) - len(wanted)))
                if 0 <= start < len(text):
                    nxt = pages[i + 1].number
                    return Located(page.number, nxt, joined, start, start + len(wanted))
        return None

    def closest(self, quote: str) -> "Nearest | None":
        """The passage most like `quote` (its length, give or take), or None for an empty
        quote or document."""
        wanted = canonical(quote)
        best: Nearest | None = None
        for page, text in zip(self.pages, self._texts[True], strict=True):
            if not (wanted and text):
                continue
            found = fuzz.partial_ratio_alignment(wanted, text)
            if found is not None and (best is None or found.score > best.score):
                start, end = _whole_words(text, found.dest_start, found.dest_end)
                best = Nearest(page.number, text[start:end], found.score)
        return best


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """`start` and `end` moved out to the edges of the words they fall in, spaces left out."""
    start = text.rfind(" ", 0, start) + 1 if start and text[start - 1] != " " else start
    end = len(text) if (space := text.find(" ", end)) < 0 else space
    while start < end and text[start] == " ":
        start += 1
    return start, end


@dataclass(frozen=True)
class Nearest:
    """The passage of a document most like a quote that is not in it, and how alike (0-100)."""

    page: str
    passage: str
    score: float
