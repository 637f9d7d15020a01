"""A reader sends a correction from a browser with JavaScript off: the form is plain HTML, so it
works as it is served. Its refusals come back as pages a person can read and the checkers pass."""

import pytest
from playwright.sync_api import expect

from tests.browser import browser_type_launch_args, pytestmark, shoot  # noqa: F401
from tests.checkers import require_vnu
from tests.test_html_validity import described, errors_in
from tracker.core.models import Correction


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


@pytest.fixture
def quick(settings, tmp_path):
    # A browser test cannot wait out the form's minimum time without a timed test: none here
    # (tests/test_corrections_public.py covers it with the site's clock).
    settings.CORRECTION_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("width", (390, 1280))
def test_a_reader_without_javascript_sends_a_correction_from_the_entrys_page(
    page, live_server, atlas, quick, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + atlas["commitment"])
    page.get_by_role("link", name="Suggest a correction or new evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Suggest a correction or new evidence"
    )
    page.get_by_label("What is wrong or new").fill("It was presented on 10 October 2019.")
    page.get_by_label("Source address (optional)").fill("http://publication.pravo.gov.ru/")
    page.get_by_label("Your email (optional)").fill(f"reader-{width}@example.org")
    shoot(page, f"correction-form-{width}")
    page.get_by_role("button", name="Send to the editors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: the editors have it")
    shoot(page, f"correction-sent-{width}")
    sent = Correction.objects.get(email=f"reader-{width}@example.org")
    assert sent.message == "It was presented on 10 October 2019."
    page.get_by_role("link", name="Back to the commitment").click()
    assert page.url == live_server.url + atlas["commitment"]


def test_the_trap_field_is_off_the_screen_and_out_of_the_tab_order(page, live_server, atlas):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + atlas["correct"])
    trap = page.get_by_label("Leave this empty")
    box = trap.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0
    assert trap.get_attribute("tabindex") == "-1"


def test_a_refused_correction_comes_back_with_the_reason_and_the_text(
    page, live_server, atlas, quick
):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + atlas["correct"])
    links = " ".join(f"https://example.org/{n}" for n in range(5))
    page.get_by_label("What is wrong or new").fill(f"See {links}")
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="Send to the editors").click()
    assert sent.value is not None and sent.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("hold 5 links; at most 3 are taken")
    expect(page.get_by_label("What is wrong or new")).to_have_value(f"See {links}")
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    shoot(page, "correction-refused-390")
    assert not Correction.objects.filter(message__startswith="See").exists()


def test_a_refused_form_is_valid_html(client, atlas, tmp_path):
    java, jar = require_vnu()
    response = client.post(atlas["correct"], {"message": "Too soon", "served": ""})
    assert response.status_code == 400
    refused = tmp_path / "refused.html"
    refused.write_bytes(response.content)
    messages = errors_in(java, jar, [refused])
    assert messages == [], described(messages)
