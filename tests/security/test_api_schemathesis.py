"""schemathesis against /api/v1/openapi.json, in-process on the WSGI app with the demo data: no 500, every
response (the 400 errors too) conforms to the schema, data the document rejects is rejected with a 4xx and
data it describes as valid is accepted.

The document is loaded inside the test database (it lists the sources that exist), hence one test per
operation and generation mode rather than schemathesis' module-level parametrisation."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from schemathesis import checks as sc
from schemathesis.specs.openapi import checks as oc

from exportregion.wsgi import application

EXAMPLES = 100  # per operation and mode: bounded so that the whole file runs well under 2 minutes
OPERATIONS = ["/api/v1/growth", "/api/v1/indicators", "/api/v1/regions", "/api/v1/series"]
WITH_PARAMETERS = ["/api/v1/growth", "/api/v1/series"]
CHECKS = [
    sc.not_a_server_error,
    oc.status_code_conformance,
    oc.content_type_conformance,
    oc.response_schema_conformance,
    oc.response_headers_conformance,
    oc.negative_data_rejection,
    oc.positive_data_acceptance,
]


@pytest.fixture
def api_schema(demo):
    """The WSGI app closes the database connection around each request; in a test that would close the
    test's transaction: keep it open, as Django's own test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def years_reversed(query: dict | None) -> bool:
    """`from` after `to`: the one rule between two parameters, which OpenAPI cannot state (the parameters'
    descriptions do); such a request is a documented 400, so it is no valid data to expect a 200 for."""
    first, last = (query or {}).get("from"), (query or {}).get("to")
    return bool(first and last and int(first) > int(last))


def run_operation(api_schema, path: str, mode: GenerationMode) -> None:
    @given(case=api_schema[path]["GET"].as_strategy(mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.filter_too_much])
    def check(case):
        if mode == GenerationMode.POSITIVE:
            assume(not years_reversed(case.query))
        case.call_and_validate(checks=CHECKS)

    check()


def test_the_document_lists_every_operation(api_schema):
    assert sorted(api_schema.raw_schema["paths"]) == OPERATIONS


@pytest.mark.parametrize("path", OPERATIONS)
def test_valid_requests_are_answered_as_documented(api_schema, path):
    run_operation(api_schema, path, GenerationMode.POSITIVE)


@pytest.mark.parametrize("path", WITH_PARAMETERS)
def test_invalid_requests_are_refused_as_documented(api_schema, path):
    run_operation(api_schema, path, GenerationMode.NEGATIVE)
