"""Public pages send an ETag and answer a matching conditional request with 304."""

import pytest

from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    return make.published_policy(title="AI Strategy")


@pytest.mark.parametrize(
    "url", ["/", "/policies/", "/jurisdictions/", "/commitments/", "/search/?q=ai", "/feed/"]
)
def test_it_answers_a_conditional_request_with_304(client, strategy, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_it_changes_the_etag_when_an_entry_changes(client, strategy):
    url = f"/policies/{strategy.slug}/"
    etag = client.get(url)["ETag"]
    strategy.title = "AI Strategy, amended"
    strategy.save()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "amended" in response.text


def test_it_changes_the_etag_when_an_entry_is_deleted(client, strategy):
    other = make.published_policy(jurisdiction=strategy.jurisdiction)
    etag = client.get("/policies/")["ETag"]
    other.delete()
    assert client.get("/policies/", headers={"If-None-Match": etag}).status_code == 200


def test_it_never_caches_what_an_editor_sees(editor_client, strategy):
    response = editor_client.get(f"/policies/{strategy.slug}/")
    assert response.status_code == 200
    assert "ETag" not in response
    assert "no-store" in response["Cache-Control"]
