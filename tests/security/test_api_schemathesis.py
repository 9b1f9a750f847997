"""schemathesis against /api/v1/openapi.json, in-process on the WSGI app with the demo data: no 500, every
response (the 400 errors too) conforms to the schema, invalid input is rejected with a 4xx."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks as sc
from schemathesis.specs.openapi import checks as oc

from exportregion.wsgi import application

EXAMPLES = 150  # per operation: bounded so that the whole test runs well under 2 minutes

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def in_test_transaction():
    """The WSGI app closes the database connection around each request; in a test that would close the
    test's transaction: keep it open, as Django's own test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_never_fails_and_matches_its_schema(case, demo, in_test_transaction):
    case.call_and_validate(checks=[
        sc.not_a_server_error,
        oc.status_code_conformance,
        oc.content_type_conformance,
        oc.response_schema_conformance,
        oc.response_headers_conformance,
        oc.negative_data_rejection,
    ])
