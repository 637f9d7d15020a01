"""Cite this entry: plain text, BibTeX, RIS and CSL-JSON (what Zotero, pandoc and citeproc read)
for one version of one published entry, and the citation metadata in its page's <head> that
reference managers read.

A citation names the entry, its kind, the site, the permanent URL (by id, so it survives a
renamed slug) and the version date: the day the entry was last changed (`updated_at`).

The page's metadata (`page_metadata`) follows the Highwire Press tags that Google Scholar
indexes and Zotero's Embedded Metadata translator reads (`citation_title`, `citation_author`,
`citation_publication_date` as YYYY/MM/DD, or fewer parts for a coarser date,
`citation_public_url`, `citation_publisher`), and their Dublin Core twins (`DC.*`, ISO dates).
An entry's author and publisher are the site, its date the day it was first published; a
source's are its own, as the source gives them.
"""

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from policies import links
from sources.models import Source
from tracker.core import clock
from tracker.core.dates import FuzzyDate, Precision
from tracker.core.editorial import Curated, State
from tracker.core.text import publishable

SITE_NAME = "Policy Tracker"


@dataclass(frozen=True, slots=True)
class Citable:
    kind: str  # "commitment"
    kind_label: str  # "Commitment"
    pk: int
    title: str
    url: str  # absolute permalink
    version: dt.date
    accessed: dt.date

    @property
    def key(self) -> str:
        return f"policytracker-{self.kind}-{self.pk}-{self.version:%Y%m%d}"

    @property
    def filename_stem(self) -> str:
        return f"policy-tracker-{self.kind}-{self.pk}"


def as_text(c: Citable) -> str:
    return (
        f"{SITE_NAME}. “{c.title}” ({c.kind_label.lower()}, version of {c.version:%-d %B %Y}). "
        f"{c.url} (accessed {c.accessed:%-d %B %Y})."
    )


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
# BibTeX counts braces even behind a backslash: "\{" alone leaves a field unbalanced, and
# everything after it is read as part of it. Braces are written as LaTeX commands instead.
_BIBTEX_COMMANDS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def _bibtex_escape(text: str) -> str:
    """`text` as a BibTeX field's value says it, whatever it holds: its braces balanced, the
    characters LaTeX reads as commands written as such, on one line."""

    def escape(match: re.Match[str]) -> str:
        char = match.group(1)
        return _BIBTEX_COMMANDS.get(char, "\\" + char)

    return _BIBTEX_SPECIAL.sub(escape, " ".join(publishable(text).split()))


def as_bibtex(c: Citable) -> str:
    fields = [
        ("title", _bibtex_escape(c.title)),
        ("author", "{" + SITE_NAME + "}"),
        ("organization", SITE_NAME),
        ("year", str(c.version.year)),
        ("date", c.version.isoformat()),
        ("note", f"{c.kind_label}, version of {c.version.isoformat()}"),
        ("url", c.url),
        ("urldate", c.accessed.isoformat()),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


def _ris_line(tag: str, value: str) -> str:
    # One line per tag: line breaks in a title become spaces.
    return f"{tag}  - {' '.join(publishable(value).split())}"


def as_ris(c: Citable) -> str:
    lines = [
        _ris_line("TY", "ELEC"),
        _ris_line("TI", c.title),
        _ris_line("AU", SITE_NAME),
        _ris_line("PB", SITE_NAME),
        _ris_line("PY", str(c.version.year)),
        _ris_line("DA", f"{c.version:%Y/%m/%d}"),
        _ris_line("Y2", f"{c.accessed:%Y/%m/%d}"),
        _ris_line("UR", c.url),
        _ris_line("N1", f"{c.kind_label}, version of {c.version.isoformat()}"),
        _ris_line("ID", c.key),
        "ER  - ",
    ]
    # RIS wants CRLF line ends.
    return "\r\n".join(lines) + "\r\n"


def citable(request: HttpRequest, entry: Curated) -> Citable:
    kind = links.kind_of(entry)
    return Citable(
        kind=kind,
        kind_label=links.KIND_LABELS[kind],
        pk=entry.pk,
        title=str(entry),
        url=links.on_site(request, links.permalink(entry)),
        version=timezone.localdate(entry.updated_at),
        accessed=clock.today(),
    )


def _date_parts(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def as_csl_json(c: Citable) -> str:
    """CSL-JSON: a list of one item, a web page by the site, dated by its version."""
    item = {
        "id": c.key,
        "type": "webpage",
        "title": publishable(c.title),
        "author": [{"literal": SITE_NAME}],
        "publisher": SITE_NAME,
        "container-title": SITE_NAME,
        "genre": c.kind_label,
        "issued": _date_parts(c.version),
        "accessed": _date_parts(c.accessed),
        "URL": c.url,
        "note": f"{c.kind_label}, version of {c.version.isoformat()}",
    }
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, tuple[Callable[[Citable], str], str]] = {
    "txt": (as_text, "text/plain; charset=utf-8"),
    "bib": (as_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (as_ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (as_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def _known_parts(day: dt.date | FuzzyDate) -> tuple[int, ...]:
    """The year, month and day of `day`, as many of them as are known: a quarter's year, and
    nothing of a decade, whose every year would claim more than the date says."""
    if isinstance(day, dt.date):
        return (day.year, day.month, day.day)
    match day.precision:
        case Precision.DAY:
            return (day.start.year, day.start.month, day.start.day)
        case Precision.MONTH:
            return (day.start.year, day.start.month)
        case Precision.QUARTER | Precision.YEAR:
            return (day.start.year,)
        case Precision.DECADE:
            return ()


def _highwire(parts: tuple[int, ...]) -> str:
    """Highwire's form: 2019/10/10, 2019/10 or 2019."""
    return "/".join(f"{part:02d}" for part in parts)


def _dublin_core(parts: tuple[int, ...]) -> str:
    """ISO 8601's: 2019-10-10, 2019-10 or 2019."""
    return "-".join(f"{part:02d}" for part in parts)


def first_published(entry: Curated) -> dt.date:
    """The day the entry was first published, from its history (one query); an entry with no
    such record (loaded before histories were kept) gives its last publication."""
    first = (
        type(entry)
        .history.filter(id=entry.pk, state=State.PUBLISHED)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return timezone.localdate(first or entry.published_at or entry.updated_at)


@dataclass(frozen=True, slots=True)
class Described:
    """What a page's citation tags say of its entry."""

    title: str
    authors: list[str]
    publisher: str
    day: dt.date | FuzzyDate | None
    doi: str = ""


def described(entry: Curated) -> Described:
    """An entry by the site, first published on its day; a source by its own authors, publisher
    and date (its publisher as author when it names none)."""
    if isinstance(entry, Source):
        authors = entry.author_names or ([entry.publisher] if entry.publisher else [])
        return Described(entry.title, authors, entry.publisher, entry.published, entry.doi)
    return Described(str(entry), [SITE_NAME], SITE_NAME, first_published(entry))


def page_metadata(request: HttpRequest, entry: Curated) -> list[tuple[str, str]]:
    """The citation tags of the entry's page, as (name, content), in the order they are written."""
    url = links.on_site(request, links.entry_url(entry))
    it = described(entry)
    parts = _known_parts(it.day) if it.day is not None else ()
    tags = [
        ("citation_title", it.title),
        *[("citation_author", name) for name in it.authors],
        *([("citation_publication_date", _highwire(parts))] if parts else []),
        ("citation_public_url", url),
        *([("citation_publisher", it.publisher)] if it.publisher else []),
        *([("citation_doi", it.doi)] if it.doi else []),
        ("DC.title", it.title),
        *[("DC.creator", name) for name in it.authors],
        *([("DC.date", _dublin_core(parts))] if parts else []),
        *([("DC.publisher", it.publisher)] if it.publisher else []),
        ("DC.identifier", url),
    ]
    return [(name, publishable(value)) for name, value in tags]
