"""Sources hold their documents, and every quote of a source that holds its text is checked
against it: in the entry's form (a misquote refused with the closest passage, the page filled
in), on every other write path, in the API, and again by `manage.py verify_quotes`."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from sources.documents import extract, kind_of, text_hash
from sources.models import Citation, Source
from tests import factories
from tests.admin_forms import form_data as admin_form_data
from tests.test_citation_write_path import as_row, change_post, draft_by, new_row
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

PAGES = (
    "Opening words of the report.\f"
    "The Government shall ensure the digital transfor-\nmation of public services by 2024.\f"
    "Funding of 22 million roubles was set aside."
)


def pdf(*pages: str) -> bytes:
    """A small PDF with one line of text on each page, as a word processor writes one."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# The document's text


def test_a_pdf_is_read_page_by_page():
    text = extract(upload("report.pdf", pdf("The first page.", "The second page.")))
    assert text.split("\f") == ["The first page.", "The second page."]


def test_a_web_page_is_read_without_its_scripts_and_styles():
    html = (
        b"<!DOCTYPE html><html><head><title>T</title><style>p {}</style></head><body>"
        b"<script>alert(1)</script><p>The decree was signed.</p><p>It took effect.</p></body></html>"
    )
    assert kind_of(html) == "html"
    text = extract(upload("page.html", html))
    assert "The decree was signed." in text and "It took effect." in text
    assert "alert" not in text and "p {}" not in text


def test_a_plain_text_is_kept_as_it_is():
    assert extract(upload("notes.txt", b"Line one\r\nLine two")) == "Line one\nLine two"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "neither a PDF, nor HTML, nor plain text"),
        (b"text\x00with a null byte", "binary data"),
        (b"%PDF-1.4\nnot really a pdf", "could not be read"),
        (pdf(" "), "No text could be read"),
    ],
)
def test_a_document_that_cannot_be_read_is_refused_with_what_to_do(data, says):
    with pytest.raises(ValidationError) as refused:
        extract(upload("document", data))
    assert says in refused.value.messages[0]


@override_settings(SOURCE_DOCUMENT_MAX_BYTES=100)
def test_a_document_too_large_is_refused():
    with pytest.raises(ValidationError, match="at most 100"):
        extract(upload("big.txt", b"x" * 101))


def test_a_source_stores_its_text_and_its_hash(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    source = factories.source()
    source.document = upload("report.pdf", pdf("Page one.", "Page two."))
    source.full_clean()
    source.save()
    source.refresh_from_db()
    assert source.text == "Page one.\fPage two."
    assert source.text_sha256 == text_hash(source.text) and len(source.text_sha256) == 64
    assert (tmp_path / source.document.name).read_bytes().startswith(b"%PDF-")


def test_an_editor_uploads_a_document_in_the_source_form(editor_client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    source = factories.source(state=State.DRAFT)
    url = reverse("admin:sources_source_change", args=[source.pk])
    data = {
        **admin_form_data(editor_client.get(url), inlines=False),
        "document": upload("report.txt", b"The text of the report."),
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert Source.objects.get(pk=source.pk).text == "The text of the report."
    refused = editor_client.post(url, {**data, "document": upload("x.png", b"\x89PNG\x00")})
    assert refused.status_code == 200
    assert "neither a PDF" in str(refused.context["adminform"].form.errors["document"])


# Quotes checked against it


@pytest.fixture
def report():
    return factories.source(text=PAGES)


def test_a_quote_found_is_recorded_with_its_page_and_the_text_it_was_checked_against(report):
    entry = factories.commitment()
    citation = factories.cite(entry, source=report, quote="digital transformation of public")
    assert (citation.verified, citation.located_page) == (True, "2")
    assert citation.verified_against == report.text_sha256


def test_a_quote_of_a_source_without_text_is_not_checked():
    citation = factories.cite(factories.commitment(), quote="Anything at all.")
    assert (citation.verified, citation.verified_against, citation.located_page) == (None, "", "")


def test_a_misquote_is_refused_with_the_closest_passage(report):
    citation = Citation(
        record=factories.commitment(),
        source=report,
        section="Goals",
        quote="digital transformation of public services by 2025",
        field="",
        claim="",
    )
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    (message,) = refused.value.message_dict["quote"]
    assert "not in the text of" in message
    assert "(p. 2) reads: “" in message and "public services by 2024" in message


def test_the_page_is_filled_in_when_left_empty(report):
    citation = Citation(
        record=factories.commitment(),
        source=report,
        quote="22 million roubles",
        section="",
        field="",
        claim="",
    )
    citation.full_clean()
    assert citation.page == "3"


@pytest.mark.parametrize("person", ["contributor", "editor"])
def test_the_entry_form_refuses_a_misquote_and_says_where_a_quote_was_found(
    request, person, report
):
    user = request.getfixturevalue(person)
    client = request.getfixturevalue(f"{person}_client")
    entry = draft_by(user)
    existing = entry.citations.get()
    url = reverse("admin:policies_commitment_change", args=[entry.pk])
    misquote = {**new_row("Funding of 23 million roubles"), "source": report.pk}
    refused = client.post(url, change_post(entry, [as_row(existing)], extra=[misquote]))
    assert refused.status_code == 200
    assert "The closest passage (p. 3) reads" in refused.text
    assert entry.citations.count() == 1  # nothing saved
    quote = {**new_row("Funding of 22 million roubles"), "source": report.pk}
    saved = client.post(url, change_post(entry, [as_row(existing)], extra=[quote]))
    assert saved.status_code == 302
    added = entry.citations.get(source=report)
    assert (added.verified, added.page) == (True, "3")  # the page filled in
    assert "Found on p. 3" in client.get(url).text


def test_the_api_says_whether_each_quote_was_found(client, report):
    entry = factories.published_commitment()
    factories.cite(entry, source=report, quote="Opening words")
    response = client.get(f"/api/v1/commitments/{entry.pk}/")
    (citation,) = [c for c in response.json()["citations"] if c["source"]["id"] == report.pk]
    assert citation["verified"] is True
    assert citation["verified_against"] == report.text_sha256
    assert citation["located_page"] == "1"


def test_a_changed_text_checks_its_quotes_again(report):
    entry = factories.commitment()
    citation = factories.cite(entry, source=report, quote="Opening words")
    report.text = "Another document altogether."
    report.save()
    citation.refresh_from_db()
    assert citation.verified is False and citation.verified_against == report.text_sha256


def test_verify_quotes_reports_the_quotes_no_longer_found(report, capsys):
    entry = factories.commitment()
    factories.cite(entry, source=report, quote="Opening words")
    gone = factories.cite(entry, source=report, quote="set aside")
    Source.objects.filter(pk=report.pk).update(text="Opening words, and nothing else.")
    with pytest.raises(CommandError, match="1 quote"):
        call_command("verify_quotes")
    out = capsys.readouterr().out
    assert f"citation {gone.pk} of commitment {entry.pk}" in out and "'set aside'" in out
    assert Citation.objects.get(pk=gone.pk).verified is False
    Source.objects.filter(pk=report.pk).update(text=PAGES)
    call_command("verify_quotes")
    assert "2 quote(s) checked, 0 not found" in capsys.readouterr().out


def test_no_public_surface_carries_a_sources_text(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    marker = "A sentence only the document holds."
    # More than a sentence away from the quote: past the context a quote is shown in.
    source = factories.source(text=f"Opening words. The second sentence. {marker}")
    entry = factories.published_commitment()
    factories.cite(entry, source=source, quote="Opening words.")
    surfaces = [
        f"/sources/{source.slug}/",
        f"/api/v1/sources/{source.pk}/",
        "/api/v1/sources/",
        f"/api/v1/commitments/{entry.pk}/",
        "/api/v1/commitments/csv/",
        "/api/v1/datapackage.zip",
    ]
    for url in surfaces:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".zip"):  # what a data user unzips
            with zipfile.ZipFile(io.BytesIO(body)) as package:
                body = b"".join(package.read(name) for name in package.namelist())
        assert marker.encode() not in body, url
    assert client.get(f"/api/v1/sources/{source.pk}/").json()["text_sha256"] == source.text_sha256
    dumped = tmp_path / "dump.json"
    call_command("dump_documents", dumped)
    assert marker not in dumped.read_text() and "Opening words." in dumped.read_text()


# Publishing with a quote not found


def test_an_entry_with_a_quote_not_in_its_text_is_published_only_with_a_reason(contributor, editor):
    from tracker.core import workflow
    from tracker.core.models import Transition

    entry = factories.commitment(created_by=contributor, state=State.DRAFT)
    source = factories.source()
    factories.cite(entry, source=source, quote="A passage the text does not hold.")
    source.text = "An unrelated text."
    source.save()  # its quotes checked again: this one is not found
    submitted = workflow.entry_submit(entry, by=contributor)
    assert workflow.publication_problems(submitted) == [
        "1 quote(s) are not in their source's text: “A passage the text does not hold.” "
        f"({source}). Correct them, or publish with a comment giving the reason."
    ]
    with pytest.raises(workflow.WorkflowError, match="not in their source's text"):
        workflow.entry_publish(submitted, by=editor)
    reason = "The text is the English translation; the quote is from the Russian original."
    published = workflow.entry_publish(submitted, by=editor, comment=reason)
    assert published.state == State.PUBLISHED
    assert Transition.objects.filter(object_id=entry.pk, comment=reason).exists()


def test_authors_are_typed_one_name_per_line(editor_client):
    source = factories.source(state=State.DRAFT, authors=["Jane Doe", "Ivan Petrov"])
    url = reverse("admin:sources_source_change", args=[source.pk])
    page = editor_client.get(url)
    assert "Jane Doe\nIvan Petrov</textarea>" in page.text
    data = {**admin_form_data(page, inlines=False), "authors": " Ann Lee \n\nBo Chen\n"}
    assert editor_client.post(url, data).status_code == 302
    assert Source.objects.get(pk=source.pk).authors == ["Ann Lee", "Bo Chen"]
    bad = editor_client.post(url, {**data, "authors": "Ann\x0bLee", "seen_version": 2})
    assert "cannot be published" in str(bad.context["adminform"].form.errors)
