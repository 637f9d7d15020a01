"""The API's JSON renderer writes exactly the bytes DRF's JSONRenderer writes."""

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from tests import factories
from tests.test_commitment_representation import commitments_of_each_shape
from tracker.api.renderers import FastJSONRenderer

VALUES = {
    "decimals": [Decimal("-12.50"), Decimal("1000000.5"), Decimal("0.1"), Decimal("3")],
    "dates": [dt.date(2019, 10, 10), dt.date(1, 1, 1)],
    "datetimes": [
        dt.datetime(2024, 1, 31, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 31, 12, 0, 0, 123456, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 31, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")),
        dt.datetime(2024, 1, 31, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))),
        dt.datetime(2024, 1, 31, 12, 0, 5),
    ],
    "times": [dt.time(9, 30), dt.time(9, 30, 0, 5)],
    "timedelta": dt.timedelta(days=3, seconds=1),
    "lazy": gettext_lazy("Delivered late"),
    "lazy in a list": [gettext_lazy("Overdue"), "plain"],
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "text": ["é ü 中文 🙂", 'quote " and \\ backslash', "\x00\x1f\x7f\b\f\n\r\t", "</script>"],
    "separators": "a\u2028b\u2029c",
    "numbers": [0, -1, 2**63 - 1, -(2**63), True, False, None, 1.5, 0.1, 1e16, 1e300, 2.0],
    "nested": {"tuple": (1, (2, 3)), "set": {4}, "empty": {}, "list": []},
    "bytes": b"bytes",
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_each_kind_of_value_renders_as_drf_renders_it(name):
    data = {"value": VALUES[name]}
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


@pytest.mark.parametrize(
    "data",
    [
        {1: "an integer key", None: "a null key"},
        {"big": 2**70},
        {"exponent": [1e-7, 1e-5, 2.5e-9]},
        {"text like an exponent": "1e-7"},
    ],
    ids=["keys", "big integer", "short exponent", "exponent-like text"],
)
def test_what_orjson_would_write_otherwise_goes_through_drf(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_an_indent_asked_for_is_drf_s_indent():
    media_type = "application/json; indent=4"
    data = {"a": [1, {"b": "c"}]}
    rendered = FastJSONRenderer().render(data, media_type)
    assert rendered == JSONRenderer().render(data, media_type)
    assert b"\n    " in rendered


def test_nothing_renders_as_nothing():
    assert FastJSONRenderer().render(None) == b""


def test_what_drf_refuses_is_refused():
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"value": object()})
    with pytest.raises(ValueError, match="timezone-aware"):
        FastJSONRenderer().render({"value": dt.time(9, 30, tzinfo=dt.UTC)})


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["client", "editor_client"])
def test_real_responses_are_the_bytes_drf_would_write(reader, request):
    client = request.getfixturevalue(reader)
    commitments_of_each_shape()
    event = factories.event(state="published", title="A «quoted» event\u2028")
    factories.cite(event, quote="Ünïcode passage, «quoted».")
    factories.funding(state="published", amount=Decimal("23000000000.0000"))
    since = {"since": "2000-01-01"}
    addresses = [
        (reverse(f"api:{kind}-list"), {"page_size": 1000})
        for kind in ("commitment", "policy", "event", "funding", "citation", "source", "actor")
    ] + [(reverse("api:change-list"), since), (reverse("api:commitment-list"), {"due_year": "x"})]
    first = client.get(reverse("api:commitment-list")).json()["results"][0]
    addresses.append((reverse("api:commitment-detail", args=[first["id"]]), {}))
    addresses.append((reverse("api:commitment-detail", args=[10**9]), {}))
    for address, params in addresses:
        response = client.get(address, params)
        assert response["Content-Type"] == "application/json"
        assert response.content == JSONRenderer().render(response.data), address


def test_an_indent_in_the_context_is_drf_s_indent():
    data = {"a": [1, 2]}
    rendered = FastJSONRenderer().render(data, None, {"indent": 2})
    assert rendered == JSONRenderer().render(data, None, {"indent": 2})
    assert b"\n  " in rendered
