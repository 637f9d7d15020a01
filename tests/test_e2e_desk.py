"""The researcher's desk, end to end in a real browser: a contributor uploads a small PDF to a
new source, selects a passage in its reader and starts a commitment citing it (the page filled
in), sees a misquote refused with the closest passage, and submits; an editor reads the
change, dates and citation included, and publishes; the public page links the quote to its
passage on the source's page.

Screenshots of the admin at 1,366 and 1,920 px land in test-artifacts/ (git-ignored).
"""

import re

import pytest
from playwright.sync_api import expect

from policies.models import Commitment
from sources.models import Source
from tests import factories as make
from tests.browser import browser_type_launch_args, pytestmark, shoot  # noqa: F401
from tests.shared_rows import member
from tests.test_source_documents import pdf
from tracker.core.editorial import State

PAGES = (
    "Opening words of the report.",
    "The Government shall ensure the digital transformation of public services by 2024.",
    "Funding of 22 million roubles was set aside.",
)
PASSAGE = "the digital transformation of public services by 2024"
LAPTOP, WIDE = {"width": 1366, "height": 900}, {"width": 1920, "height": 1080}


@pytest.fixture
def desk(roles, tmp_path, settings):
    """A contributor and an editor, and the published policy the pledge belongs to."""
    settings.MEDIA_ROOT = tmp_path / "media"
    russia = make.jurisdiction(code="RU", name="Russia")
    policy = make.published_policy(jurisdiction=russia, title="Digital Economy national project")
    document = tmp_path / "report.pdf"
    document.write_bytes(pdf(*PAGES))
    return {
        "contributor": member("contributor", "Contributor"),
        "editor": member("editor", "Editor"),
        "policy": policy,
        "document": document,
    }


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "x-9-long-pass")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Curation and review")).to_be_visible()


def choose(page, field, typed):
    """Choose an entry in an autocomplete box, as a person does: open it, type, pick."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(typed)
    page.locator(".select2-results__option--highlighted", has_text=typed).click()


def fits(page):
    """Nothing on the page is wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def select_in_text(page, passage):
    """Select `passage` in the reader's text, as a mouse drag would."""
    page.evaluate(
        """(passage) => {
            const walker = document.createTreeWalker(
                document.querySelector(".source-pages"), NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.textContent.indexOf(passage);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + passage.length);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                return;
            }
            throw new Error("not in the text: " + passage);
        }""",
        passage,
    )


def test_a_pledge_goes_from_a_passage_to_the_public_page(browser, live_server, desk):
    contributor = browser.new_context(viewport=LAPTOP)
    page = contributor.new_page()
    log_in(page, live_server, "contributor")

    # A new source, its document uploaded; the slug is suggested from the title.
    page.goto(f"{live_server.url}/admin/sources/source/add/")
    page.locator("#id_title").press_sequentially("Report on the digital economy")
    expect(page.locator("#id_slug")).to_have_value("report-on-the-digital-economy")
    page.select_option("#id_kind", "report")
    page.set_input_files("#id_document", desk["document"])
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get(slug="report-on-the-digital-economy")
    assert source.text.split("\f") == list(PAGES)

    # Its reader: select a passage, start a commitment citing it.
    page.get_by_role("link", name="Read the text and curate from it").click()
    expect(page.locator("#page-2")).to_be_visible()
    select_in_text(page, PASSAGE)
    expect(page.locator("#cite-quote")).to_have_value(PASSAGE)
    assert fits(page)
    shoot(page, "desk-reader-1366")
    page.get_by_role("button", name="New commitment citing this").click()

    # The commitment's form opens with the citation filled in, the page included.
    quote = page.locator('textarea[name$="citation-content_type-object_id-0-quote"]')
    expect(quote).to_have_value(PASSAGE)
    expect(page.locator('input[name$="citation-content_type-object_id-0-page"]')).to_have_value("2")
    expect(
        page.locator('[id$="citation-content_type-object_id-0-source-container"]')
    ).to_contain_text("Report on the digital economy")
    page.locator("#id_title").press_sequentially("Digital transformation of public services")
    choose(page, "policy", "Digital Economy")
    page.fill("#id_pledged", "2019-Q4")
    page.fill("#id_due", "2024")
    expect(page.locator("#id_pledged + .fuzzy-preview")).to_contain_text("Understood as Q4 2019")
    box = quote.bounding_box()
    assert box is not None and box["x"] + box["width"] <= LAPTOP["width"]
    assert fits(page)
    shoot(page, "desk-commitment-1366")
    page.set_viewport_size(WIDE)
    assert fits(page)
    shoot(page, "desk-commitment-1920")
    page.set_viewport_size(LAPTOP)

    # A misquote is refused with the closest passage; nothing is saved.
    quote.fill("the digital transformation of public services by 2025")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errorlist")).to_contain_text("The closest passage (p. 2) reads")
    assert not Commitment.objects.exists()
    shoot(page, "desk-misquote-1366")
    page.locator('textarea[name$="citation-content_type-object_id-0-quote"]').fill(PASSAGE)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    pledge = Commitment.objects.get()
    citation = pledge.citations.get()
    assert (citation.page, citation.verified) == ("2", True)

    # Both go to review.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("ubmitted")
    page.goto(f"{live_server.url}/admin/sources/source/{source.pk}/change/")
    page.get_by_role("button", name="Submit for review").click()
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#review-queues")).to_contain_text("My entries in review")
    shoot(page, "desk-index-contributor-1366")

    # The editor reads what changed, dates and citation included, and publishes.
    editor = browser.new_context(viewport=LAPTOP)
    page = editor.new_page()
    log_in(page, live_server, "editor")
    page.get_by_role("link", name="Waiting for my review").click()
    page.get_by_role("link", name="Digital transformation of public services").click()
    page.get_by_role("link", name="All its fields and citations").click()
    changes = page.locator("#version-diff")
    expect(changes).to_contain_text("Q4 2019")
    expect(changes).to_contain_text(PASSAGE)
    assert fits(page)
    shoot(page, "desk-review-1366")
    page.go_back()
    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history")).to_contain_text("Q4 2019")
    page.goto(f"{live_server.url}/admin/sources/source/{source.pk}/change/")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messagelist")).to_contain_text("ublished")
    page.goto(f"{live_server.url}/admin/policies/commitment/{pledge.pk}/change/")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messagelist")).to_contain_text("ublished")
    pledge.refresh_from_db()
    assert pledge.state == State.PUBLISHED

    # The public page links the quote to its passage, in its sentences, on the source's page.
    reader = browser.new_context(viewport=LAPTOP)
    page = reader.new_page()
    page.goto(f"{live_server.url}/commitments/{pledge.slug}/")
    link = page.locator(f'a[href$="#passage-{citation.pk}"]')
    expect(link).to_have_text("Report on the digital economy")
    link.click()
    expect(page).to_have_url(re.compile(f"/sources/{source.slug}/#passage-{citation.pk}$"))
    passage = page.locator(f"#passage-{citation.pk}")
    expect(passage.locator("mark")).to_have_text(PASSAGE)
    expect(passage).to_contain_text("Digital transformation of public services")
    shoot(page, "desk-public-source-1366")
