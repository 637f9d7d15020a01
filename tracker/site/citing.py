"""Cite this entry: plain text, BibTeX and RIS for one version of one published entry.

A citation names the entry, its kind, the site, the permanent URL (by id, so it survives a
renamed slug) and the version date: the day the entry was last changed (`updated_at`).
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from policies import links
from tracker.core import clock
from tracker.core.editorial import Curated
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


def _bibtex_escape(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group(1)
        return {
            "\\": r"\textbackslash{}",
            "^": r"\^{}",
            "~": r"\~{}",
        }.get(char, "\\" + char)

    return _BIBTEX_SPECIAL.sub(escape, publishable(text))


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


FORMATS: dict[str, tuple[Callable[[Citable], str], str]] = {
    "txt": (as_text, "text/plain; charset=utf-8"),
    "bib": (as_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (as_ris, "application/x-research-info-systems; charset=utf-8"),
}
