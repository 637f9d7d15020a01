"""A data user's generated client works: openapi-python-client writes a Python client from the
schema, every module of it imports, and it reads the API as a data user would (lists with
filters, page after page by cursor, an export with a filter) and runs a transition with a token,
against a live server."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from policies.models import Commitment
from tests import factories as make
from tracker.core.editorial import State

PACKAGE = "policy_tracker_api_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package, generated from the schema the site serves, on sys.path."""
    where = tmp_path_factory.mktemp("client")
    schema = where / "schema.yaml"
    call_command("spectacular", "--file", str(schema))
    generator = Path(sys.executable).parent / "openapi-python-client"
    done = subprocess.run(
        [
            generator,
            "generate",
            "--path",
            schema,
            "--meta",
            "none",
            "--output-path",
            where / PACKAGE,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(where))
    yield importlib.import_module(PACKAGE)
    sys.path.remove(str(where))
    for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[name]


def operation(name):
    return importlib.import_module(f"{PACKAGE}.api.v1.{name}")


def test_every_module_of_the_generated_client_imports(generated):
    names = [m.name for m in pkgutil.walk_packages(generated.__path__, f"{PACKAGE}.")]
    for name in names:
        importlib.import_module(name)
    # A list, an entry, two exports and a transition for each of nine kinds, at least.
    assert len([n for n in names if ".api.v1." in n]) >= 9 * 5


@pytest.fixture
def russia(transactional_db):
    russia = make.jurisdiction(code="RU", name="Russia")
    strategy = make.published_policy(jurisdiction=russia, title="AI Strategy")
    for n in range(3):
        make.cite(make.published_commitment(policy=strategy, title=f"Russian pledge {n}"))
    plan = make.published_policy(jurisdiction=make.jurisdiction(code="CN", name="China"))
    make.cite(make.published_commitment(policy=plan, title="Chinese pledge"))
    return strategy


def test_it_lists_with_filters_and_follows_the_cursor_page_by_page(generated, live_server, russia):
    client = generated.Client(base_url=live_server.url)
    listing = operation("v1_commitments_list")
    titles, cursor = [], generated.types.UNSET
    while True:
        page = listing.sync(client=client, jurisdiction="RU", page_size=1, cursor=cursor)
        titles += [c.title for c in page.results]
        if not page.next_:
            break
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    assert sorted(titles) == [f"Russian pledge {n}" for n in range(3)]
    one = operation("v1_commitments_retrieve").sync(id=page.results[0].id, client=client)
    assert one.title == titles[-1] and one.jurisdiction == "RU"


def test_it_exports_with_a_filter(generated, live_server, russia):
    client = generated.Client(base_url=live_server.url)
    answer = operation("v1_commitments_csv_retrieve").sync_detailed(
        client=client, jurisdiction="CN"
    )
    assert answer.status_code == 200
    lines = answer.content.decode().splitlines()
    assert len(lines) == 2 and "Chinese pledge" in lines[1]


def test_a_refused_filter_value_comes_back_as_the_documented_error(generated, live_server, russia):
    client = generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    refused = operation("v1_commitments_list").sync(client=client, jurisdiction="R U")
    assert refused is not None and "jurisdiction" in refused.additional_properties


def test_it_runs_a_transition_with_a_token(generated, live_server, roles, contributor):
    draft = make.commitment(created_by=contributor)
    make.cite(draft)
    token = Token.objects.create(user=contributor).key
    client = generated.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")
    models = importlib.import_module(f"{PACKAGE}.models")
    body = models.TransitionRequest(action=models.ActionEnum.SUBMIT, comment="Ready")
    done = operation("v1_commitments_transition_create").sync(id=draft.pk, client=client, body=body)
    assert (done.id, done.state) == (draft.pk, State.IN_REVIEW)
    assert Commitment.objects.get(pk=draft.pk).state == State.IN_REVIEW
