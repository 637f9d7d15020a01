"""Characters XML 1.0 cannot carry (NUL, the C0 controls but tab, newline and carriage return,
lone surrogates, U+FFFE and U+FFFF) are refused in every text field of every curated entry and
citation, on every write path, with the field and the character named; and every XML, BibTeX
and RIS writer strips them anyway, so that text already stored cannot break a feed, the
timeline SVG or a cite file."""

import copy
import json
import re
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.models import Commitment, Event, Policy
from sources.models import Citation
from tests import factories
from tests.test_admin_pages import commitment_form
from tests.test_admin_workflow import transition as admin_transition
from tests.test_api_researchers import api_client
from tests.test_api_researchers import transition as api_transition
from tests.test_load_documents import minimal as shared_minimal
from tests.test_load_documents import write
from tracker.core import workflow
from tracker.core.editorial import State, curated_models
from tracker.core.models import Transition
from tracker.core.text import PublishableText, publishable
from tracker.site.citing import Citable, as_bibtex, as_ris

pytestmark = pytest.mark.django_db


def minimal():
    # test_load_documents' dataset shares its source record between calls: change a copy.
    return copy.deepcopy(shared_minimal())


ATOM = "{http://www.w3.org/2005/Atom}"
# Every character outside XML 1.0's Char production.
FORBIDDEN = st.one_of(
    st.integers(0x00, 0x08),
    st.sampled_from([0x0B, 0x0C]),
    st.integers(0x0E, 0x1F),
    st.integers(0xD800, 0xDFFF),
    st.sampled_from([0xFFFE, 0xFFFF]),
).map(chr)
# The ones a database can hold: PostgreSQL refuses NUL, and neither database takes a lone
# surrogate. Text stored before the rule may hold any of the others.
STORABLE_FORBIDDEN = st.one_of(
    st.integers(0x01, 0x08), st.sampled_from([0x0B, 0x0C]), st.integers(0x0E, 0x1F)
).map(chr)
C0_FORBIDDEN = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
XML_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters=C0_FORBIDDEN + "\ufffe\uffff")
)
FAST = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def text_fields(model):
    return [
        f for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
    ]


# -- the rule, on every field ------------------------------------------------------------


@pytest.mark.parametrize("model", [*curated_models(), Citation], ids=lambda m: m.__name__)
def test_every_text_field_of_every_curated_model_and_of_citations_carries_the_rule(model):
    """A new model or field cannot forget the rule: this lists the models and fields itself.
    Only a field never published (a source's document text, which keeps its form feeds) is
    without it."""
    unpublished = getattr(model, "unpublished_fields", ())
    missing = [
        f.name
        for f in text_fields(model)
        if f.name not in unpublished
        and not any(isinstance(v, PublishableText) for v in f.validators)
    ]
    assert missing == []
    assert set(unpublished) <= {"document", "text"}  # not a way around the rule


def test_the_message_names_the_field_and_the_character():
    entry = Event(title="Decree\x0bsigned")
    with pytest.raises(ValidationError) as refused:
        entry.clean_fields(exclude=[f.name for f in Event._meta.fields if f.name != "title"])
    assert refused.value.message_dict["title"] == [
        "Title contains the control character U+000B, which cannot be published; remove it."
    ]


def test_a_field_with_a_verbose_name_is_named_by_it():
    entry = Policy(instrument="Decree\x00")
    with pytest.raises(ValidationError) as refused:
        entry.clean_fields(exclude=[f.name for f in Policy._meta.fields if f.name != "instrument"])
    assert refused.value.message_dict["instrument"] == [
        "Legal instrument contains the control character U+0000, which cannot be published; "
        "remove it."
    ]


def test_tab_newline_and_carriage_return_stay_allowed_in_multi_line_text():
    PublishableText("Description")("Line one\r\nLine two\n\tindented")


@given(text=XML_TEXT, bad=FORBIDDEN, at=st.integers(0, 40))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_any_text_with_a_forbidden_character_is_refused_and_any_other_text_is_accepted(
    text, bad, at
):
    rule = PublishableText("Title")
    rule(text)
    with pytest.raises(ValidationError, match=f"U\\+{ord(bad):04X}, which cannot be published"):
        rule(text[:at] + bad + text[at:])
    assert publishable(text[:at] + bad + text[at:]) == text


# -- every write path --------------------------------------------------------------------


def test_the_admin_refuses_a_control_character_and_keeps_what_was_typed(staff_client):
    response = staff_client.post(
        reverse("admin:policies_commitment_add"),
        commitment_form(factories.policy(), title="Present\x0bthe strategy"),
    )
    assert response.status_code == 200
    assert (
        "Title contains the control character U+000B, which cannot be published; remove it."
        in response.text
    )
    assert not Commitment.objects.exists()


def test_the_admin_refuses_a_control_character_in_a_quote(staff_client):
    prefix = "sources-citation-content_type-object_id"
    response = staff_client.post(
        reverse("admin:policies_commitment_add"),
        commitment_form(factories.policy(), **{f"{prefix}-0-quote": "to be \x07presented"}),
    )
    assert response.status_code == 200
    assert "Quote contains the control character U+0007" in response.text
    assert not Commitment.objects.exists()


def test_an_import_with_a_control_character_writes_nothing(contributor_client):
    factories.policy(slug="ru-ai")
    factories.source(slug="report")
    content = (
        b"slug,policy,title,kind,due,citation_source,citation_section,citation_quote\n"
        b"bad,ru-ai,Bad\x1frow,deliverable,2024,report,Introduction,a quote\n"
    )
    response = contributor_client.post(
        reverse("admin:policies_commitment_import"),
        {"format": "0", "import_file": SimpleUploadedFile("commitments.csv", content)},
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "Title contains the control character U+001F" in " ".join(
        result.invalid_rows[0].error_dict["title"]
    )
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("section", "quote"), [("Introduction", "a \x07quote"), ("Intro\x07duction", "a quote")]
)
def test_an_import_with_a_control_character_in_its_citation_writes_nothing(
    contributor_client, section, quote
):
    factories.policy(slug="ru-ai")
    factories.source(slug="report")
    content = (
        "slug,policy,title,kind,due,citation_source,citation_section,citation_quote\n"
        f"bad,ru-ai,Bad row,deliverable,2024,report,{section},{quote}\n"
    ).encode()
    response = contributor_client.post(
        reverse("admin:policies_commitment_import"),
        {"format": "0", "import_file": SimpleUploadedFile("commitments.csv", content)},
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "the control character U+0007" in " ".join(
        " ".join(messages) for messages in result.invalid_rows[0].error_dict.values()
    )
    assert not Commitment.objects.exists()
    assert not Citation.objects.exists()


@pytest.mark.parametrize(
    ("kind", "change", "message"),
    [
        (
            "events",
            lambda e: e.update(title="Decree\x0bsigned"),
            "events 'decree': title: Title contains the control character U+000B",
        ),
        (
            "policies",
            lambda p: p["citations"][0].update(quote="The strategy\x1b was signed"),
            "policies 'strategy': citation #1: Quote contains the control character U+001B",
        ),
    ],
)
def test_load_documents_refuses_a_control_character_and_writes_nothing(
    tmp_path, kind, change, message
):
    data = minimal()
    change(data[kind][0])
    write(tmp_path, "data.json", json.dumps(data))
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("load_documents", fixtures=tmp_path)
    assert not Policy.objects.exists()


# -- every writer, over text stored before the rule ---------------------------------------


@pytest.fixture
def stored():
    """Published entries of the kinds the feeds, the timeline and the cite files show."""
    country = factories.jurisdiction(code="RU", name="Russia")
    policy = factories.published_policy(slug="ai", jurisdiction=country)
    commitment = factories.published_commitment(slug="pledge", policy=policy, pledged="2019")
    factories.published_assessment(commitment=commitment, summary="Drafting.")
    event = factories.event(slug="decree", jurisdiction=country, **factories.PUBLISHED)
    event.policies.add(policy)
    return {"jurisdiction": country, "policy": policy, "commitment": commitment, "event": event}


def store(entry, **fields):
    """Write text as an older version of the site would have: past every validator."""
    type(entry).objects.filter(pk=entry.pk).update(**fields)


FEEDS = ["/feed/", "/jurisdictions/RU/feed/", "/policies/ai/feed/"]


@pytest.mark.parametrize("url", FEEDS)
def test_a_control_character_in_a_stored_title_no_longer_breaks_the_feeds(client, stored, url):
    store(stored["event"], title="Decree\x0bsigned", description="Signed\x01 today.")
    store(stored["policy"], title="AI\x0c strategy")
    store(stored["jurisdiction"], name="Rus\x08sia")
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    titles = [t.text for t in root.iter(f"{ATOM}title")]
    assert "Decreesigned (10 October 2019)" in titles


def timeline_svg(body: str) -> ElementTree.Element:
    start = body.index('<svg class="timeline-chart"')
    return ElementTree.fromstring(body[start : body.index("</svg>", start) + len("</svg>")])


def test_a_control_character_in_stored_text_leaves_the_timeline_svg_well_formed(client, stored):
    store(stored["policy"], title="AI\x0b strategy")
    store(stored["commitment"], title="Present\x1e the strategy")
    store(stored["event"], title="Decree\x02 signed")
    response = client.get("/policies/ai/")
    assert response.status_code == 200
    texts = " ".join(timeline_svg(response.text).itertext())
    assert "Present the strategy" in texts
    assert "Decree signed" in texts


@pytest.mark.parametrize("fmt", ["bib", "ris"])
def test_a_control_character_in_a_stored_title_does_not_reach_a_cite_file(client, stored, fmt):
    store(stored["commitment"], title="Present\x0b the\x01 strategy")
    response = client.get(reverse("cite", args=["commitment", stored["commitment"].pk, fmt]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Present the strategy" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text.replace("\r\n", ""))


@FAST
@given(bad=st.lists(STORABLE_FORBIDDEN, min_size=1, max_size=3), text=XML_TEXT)
def test_any_stored_text_keeps_every_feed_and_the_timeline_well_formed(client, stored, bad, text):
    dirty = f"{text[:20]}{''.join(bad)}{text[20:40]}"
    store(stored["jurisdiction"], name=f"N{dirty}")
    store(stored["policy"], title=f"P{dirty}", summary=dirty)
    store(stored["commitment"], title=f"C{dirty}", description=dirty)
    store(stored["event"], title=f"E{dirty}", description=dirty)
    Commitment.objects.filter(pk=stored["commitment"].pk).first().assessments.update(summary=dirty)
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        ElementTree.fromstring(response.content)
    timeline_svg(client.get("/policies/ai/").text)


@given(bad=FORBIDDEN, text=XML_TEXT)
@settings(max_examples=200, deadline=None, derandomize=True)
def test_bibtex_and_ris_never_carry_a_forbidden_character(bad, text):
    import datetime as dt

    citable = Citable(
        kind="event",
        kind_label="Event",
        pk=1,
        title=f"{text}{bad}{text}",
        url="https://example.org/e/event/1/",
        version=dt.date(2026, 1, 1),
        accessed=dt.date(2026, 1, 2),
    )
    for written in (as_bibtex(citable), as_ris(citable).replace("\r\n", "\n")):
        assert publishable(written) == written


@pytest.mark.parametrize("through", ["admin", "api"])
def test_a_transition_comment_with_a_control_character_is_refused_and_changes_nothing(
    contributor, editor, editor_client, through
):
    entry = factories.commitment(created_by=contributor)
    factories.cite(entry)
    workflow.entry_submit(entry, by=contributor)
    before = Transition.objects.count()
    if through == "admin":
        response = admin_transition(editor_client, entry, "request_changes", "Fix\x00 this")
        shown = response.client.get(response.url).content.decode()
    else:
        response = api_transition(api_client(editor), entry, "request_changes", "Fix\x00 this")
        assert response.status_code == 400
        shown = response.json()["detail"]
    assert "Comment contains the control character U+0000" in shown
    assert Transition.objects.count() == before
    stored = Commitment.objects.get(pk=entry.pk)
    assert (stored.state, stored.review_note) == (State.IN_REVIEW, "")
