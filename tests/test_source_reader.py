"""A source's reader in the admin: its text page by page, every cited passage marked and linked
to the entry it supports; a passage chosen there opens a new entry's form with the citation
filled in. Who may read a full text, and download the document, is a setting."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sources.passages import Document, Page, as_quoted
from sources.reading import reading
from tests import factories
from tests.test_source_documents import PAGES, pdf
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return factories.source(text=PAGES, title="Report on the strategy")


def text_url(source):
    return reverse("admin:sources_source_text", args=[source.pk])


# Marking the passages


def test_a_marked_passage_is_the_quote_as_the_document_reads_it():
    document = Document(
        [Page("1", "Intro."), Page("2", "The digital transfor-\nmation of “public” services.")]
    )
    found = document.locate('transformation of "public" services')
    assert found is not None
    ((index, start, end),) = document.spans(found)
    assert document.pages[index].text[start:end] == "transfor-\nmation of “public” services"


def test_a_passage_across_a_page_break_is_marked_on_both_pages():
    document = Document([Page("1", "It was set aside"), Page("2", "for the first stage.")])
    found = document.locate("set aside for the first")
    assert found is not None
    assert [document.pages[i].text[s:e] for i, s, e in document.spans(found)] == [
        "set aside",
        "for the first",
    ]


def test_passages_are_numbered_in_the_order_they_appear(report):
    later = factories.cite(factories.commitment(), source=report, quote="22 million roubles")
    earlier = factories.cite(factories.commitment(), source=report, quote="Opening words")
    read = reading(report, [later, earlier])
    assert read is not None
    assert read.found == [earlier, later]
    first_page = read.pages[0].segments
    assert [(s.text, s.begins) for s in first_page if s.numbers] == [("Opening words", (1,))]


def test_overlapping_passages_are_both_marked(report):
    a = factories.cite(factories.commitment(), source=report, quote="22 million roubles")
    b = factories.cite(factories.commitment(), source=report, quote="million roubles was set")
    read = reading(report, [a, b])
    assert read is not None
    marked = [(s.text, s.numbers) for s in read.pages[2].segments if s.numbers]
    assert marked == [("22 ", (1,)), ("million roubles", (1, 2)), (" was set", (2,))]


def test_a_copied_passage_is_written_on_one_line_and_still_found():
    copied = "the digital transfor-\nmation of public\n services"
    assert as_quoted(copied) == "the digital transfor-mation of public services"
    assert Document.of_text(PAGES).locate(as_quoted(copied)) is not None


# The reader, as the people who use it


@pytest.mark.parametrize("person", ["contributor", "editor"])
def test_a_curator_reads_the_text_with_its_cited_passages_linked(request, person, report):
    client = request.getfixturevalue(f"{person}_client")
    entry = factories.commitment(title="Transform public services")
    factories.cite(entry, source=report, quote="digital transformation of public services")
    page = client.get(text_url(report))
    assert page.status_code == 200
    html = page.text
    assert '<mark class="cited">digital transfor-\nmation of public services</mark>' in html
    assert reverse("admin:policies_commitment_change", args=[entry.pk]) in html
    assert "Transform public services" in html
    assert 'id="page-2"' in html


def test_the_reader_offers_a_new_entry_of_every_kind_that_cites(contributor_client, report):
    html = contributor_client.get(text_url(report)).text
    for kind in ("commitment", "event", "funding", "estimate", "assessment"):
        assert f"New {kind} citing this" in html
    assert f'formaction="{reverse("admin:policies_commitment_add")}"' in html


def test_a_quote_not_found_in_the_text_is_listed_apart(editor_client, report):
    entry = factories.commitment()
    citation = factories.cite(entry, source=report, quote="Opening words")
    type(citation).objects.filter(pk=citation.pk).update(quote="Words nobody wrote")
    html = editor_client.get(text_url(report)).text
    assert "Quotes not found in this text" in html and "Words nobody wrote" in html


def test_the_reader_of_a_source_without_text_says_how_to_give_it_one(editor_client):
    source = factories.source()
    html = editor_client.get(text_url(source)).text
    assert "holds no text yet" in html


def test_the_source_form_links_to_its_reader(editor_client, report):
    html = editor_client.get(reverse("admin:sources_source_change", args=[report.pk])).text
    assert text_url(report) in html


@pytest.mark.parametrize("person", ["contributor", "editor"])
def test_a_passage_opens_a_new_entry_with_its_citation_filled_in(request, person, report):
    client = request.getfixturevalue(f"{person}_client")
    add = reverse("admin:policies_commitment_add")
    page = client.get(
        add, {"cite_source": report.pk, "cite_quote": "22 million roubles\nwas set aside"}
    )
    assert page.status_code == 200
    (formset,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model.__name__ == "Citation"
    ]
    initial = formset.forms[0].initial
    assert (initial["source"], initial["page"]) == (report.pk, "3")
    assert initial["quote"] == "22 million roubles was set aside"


def test_a_passage_not_in_the_text_opens_the_form_without_a_page(editor_client, report):
    add = reverse("admin:policies_event_add")
    page = editor_client.get(add, {"cite_source": report.pk, "cite_quote": "Never written"})
    (formset,) = [
        i.formset for i in page.context["inline_admin_formsets"] if "citation" in i.formset.prefix
    ]
    assert formset.forms[0].initial["page"] == ""


@pytest.mark.parametrize(
    "query", [{"cite_source": "x", "cite_quote": "q"}, {"cite_source": "999999", "cite_quote": "q"}]
)
def test_a_crafted_passage_opens_an_empty_form(editor_client, query):
    page = editor_client.get(reverse("admin:policies_commitment_add"), query)
    assert page.status_code == 200
    (formset,) = [
        i.formset for i in page.context["inline_admin_formsets"] if "citation" in i.formset.prefix
    ]
    assert "quote" not in formset.forms[0].initial  # nothing prefilled from a bad passage


# Who may read it


def test_by_default_every_curator_reads_texts_and_downloads_documents(
    contributor_client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    source = factories.source(state=State.DRAFT)
    source.document = SimpleUploadedFile("report.pdf", pdf("Page one.", "Page two."))
    source.full_clean()
    source.save()
    response = contributor_client.get(reverse("admin:sources_source_document", args=[source.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_source_without_a_document_has_none_to_download(editor_client, report):
    url = reverse("admin:sources_source_document", args=[report.pk])
    assert editor_client.get(url).status_code == 404


def test_when_only_editors_may_read_texts_a_contributor_may_not(
    contributor_client, editor_client, report, settings
):
    settings.SOURCE_TEXT_READERS = "editors"
    assert contributor_client.get(text_url(report)).status_code == 403
    assert editor_client.get(text_url(report)).status_code == 200
    form = contributor_client.get(reverse("admin:sources_source_change", args=[report.pk]))
    assert text_url(report) not in form.text


def test_the_public_never_reaches_the_reader(client, report):
    response = client.get(text_url(report))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(reverse("admin:sources_source_document", args=[report.pk])).status_code == 302


# The public source page


def public_quote(report):
    entry = factories.published_commitment(title="Transform public services")
    return entry, factories.cite(entry, source=report, quote="digital transformation of public")


def test_the_public_sees_each_quote_in_the_sentences_around_it(client):
    text = (
        "First. The Government shall ensure the digital transformation of public services. "
        "Then more. Far away."
    )
    source = factories.source(text=text, **factories.PUBLISHED)
    _, citation = public_quote(source)
    html = client.get(reverse("source", args=[source.slug])).text
    assert f'id="passage-{citation.pk}"' in html
    assert (
        '<span class="context">First. The Government shall ensure the </span>'
        "<mark>digital transformation of public</mark>"
        '<span class="context"> services. Then more.</span>'
    ) in html
    assert "Far away." not in html  # more than a sentence after the quote's own
    assert "The document's text" not in html


def test_an_entry_links_each_quote_to_its_passage_on_the_source_page(client):
    source = factories.source(text=PAGES, **factories.PUBLISHED)
    entry, citation = public_quote(source)
    html = client.get(reverse("commitment", args=[entry.slug])).text
    assert f"{reverse('source', args=[source.slug])}#passage-{citation.pk}" in html


def test_where_texts_are_public_the_source_page_shows_it_marked(client, settings):
    settings.SOURCE_TEXT_READERS = "public"
    source = factories.source(text=PAGES, **factories.PUBLISHED)
    entry, _ = public_quote(source)
    html = client.get(reverse("source", args=[source.slug])).text
    assert "The document's text" in html
    assert '<mark class="cited">digital transfor-\nmation of public</mark>' in html
    assert f'<a href="{reverse("commitment", args=[entry.slug])}">' in html
