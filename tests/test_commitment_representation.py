"""A commitment has one representation: its API detail, its place in a list and its line in
the bulk export (built from column values) are the same object, whatever its shape."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PRECISIONS = ["2019-10-10", "2019-10", "2019-Q4", "2019", "2010s", None]


def commitments_of_each_shape():
    policy = factories.published_policy(slug="shapes")
    public_actor = factories.actor(state="published", name="Ministry")
    draft_actor = factories.actor(name="Still a draft")
    public_pledge = factories.funding(state="published", policy=policy)
    draft_pledge = factories.funding(policy=policy, kind="pledged")
    for index, due in enumerate(PRECISIONS):
        pledged = PRECISIONS[-1 - index]
        entry = factories.published_commitment(
            policy=policy,
            due=due,
            pledged=pledged,
            pledged_by=[public_actor, draft_actor, None][index % 3],
            funding=[None, public_pledge, draft_pledge][index % 3],
            baseline_value=Decimal("-0.25") if index % 2 else None,
            target_value=Decimal("1000000.5") if index % 2 else None,
            metric="Researchers trained" if index % 2 else "",
            unit="people" if index % 2 else "",
        )
        if index % 2:
            factories.published_assessment(
                commitment=entry, as_of="2021", status="delivered", delivered="2020-Q3"
            )
        if index % 3 == 1:
            factories.assessment(commitment=entry, as_of="2022", status="missed")
        if index % 3 != 2:
            factories.cite(entry, page=str(index), quote=f"Passage {index}.")
    factories.commitment(policy=policy, title="A draft commitment")


@pytest.mark.parametrize("reader", ["client", "editor_client"])
def test_a_commitment_reads_the_same_in_its_detail_a_list_and_the_export(reader, request):
    client = request.getfixturevalue(reader)
    commitments_of_each_shape()
    listed = client.get(reverse("api:commitment-list"), {"page_size": 1000}).json()["results"]
    response = client.get(reverse("api:commitment-export-jsonl"))
    exported = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert exported == listed
    assert len(listed) >= len(PRECISIONS)
    for entry in listed:
        detail = client.get(reverse("api:commitment-detail", args=[entry["id"]])).json()
        assert detail == entry
    precisions = {entry["due"]["precision"] for entry in listed if entry["due"]}
    assert precisions == {"day", "month", "quarter", "year", "decade"}
