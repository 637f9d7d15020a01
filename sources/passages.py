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
SOFT_HYPHENS = re.compile("\u00ad")
TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
# Where a sentence ends in a canonical text: a full stop, question or exclamation mark (with
# any closing quote or bracket), then a space.
SENTENCE_END = re.compile(r"[.!?][\"')\]]* ")
# The most context shown either side of a quote, however long its sentences.
MOST_CONTEXT = 400


def canonical(text: str, *, rejoin: bool = True, markdown: bool = False) -> str:
    """`text` as it is compared: see the module's docstring. With `rejoin` false, a hyphen at
    a line break is kept ("EU-\nRussia" reads "EU-Russia"): `locate` tries a document both ways,
    since a compound can be split at its own hyphen."""
    return _canonical(text, rejoin=rejoin, markdown=markdown)


def as_quoted(passage: str) -> str:
    """A passage copied from a document's text, written as a quote: on one line, without soft
    hyphens, its typography kept. A hyphen at a line break stays (the compound "EU-\nRussia"
    reads "EU-Russia"; a split word keeps a visible hyphen rather than lose one a compound
    needs), so the quote is found in the text it was copied from."""
    return _canonical(passage, rejoin=False, markdown=False, typography=False)


def _canonical(
    text: str,
    *,
    rejoin: bool,
    markdown: bool,
    typography: bool = True,
    where: list[int] | None = None,
) -> str:
    """`canonical`, step by step. Given `where` (the original offset of each character of
    `text`), it is kept in step: where[i] is then the offset in the original text of the
    canonical text's i-th character, which is how a passage found in the canonical form is
    marked in the document as it reads (Document.spans)."""
    steps: list[tuple[re.Pattern[str], str]] = [(SOFT_HYPHENS, "")]
    if markdown:
        steps.append((MARKDOWN_ESCAPE, r"\1"))
    steps.append((LINE_BREAK_HYPHEN, "" if rejoin else "-"))
    for pattern, replacement in steps:
        text = _replace(pattern, replacement, text, where)
    if typography:
        text = text.translate(TYPOGRAPHY)  # one character for one: the offsets stay
    text = _replace(WHITESPACE, " ", text, where)
    stripped = text.strip()
    if where is not None and stripped != text:
        lead = len(text) - len(text.lstrip())
        where[:] = where[lead : lead + len(stripped)]
    return stripped


def _replace(pattern: re.Pattern[str], replacement: str, text: str, where: list[int] | None) -> str:
    """pattern.sub(replacement, text), keeping `where` in step: a replacement's characters
    stand where the match (or its first group) began. Every replacement here is at most one
    character at most."""
    if where is None:
        return pattern.sub(replacement, text)
    out: list[str] = []
    kept: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        kept.extend(where[last : match.start()])
        written = match.expand(replacement)
        out.append(written)
        anchor = match.start(1) if pattern.groups else match.start()
        kept.extend([where[anchor]] * len(written))
        last = match.end()
    out.append(text[last:])
    kept.extend(where[last:])
    where[:] = kept
    return "".join(out)


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
    numbers), and the canonical text of its page with the quote's place in it: `index` is
    the page's place in the document, `rejoin` which canonical form it was found in."""

    first_page: str
    last_page: str
    text: str
    start: int
    end: int
    index: int = 0
    rejoin: bool = True

    @property
    def pages(self) -> str:
        """ "14", or "14-15" for a quote across a page break, or "" without page numbers."""
        if self.first_page == self.last_page:
            return self.first_page
        return f"{self.first_page}-{self.last_page}"

    def context(self) -> tuple[str, str, str]:
        """The located quote, with what comes before it from the start of the sentence before its
        own, and after it to the end of the sentence after its own; past MOST_CONTEXT characters
        either side, cut at a word with "…"."""
        text, start, end = self.text, self.start, self.end
        origin, limit = max(0, start - MOST_CONTEXT), min(len(text), end + MOST_CONTEXT)
        # A sentence starts after the space that follows its mark, and ends at that space (so a
        # quote ending on a full stop ends its sentence). The text's edges are edges too.
        starts = [0] if origin == 0 else []
        starts += [m.end() for m in SENTENCE_END.finditer(text, origin, start)]
        ends = sorted(
            {m.end() - 1 for m in SENTENCE_END.finditer(text, start, limit + 1) if m.end() > end}
            | ({len(text)} if limit == len(text) else set())
        )
        if len(starts) >= 2:
            before = text[starts[-2] : start]
        elif starts:
            before = text[:start]
        else:
            before = "…" + text[origin:start].partition(" ")[2]
        if len(ends) >= 2:
            after = text[end : ends[1]]
        elif limit == len(text):
            after = text[end:]
        else:
            after = text[end:limit].rpartition(" ")[0] + "…"
        return before, text[start:end], after


class Document:
    """A document's pages (`markdown`: a Markdown rendering of the document), with their
    canonical forms worked out once for every quote."""

    def __init__(self, pages: Sequence[Page], *, markdown: bool = False):
        self.pages = tuple(pages)
        self.markdown = markdown
        self._offsets: dict[bool, list[list[int]]] = {}
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
            if (found := self._find(wanted, rejoin)) is not None:
                return found
        return None

    def _find(self, wanted: str, rejoin: bool) -> Located | None:
        pages, texts = self.pages, self._texts[rejoin]
        for i, (page, text) in enumerate(zip(pages, texts, strict=True)):
            if (start := text.find(wanted)) >= 0:
                end = start + len(wanted)
                return Located(page.number, page.number, text, start, end, i, rejoin)
            if i + 1 < len(pages):
                joined = f"{text} {texts[i + 1]}"
                start = joined.find(wanted, max(0, len(text) - len(wanted)))
                if 0 <= start < len(text):
                    nxt, end = pages[i + 1].number, start + len(wanted)
                    return Located(page.number, nxt, joined, start, end, i, rejoin)
        return None

    def spans(self, found: Located) -> list[tuple[int, int, int]]:
        """Where a located quote is in the pages as they read: (page index, start, end) of
        the original text of each page it covers (two for a quote across a page break)."""
        where = self._where(found.rejoin)
        first = where[found.index]
        length = len(self._texts[found.rejoin][found.index])
        if found.end <= length:  # on one page
            return [(found.index, first[found.start], first[found.end - 1] + 1)]
        second = where[found.index + 1]
        # In the joined text the next page begins after this page's text and one space.
        return [
            (found.index, first[found.start], first[length - 1] + 1),
            (found.index + 1, second[0], second[found.end - length - 2] + 1),
        ]

    def _where(self, rejoin: bool) -> list[list[int]]:
        """For each page, the original offset of each character of its canonical form: only
        worked out when a quote is to be marked in the text."""
        if rejoin not in self._offsets:
            offsets = []
            for page in self.pages:
                where = list(range(len(page.text)))
                _canonical(page.text, rejoin=rejoin, markdown=self.markdown, where=where)
                offsets.append(where)
            self._offsets[rejoin] = offsets
        return self._offsets[rejoin]

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
