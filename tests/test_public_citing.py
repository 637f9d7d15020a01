"""Cite this entry: a permalink by id, and plain text, BibTeX, RIS and CSL-JSON naming the
version, each read back by the parsers reference managers use (pybtex and bibtexparser for
BibTeX, citeproc-py for CSL-JSON), whatever the title holds."""

import dataclasses
import datetime as dt
import json
from pathlib import Path

import bibtexparser
import citeproc
import pytest
from citeproc.source.json import CiteProcJSON
from hypothesis import given
from hypothesis import strategies as st
from pybtex.database import parse_string

from tests import factories as make
from tracker.site.citing import Citable, as_bibtex, as_csl_json, as_ris, as_text

pytestmark = pytest.mark.django_db

CITABLE = Citable(
    kind="commitment",
    kind_label="Commitment",
    pk=7,
    title="Present the strategy by 1 July 2019 {draft} & 100%",
    url="https://policytracker.example/e/commitment/7/",
    version=dt.date(2026, 3, 1),
    accessed=dt.date(2026, 11, 22),
)


def test_it_writes_plain_text_with_the_version_date():
    text = as_text(CITABLE)
    assert "Policy Tracker." in text
    assert "(commitment, version of 1 March 2026)" in text
    assert CITABLE.url in text


def test_it_writes_bibtex_with_escaped_title():
    bib = as_bibtex(CITABLE)
    assert bib.startswith("@misc{policytracker-commitment-7-20260301,")
    assert (
        r"title = {Present the strategy by 1 July 2019 \textbraceleft{}draft\textbraceright{} "
        r"\& 100\%}" in bib
    )
    assert "url = {https://policytracker.example/e/commitment/7/}" in bib
    assert "note = {Commitment, version of 2026-03-01}" in bib
    assert bib.count("{") == bib.count("}")


def test_it_writes_ris_records():
    ris = as_ris(CITABLE)
    lines = ris.split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert "DA  - 2026/03/01" in lines
    assert "UR  - https://policytracker.example/e/commitment/7/" in lines
    assert lines[-2] == "ER  - "


def test_it_offers_downloads_on_every_entry_page(client):
    strategy = make.published_policy(title="AI Strategy")
    page = client.get(f"/policies/{strategy.slug}/").text
    assert f"/e/policy/{strategy.pk}/" in page
    assert "version of" in page
    for fmt, kind in [
        ("txt", "text/plain"),
        ("bib", "application/x-bibtex"),
        ("ris", "application/x-research-info-systems"),
        ("json", "application/vnd.citationstyles.csl+json"),
    ]:
        response = client.get(f"/cite/policy/{strategy.pk}.{fmt}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(kind)
        assert f"policy-tracker-policy-{strategy.pk}.{fmt}" in response["Content-Disposition"]
        assert "AI Strategy" in response.text
        version = strategy.updated_at.date()
        expected = {
            "txt": f"version of {version:%-d %B %Y}",
            "bib": f"version of {version.isoformat()}",
            "ris": f"DA  - {version:%Y/%m/%d}",
            "json": f"version of {version.isoformat()}",
        }
        assert expected[fmt] in response.text


def test_it_refuses_to_cite_a_draft(client):
    draft = make.policy()
    assert client.get(f"/cite/policy/{draft.pk}.bib").status_code == 404
    assert client.get("/cite/planet/1.bib").status_code == 404


# Titles a researcher might type, or an attacker: unbalanced braces, LaTeX's own characters, a
# command, a field's end, line breaks, Cyrillic and Chinese.
HOSTILE = [
    "Open { never closed",
    "Closed } never opened",
    "}{ backwards",
    "A \\ backslash and \\textbf{bold}",
    "100% of $5 & #1 in_a ^ ~ row",
    'Quote " and } , note = {injected}',
    "Two\nlines\r\nand a tab\t",
    "Национальная стратегия {ИИ}",
    "新一代人工智能发展规划 }",
]


def citing(title):
    return dataclasses.replace(CITABLE, title=title)


def read_back(bib):
    """The one entry pybtex and bibtexparser both read in `bib`, as bibtexparser gives it; its
    title as the two read it must be the same."""
    [entry] = parse_string(bib, "bibtex").entries.values()
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks, library.failed_blocks
    [other] = library.entries
    assert other.fields_dict["title"].value == entry.fields["title"]
    return {name: field.value for name, field in other.fields_dict.items()}


def survives(title):
    """The title reaches the parsers as written, and nothing after it moves: no field ends
    early, none is added."""
    bib = as_bibtex(citing(title))
    fields = read_back(bib)
    assert fields == read_back(as_bibtex(CITABLE)) | {"title": fields["title"]}
    assert f"title = {{{fields['title']}}}" in bib
    return fields["title"]


@pytest.mark.parametrize("title", HOSTILE)
def test_bibtex_parsers_read_any_title_whole_and_every_field_after_it(title):
    written = survives(title)
    assert written.count("{") == written.count("}")


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=80))
def test_bibtex_parsers_read_every_title_whole(title):
    survives(title)


def test_latex_s_own_characters_are_written_as_its_commands():
    written = survives("{ } \\ ^ ~ % & $ # _")
    assert written == (
        r"\textbraceleft{} \textbraceright{} \textbackslash{} \textasciicircum{} "
        r"\textasciitilde{} \% \& \$ \# \_"
    )


def csl_bibliography(csl_json):
    styles = Path(citeproc.__file__).parent / "data" / "styles"
    style = citeproc.CitationStylesStyle(
        str(styles / "harvard-cite-them-right.csl"), validate=False
    )
    source = CiteProcJSON(json.loads(csl_json))
    bibliography = citeproc.CitationStylesBibliography(style, source, citeproc.formatter.plain)
    [item] = json.loads(csl_json)
    bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    return [str(line) for line in bibliography.bibliography()]


@pytest.mark.parametrize("title", ["Present the strategy", *HOSTILE])
def test_citeproc_formats_the_csl_json_item_with_its_title_and_dates(title):
    [line] = csl_bibliography(as_csl_json(citing(title)))
    assert "Policy Tracker" in line and "2026" in line
    assert CITABLE.url in line
    assert " ".join(title.split())[:12] in " ".join(line.split())


class TestEveryShippedEntrysFiles:
    """The parsers over the citation files of every published entry of the shipped dataset."""

    def test_each_parses_in_pybtex_bibtexparser_and_citeproc(self, client, shipped_dataset):
        from policies import links, selectors

        checked = 0
        for kind in links.KIND_LABELS:
            if kind == "assessment":
                continue  # an assessment is cited on its commitment's page
            for pk in selectors.entries(kind).values_list("pk", flat=True):
                bib = client.get(f"/cite/{kind}/{pk}.bib").text
                read_back(bib)
                [line] = csl_bibliography(client.get(f"/cite/{kind}/{pk}.json").text)
                assert f"/e/{kind}/{pk}/" in line
                checked += 1
        assert checked > 300
