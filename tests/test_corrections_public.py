"""Readers' corrections, as a reader meets them (issue 22): the form under every public entry,
every way it refuses a robot or a mistake (with the message a person can act on, and what they
typed kept), the thank-you page, nothing public moving on a submission, and "Corrected on" once
a correction's edit is published."""

import datetime as dt
import os
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories as make
from tests.test_source_documents import pdf
from tracker.core import clock, freshness, workflow
from tracker.core import corrections as core
from tracker.core.editorial import State
from tracker.core.models import Correction
from tracker.site import corrections

pytestmark = pytest.mark.django_db

SETTINGS = Path(__file__).resolve().parent.parent / "tracker" / "settings.py"


@pytest.fixture
def later(monkeypatch):
    """`later(seconds)` moves the site's clock on by that many seconds (the reader reads the
    form, then sends it)."""

    def move(seconds):
        now = clock.now
        monkeypatch.setattr(clock, "now", lambda: now() + dt.timedelta(seconds=seconds))

    return move


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def pledge(db):
    return make.published_commitment(title="Adopt the AI strategy by 2024")


def form_url(entry, kind="commitment"):
    return f"/e/{kind}/{entry.pk}/correct/"


def opened(client, url, **extra):
    """What a browser sends back from the form as served: its hidden stamp, the trap empty."""
    response = client.get(url, **extra)
    assert response.status_code == 200
    return {"served": response.context["form"]["served"].value(), "website": ""}


def typed(**fields):
    return {"message": "The due date is 2025, not 2024: see the decree.", **fields}


def send(client, url, later, data=None, **extra):
    """Open the form, take ten seconds over it, send it."""
    form = opened(client, url, **extra)
    later(10)
    return client.post(url, {**form, **(data or typed())}, **extra)


def refusal_of(response) -> str:
    return response.content.decode()


# -- the way in ------------------------------------------------------------------------------


def entries_of_every_kind():
    country = make.jurisdiction(code="RU", name="Russia")
    policy = make.published_policy(jurisdiction=country)
    commitment = make.published_commitment(policy=policy)
    return {
        "jurisdiction": (country, f"/jurisdictions/{country.code}/"),
        "policy": (policy, f"/policies/{policy.slug}/"),
        "commitment": (commitment, f"/commitments/{commitment.slug}/"),
        "event": (e := make.event(jurisdiction=country, **make.PUBLISHED), f"/events/{e.slug}/"),
        "funding": (f := make.funding(policy=policy, **make.PUBLISHED), f"/funding/{f.slug}/"),
        "actor": (a := make.actor(jurisdiction=country, **make.PUBLISHED), f"/actors/{a.slug}/"),
        "estimate": (
            m := make.estimate(jurisdiction=country, **make.PUBLISHED),
            f"/estimates/{m.slug}/",
        ),
        "source": (s := make.source(), f"/sources/{s.slug}/"),
    }


def test_every_public_entry_page_links_to_its_own_correction_form(client):
    for kind, (entry, page) in entries_of_every_kind().items():
        body = client.get(page).content.decode()
        link = f'<a href="/e/{kind}/{entry.pk}/correct/">Suggest a correction or new evidence</a>'
        assert link in body, kind
        form = client.get(f"/e/{kind}/{entry.pk}/correct/")
        assert form.status_code == 200, kind
        assert str(entry) in form.content.decode()


def test_the_form_says_what_happens_next_and_that_the_email_is_never_shown(client, pledge):
    body = client.get(form_url(pledge)).content.decode()
    assert "An editor reads what you sent" in body
    assert "Nothing on the site changes until a curator" in body
    assert "never shown" in body
    assert "For a reply; never published." in body
    assert 'enctype="multipart/form-data"' in body


def test_the_form_page_is_never_cached_by_anyone(client, pledge):
    response = client.get(form_url(pledge))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert not response.has_header("ETag")
    assert response.cookies["csrftoken"]


def test_a_post_without_the_pages_csrf_token_is_refused(pledge, later):
    strict = Client(enforce_csrf_checks=True)
    form = opened(strict, form_url(pledge))
    later(10)
    assert strict.post(form_url(pledge), {**form, **typed()}).status_code == 403
    token = strict.cookies["csrftoken"].value
    response = strict.post(form_url(pledge), {**form, **typed(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Correction.objects.count() == 1


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.UNPUBLISHED])
def test_an_entry_the_public_cannot_see_has_no_form(client, editor_client, state, later):
    hidden = make.published_commitment(state=state)
    for who in (client, editor_client):
        assert who.get(form_url(hidden)).status_code == 404
        assert who.post(form_url(hidden), typed()).status_code == 404
        assert who.get(f"{form_url(hidden)}sent/").status_code == 404
    assert not Correction.objects.exists()


def test_a_published_entry_whose_parent_is_a_draft_has_no_form(client):
    orphan = make.commitment(policy=make.policy(), state=State.PUBLISHED)
    assert client.get(form_url(orphan)).status_code == 404


def test_an_unknown_entry_or_kind_has_no_form(client, pledge):
    assert client.get(f"/e/commitment/{pledge.pk + 1000}/correct/").status_code == 404
    assert client.get(f"/e/user/{pledge.pk}/correct/").status_code == 404


def test_a_pending_edit_has_no_form_of_its_own(client, pledge, contributor):
    edit = workflow.entry_start_edit(pledge, by=contributor)
    assert client.get(form_url(edit)).status_code == 404


# -- a correction sent --------------------------------------------------------------------------


def test_an_anonymous_reader_sends_a_correction_with_a_document_and_is_thanked(
    client, pledge, later, media
):
    document = SimpleUploadedFile("decree.pdf", pdf("The deadline is 2025."))
    data = typed(
        source_url="https://example.gov/decree-490",
        document=document,
        quote="The deadline is 2025.",
        page="3",
        email="reader@example.org",
    )
    response = send(client, form_url(pledge), later, data)
    assert response.status_code == 302
    assert response["Location"] == f"/e/commitment/{pledge.pk}/correct/sent/"
    stored = Correction.objects.get()
    assert stored.entry == pledge
    assert stored.state == Correction.State.NEW
    assert stored.message == data["message"]
    assert (stored.source_url, stored.quote, stored.page) == (
        "https://example.gov/decree-490",
        "The deadline is 2025.",
        "3",
    )
    assert stored.email == "reader@example.org"
    assert stored.published_at is None
    assert stored.document.name.startswith("corrections/")
    assert (media / stored.document.name).read_bytes().startswith(b"%PDF-")

    thanks = client.get(response["Location"])
    body = thanks.content.decode()
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    assert "the editors have it" in body
    assert "Nothing on the site changes until a curator" in body
    assert f'<a href="/commitments/{pledge.slug}/">Back to the commitment' in body
    # Nothing of what was sent is repeated back.
    assert "reader@example.org" not in body and "decree-490" not in body


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plain text", b"Article 3: the deadline is 2025."),
        ("page.html", b"<!doctype html><html><body><p>The deadline is 2025.</p></body></html>"),
    ],
)
def test_a_plain_text_or_an_html_document_is_taken_too(client, pledge, later, media, name, data):
    document = SimpleUploadedFile(name, data)
    assert send(client, form_url(pledge), later, typed(document=document)).status_code == 302
    assert Correction.objects.get().document


def test_nothing_public_changes_when_a_correction_is_sent(client, pledge, later, media):
    page = f"/commitments/{pledge.slug}/"
    before, version = client.get(page).content, freshness.current()
    document = SimpleUploadedFile("decree.pdf", pdf("The deadline is 2025."))
    response = send(client, form_url(pledge), later, typed(document=document, email="a@b.org"))
    assert response.status_code == 302
    assert freshness.current() == version
    # Rendered afresh, not from the page cache: the same bytes.
    cache.clear()
    assert client.get(page).content == before
    assert client.get(page, headers={"if-none-match": '"x"'}).content == before


def test_a_correction_is_plain_text_shown_escaped_when_the_form_comes_back(client, pledge, later):
    hostile = "<script>alert(1)</script> **bold** [a](javascript:alert(1))"
    response = send(
        client, form_url(pledge), later, {**typed(message=hostile), "website": "filled"}
    )
    body = refusal_of(response)
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in body


# -- the refusals ------------------------------------------------------------------------------


def assert_refused(response, status, *says, kept="The due date is 2025"):
    body = refusal_of(response)
    assert response.status_code == status, body[:500]
    for words in says:
        assert words in body, words
    assert kept in body, "what the reader typed was lost"
    assert 'role="alert"' in body
    assert not Correction.objects.exists()


def test_a_filled_trap_field_is_refused_and_comes_back_empty(client, pledge, later):
    response = send(client, form_url(pledge), later, {**typed(), "website": "http://spam.example"})
    assert_refused(response, 400, "“Leave this empty”", "send the form again")
    assert response.context["form"]["website"].value() == ""
    # The person does as it says: the form as shown goes through.
    again = {k: v for k, v in response.context["form"].data.items() if k != "csrfmiddlewaretoken"}
    assert client.post(form_url(pledge), again).status_code == 302


def test_a_form_sent_too_soon_after_it_was_served_is_refused_then_taken(
    client, pledge, later, settings
):
    settings.CORRECTION_MIN_SECONDS = 3
    form = opened(client, form_url(pledge))
    later(1)
    response = client.post(form_url(pledge), {**form, **typed()})
    assert_refused(response, 400, "a moment after it was opened")
    # The stamp is kept, so the same form sent a little later goes through.
    assert response.context["form"]["served"].value() == form["served"]
    later(5)
    assert client.post(form_url(pledge), {**form, **typed()}).status_code == 302


@pytest.mark.parametrize("stamp", ["", "not-a-stamp", "tampered"])
def test_a_form_without_its_stamp_or_with_an_altered_one_is_refused(client, pledge, later, stamp):
    form = opened(client, form_url(pledge))
    if stamp == "tampered":
        value, _, signature = form["served"].rpartition(":")
        stamp = f"{value}:{signature[::-1]}"
    later(10)
    response = client.post(form_url(pledge), {**form, **typed(), "served": stamp})
    assert_refused(response, 400, "check value is missing or was altered")
    fresh = response.context["form"]["served"].value()
    assert corrections.served_at(fresh) is not None
    later(10)
    assert client.post(form_url(pledge), {**form, **typed(), "served": fresh}).status_code == 302


def test_a_stamp_signed_for_something_else_is_refused(client, pledge, later):
    form = opened(client, form_url(pledge))
    later(10)
    other = signing.dumps(clock.now().timestamp() - 10, salt="another purpose")
    response = client.post(form_url(pledge), {**form, **typed(), "served": other})
    assert_refused(response, 400, "check value is missing or was altered")


def test_a_form_opened_days_ago_asks_to_be_sent_again_with_a_fresh_stamp(client, pledge, later):
    form = opened(client, form_url(pledge))
    later(2 * 24 * 60 * 60)
    response = client.post(form_url(pledge), {**form, **typed()})
    assert_refused(response, 400, "opened more than a day ago")
    fresh = response.context["form"]["served"].value()
    assert fresh != form["served"]
    later(10)
    assert client.post(form_url(pledge), {**form, **typed(), "served": fresh}).status_code == 302


@pytest.mark.parametrize(
    ("field", "size", "says"),
    [
        ("message", 5001, "at most 5000 characters"),
        ("quote", 2001, "at most 2000 characters"),
        ("page", 41, "at most 40 characters"),
        ("source_url", 1001, "at most 1000 characters"),
    ],
)
def test_text_over_the_models_limits_is_refused(client, pledge, later, field, size, says):
    value = "x" * size if field != "source_url" else "https://example.org/" + "a" * (size - 20)
    data = typed(**{field: value})
    kept = "The due date" if field != "message" else "xxxxxxxx"
    assert_refused(send(client, form_url(pledge), later, data), 400, says, kept=kept)


def test_a_message_and_quote_with_too_many_links_are_refused(client, pledge, later, settings):
    settings.CORRECTION_MAX_LINKS = 3
    message = "The due date is 2025: http://a.example/1 https://b.example/2 www.c.example"
    response = send(client, form_url(pledge), later, typed(message=message, quote="http://d.ex"))
    assert_refused(response, 400, "hold 4 links; at most 3 are taken")
    response = send(client, form_url(pledge), later, typed(message=message))
    assert response.status_code == 302


def test_the_source_address_is_not_counted_as_a_link_of_the_message(client, pledge, later):
    data = typed(message="The due date is 2025 http://a.ex http://b.ex http://c.ex")
    data["source_url"] = "https://example.gov/decree"
    assert send(client, form_url(pledge), later, data).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("message", "The due date is 2025\x01", "What is wrong or new contains the control"),
        ("quote", "A\x0bquote", "Quote contains the control character U+000B"),
        ("page", "3\x1f4", "Page contains the control character U+001F"),
    ],
)
def test_a_character_no_page_can_publish_is_refused_by_name(
    client, pledge, later, field, value, says
):
    response = send(client, form_url(pledge), later, typed(**{field: value}))
    assert_refused(response, 400, says, kept="The due date is 2025")


def test_an_email_that_is_no_address_is_refused(client, pledge, later):
    response = send(client, form_url(pledge), later, typed(email="not an address"))
    assert_refused(response, 400, "Enter a valid email address")


def test_a_message_is_required(client, pledge, later):
    response = send(
        client, form_url(pledge), later, {"message": " ", "quote": "The due date is 2025"}
    )
    assert_refused(response, 400, "This field is required")


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "neither a PDF, nor HTML"),
        ("notes.txt", b"text\x00with a null", "holds binary data"),
        ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "could not be read"),
    ],
)
def test_a_document_of_another_type_is_refused(client, pledge, later, media, name, data, says):
    document = SimpleUploadedFile(name, data)
    response = send(client, form_url(pledge), later, typed(document=document))
    assert_refused(response, 400, says, "Choose the document again")
    assert not list(media.rglob("*.*"))


def test_a_document_over_the_limit_is_refused_and_never_stored(
    client, pledge, later, media, settings
):
    settings.CORRECTION_DOCUMENT_MAX_BYTES = 1000
    document = SimpleUploadedFile("long.txt", b"The deadline is 2025. " * 200)
    response = send(client, form_url(pledge), later, typed(document=document))
    assert_refused(response, 400, "at most 1000", "Paste the text of the pages cited instead")
    assert not list(media.rglob("*.*"))


def test_a_document_within_the_limit_is_taken(client, pledge, later, media, settings):
    settings.CORRECTION_DOCUMENT_MAX_BYTES = 1000
    document = SimpleUploadedFile("short.txt", b"The deadline is 2025. " * 40)
    assert send(client, form_url(pledge), later, typed(document=document)).status_code == 302


# -- the rate limit -----------------------------------------------------------------------------


def test_an_address_over_its_rate_is_told_when_to_try_again(client, pledge, later, settings):
    settings.CORRECTIONS_RATE = "2/hour"
    for _ in range(2):
        assert send(client, form_url(pledge), later).status_code == 302
    response = send(client, form_url(pledge), later)
    body = refusal_of(response)
    assert response.status_code == 429
    assert "This address has sent 2 corrections in the last hour" in body
    assert "Try again after" in body and "what you wrote is kept below" in body
    assert "The due date is 2025" in body
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Correction.objects.count() == 2
    # Once an hour has passed since the first, it may send again.
    later(3600)
    assert send(client, form_url(pledge), later).status_code == 302


def test_another_address_is_not_limited(pledge, later, settings):
    settings.CORRECTIONS_RATE = "1/hour"
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert send(first, form_url(pledge), later).status_code == 302
    assert send(first, form_url(pledge), later).status_code == 429
    assert send(second, form_url(pledge), later).status_code == 302


def test_refused_submissions_do_not_use_the_budget(client, pledge, later, settings):
    settings.CORRECTIONS_RATE = "1/hour"
    for _ in range(3):
        refused = send(client, form_url(pledge), later, {**typed(), "website": "x"})
        assert refused.status_code == 400
    assert send(client, form_url(pledge), later).status_code == 302
    assert send(client, form_url(pledge), later).status_code == 429


def test_behind_a_proxy_the_forwarded_client_counts(pledge, later, settings):
    settings.CORRECTIONS_RATE = "1/hour"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")

    def from_(address, forged=""):
        chain = f"{forged}, {address}" if forged else address
        return {"headers": {"x-forwarded-for": chain}}

    assert send(proxy, form_url(pledge), later, **from_("203.0.113.5")).status_code == 302
    # The same client writing a new address of its own in front gains nothing.
    again = send(proxy, form_url(pledge), later, **from_("203.0.113.5", forged="198.51.100.9"))
    assert again.status_code == 429
    # Another client behind the same proxy has its own budget.
    assert send(proxy, form_url(pledge), later, **from_("203.0.113.6")).status_code == 302


def test_a_rate_the_settings_cannot_read_stops_the_start():
    with (
        mock.patch.dict(os.environ, {"CORRECTIONS_RATE": "lots"}),
        pytest.raises(ImproperlyConfigured, match="CORRECTIONS_RATE must be"),
    ):
        runpy.run_path(str(SETTINGS))


def test_the_settings_defaults():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRECTION")}
    with mock.patch.dict(os.environ, env, clear=True):
        defined = runpy.run_path(str(SETTINGS))
    assert defined["CORRECTIONS_RATE"] == "5/hour"
    assert defined["CORRECTION_DOCUMENT_MAX_BYTES"] == 5 * 1024 * 1024
    assert defined["CORRECTION_MIN_SECONDS"] == 3
    assert defined["CORRECTION_MAX_LINKS"] == 3


# -- "Corrected on" ------------------------------------------------------------------------------


def test_corrected_on_shows_once_the_corrections_edit_is_published_and_not_before(
    client, pledge, today
):
    sent = core.submit(pledge, message="A reader's own words zq-message", email="zq@example.org")
    sent.public_note = "The due date was 2024; the decree says 2025."
    sent.state = Correction.State.ACCEPTED
    sent.save()
    page = f"/commitments/{pledge.slug}/"
    body = client.get(page).content.decode()
    assert "Corrected on" not in body
    assert "The due date was 2024" not in body
    # The lead's workflow sets it on publish, which moves the data version; set directly here,
    # the page is rendered afresh.
    Correction.objects.filter(pk=sent.pk).update(
        published_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    )
    cache.clear()
    body = client.get(page).content.decode()
    assert (
        'Corrected on <time datetime="2026-11-20">20 November 2026</time>: The due date was 2024;'
        in body
    )
    assert "zq-message" not in body and "zq@example.org" not in body


def test_only_published_corrections_show_and_each_on_its_own_line(client, pledge, today):
    for n, published in enumerate([True, False, True]):
        sent = core.submit(pledge, message=f"Message {n}")
        Correction.objects.filter(pk=sent.pk).update(
            public_note=f"Note {n} <b>bold</b>",
            published_at=dt.datetime(2026, 11, 10 + n, tzinfo=dt.UTC) if published else None,
        )
    other = make.published_commitment(policy=pledge.policy)
    elsewhere = core.submit(other, message="About another")
    Correction.objects.filter(pk=elsewhere.pk).update(
        public_note="Another entry's note", published_at=clock.now()
    )
    body = client.get(f"/commitments/{pledge.slug}/").content.decode()
    assert body.count("Corrected on") == 2
    assert "Note 0 &lt;b&gt;bold&lt;/b&gt;" in body and "Note 2" in body
    assert "Note 1" not in body and "Another entry's note" not in body
    assert body.index("Note 0") < body.index("Note 2")


def test_the_corrected_lines_cost_one_query_however_many(
    client, pledge, today, django_assert_num_queries
):
    page = f"/commitments/{pledge.slug}/"
    with CaptureQueriesContext(connection) as none:
        client.get(page)
    assert sum("tracker_correction" in q["sql"] for q in none.captured_queries) == 1
    for n in range(5):
        sent = core.submit(pledge, message=f"Message {n}")
        Correction.objects.filter(pk=sent.pk).update(
            public_note=f"Note {n}", published_at=clock.now()
        )
    cache.clear()
    with django_assert_num_queries(len(none.captured_queries)):
        body = client.get(page).content.decode()
    assert body.count("Corrected on") == 5
