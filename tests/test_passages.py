"""A quote is found in its document however copying wrote it, and only there."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sources.passages import Document, Page, _canonical, canonical

REPORT = Document(
    [
        Page("13", "Opening words of the report.\n"),
        Page(
            "14",
            "The Government shall ensure the digital transfor-\nmation of public\u00a0services "
            "by 2024, with \u201cpriority\u201d given to the regions \u2013 all of them. The "
            "EU-\nRussia dialogue continues. Funding of US\\$22 million was set aside for the",
        ),
        Page("15", "first stage, and more later."),
    ],
    markdown=True,
)


@pytest.mark.parametrize(
    "quote",
    [
        "digital transformation of public services by 2024",  # line-break hyphen, nbsp
        'with "priority" given to the regions - all of them',  # typographic quotes, dash
        "with \u201cpriority\u201d given to the regions \u2014 all of them",  # another dash
        "The EU-Russia dialogue continues.",  # a compound split at its own hyphen
        "Funding of US$22 million",  # a Markdown escape in the document
        "  The Government\nshall   ensure ",  # whitespace as copied
        "dig\u00adital transformation",  # a soft hyphen in the quote
    ],
)
def test_a_quote_is_found_however_copying_wrote_it(quote):
    found = REPORT.locate(quote)
    assert found is not None
    assert found.pages == "14"


def test_a_quote_across_a_page_break_names_both_pages():
    found = REPORT.locate("was set aside for the first stage")
    assert found is not None
    assert (found.first_page, found.last_page, found.pages) == ("14", "15", "14-15")


def test_a_quote_is_shown_with_the_sentence_before_and_the_sentence_after():
    found = REPORT.locate("The EU-Russia dialogue continues.")
    assert found is not None
    before, quote, after = found.context()
    assert quote == "The EU-Russia dialogue continues."
    assert before.endswith("given to the regions - all of them. ")
    assert before.startswith("The Government shall")  # the page's first sentence
    assert after == " Funding of US$22 million was set aside for the"  # to the page's end


@pytest.mark.parametrize(
    ("quote", "before", "after"),
    [
        ("The quote is this.", "Second sentence here. ", " Third follows."),
        ("quote is", "Second sentence here. The ", " this. Third follows."),
        ("First one.", "", " Second sentence here."),
        ("Fourth is last.", "Third follows. ", ""),
    ],
)
def test_the_context_is_the_sentence_either_side_of_the_quote_s_own(quote, before, after):
    text = "First one. Second sentence here. The quote is this. Third follows. Fourth is last."
    found = Document.of_text(text).locate(quote)
    assert found is not None
    assert found.context() == (before, quote, after)


def test_long_sentences_are_cut_at_a_word():
    found = Document.of_text("word " * 200 + "The quote. " + "more " * 200).locate("The quote.")
    assert found is not None
    before, _, after = found.context()
    assert before.startswith("…word ") and len(before) < 410
    assert after.endswith("more…") and len(after) < 410


@given(st.text(alphabet="ab -\n\u00ad\u201c.\t\\", max_size=40), st.booleans(), st.booleans())
def test_every_canonical_character_knows_where_it_was(text, rejoin, markdown):
    where = list(range(len(text)))
    written = _canonical(text, rejoin=rejoin, markdown=markdown, where=where)
    assert written == canonical(text, rejoin=rejoin, markdown=markdown)
    assert len(where) == len(written) and where == sorted(where)


@pytest.mark.parametrize(
    "quote",
    [
        "digital transformation of public services by 2025",  # a changed figure
        "The Government shall ensure digital transformation",  # a word left out
        "",
        "   ",
    ],
)
def test_a_misquote_is_not_found(quote):
    assert REPORT.locate(quote) is None


def test_a_misquote_is_shown_the_closest_passage():
    nearest = REPORT.closest("the digital transformation of public services by 2025")
    assert nearest is not None
    assert nearest.page == "14"
    assert "digital transformation of public services by 2024" in nearest.passage
    assert 80 < nearest.score < 100


def test_nothing_is_closest_in_an_empty_document():
    assert Document([]).closest("anything") is None
    assert Document([Page("", "")]).closest("anything") is None


def test_a_quote_copying_a_markdown_escape_is_not_verbatim():
    assert REPORT.locate("Funding of US\\$22 million") is None
    escaped = Document([Page("", "It cost US\\$22 million.")])  # not a Markdown rendering
    assert escaped.locate("US\\$22") is not None and escaped.locate("US$22") is None


def test_a_document_without_page_numbers_locates_with_none():
    found = Document.of_text("one two three").locate("two")
    assert found is not None and found.pages == ""


def test_form_feeds_number_the_pages_of_a_text():
    found = Document.of_text("one\ftwo\fthree").locate("three")
    assert found is not None and found.pages == "3"


@given(st.text())
def test_canonical_text_is_canonical(text):
    once = canonical(text)
    assert canonical(once) == once
    assert once == once.strip() and "  " not in once


@given(st.text(min_size=1), st.text(), st.text())
def test_a_passage_of_a_document_is_found_in_it(passage, before, after):
    if not canonical(passage):
        return
    document = Document([Page("1", f"{before} {passage} {after}")])
    assert document.locate(passage) is not None
