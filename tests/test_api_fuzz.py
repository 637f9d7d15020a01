"""Schemathesis walks every read endpoint of the OpenAPI schema: no input makes a 500."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests import factories
from tracker.core.editorial import State
from tracker.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(method="GET")


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    # Requests straight to the WSGI app would close the test's database connection at their
    # end; Django's own test client detaches this handler in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def dataset(db):
    policy = factories.published_policy()
    commitment = factories.published_commitment(policy=policy)
    factories.published_assessment(
        commitment=commitment, status="delivered", delivered="2019-10-10"
    )
    event = factories.event(state=State.PUBLISHED)
    event.policies.add(policy)
    factories.cite(commitment)
    factories.commitment(policy=policy, title="A draft")


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_read_endpoint_answers_a_server_error(case, dataset):
    case.call_and_validate(checks=[not_a_server_error])
