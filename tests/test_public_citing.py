"""Cite this entry: a permalink by id, and plain text, BibTeX and RIS naming the version."""

import datetime as dt

import pytest

from tests import factories as make
from tracker.site.citing import Citable, as_bibtex, as_ris, as_text

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
    assert r"title = {Present the strategy by 1 July 2019 \{draft\} \& 100\%}" in bib
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
        }
        assert expected[fmt] in response.text


def test_it_refuses_to_cite_a_draft(client):
    draft = make.policy()
    assert client.get(f"/cite/policy/{draft.pk}.bib").status_code == 404
    assert client.get("/cite/planet/1.bib").status_code == 404
