"""The API's commitment pages are built from column values (tracker/api/rows.py); a
commitment read as a model instance through the serializer's own `to_representation` is the
same object, field for field, for the public and for editors."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from policies import selectors
from tests.test_commitment_representation import commitments_of_each_shape
from tracker.api.serializers import CommitmentSerializer
from tracker.api.views import CommitmentViewSet

pytestmark = pytest.mark.django_db


def from_instances(user, *, public: bool) -> list[dict]:
    """Each commitment a reader may see, as the serializer represents a model instance."""
    http = RequestFactory().get("/api/v1/commitments/")
    http.user = user
    view = CommitmentViewSet(request=http, format_kwarg=None, kwargs={})
    # As the serializer reads an instance: its optional links through the public door.
    if public:
        entries = list(selectors.with_links(view.get_queryset()))
    else:
        entries = list(view.get_queryset().select_related("policy", "pledged_by", "funding"))
    view.complete(entries)
    context = {
        "request": http,
        "public": public,
        "verdicts": selectors.published_verdicts(entry.pk for entry in entries),
    }
    return [CommitmentSerializer(entry, context=context).data for entry in entries]


@pytest.mark.parametrize(("reader", "user"), [("client", None), ("editor_client", "editor")])
def test_a_page_and_a_detail_read_as_an_instance_reads(reader, user, request):
    client = request.getfixturevalue(reader)
    commitments_of_each_shape()
    reader_user = request.getfixturevalue(user) if user else AnonymousUser()
    expected = [dict(entry) for entry in from_instances(reader_user, public=user is None)]
    listed = client.get(reverse("api:commitment-list"), {"page_size": 1000}).json()["results"]
    assert listed == expected
    assert len(expected) >= 6
    for entry in expected:
        detail = client.get(reverse("api:commitment-detail", args=[entry["id"]])).json()
        assert detail == entry
