"""Property-based tests of the API: whatever a client sends, the server answers without a 500.

Two angles: schemathesis generates requests from the server's own OpenAPI description
(so every documented endpoint and parameter is covered as the API grows, and responses
are checked against the documented schemas); Hypothesis throws arbitrary strings at every
query parameter, including the ones the description rejects, to reach the validation paths.
"""

from __future__ import annotations

import string
import urllib.parse

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from telex.serving.app import create_app

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(scope="module")
def app(demo_db):
    return create_app(demo_db)


@pytest.fixture(scope="module")
def schema(app):
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_the_description_lists_the_main_endpoints(schema):
    paths = {op.path for op in operations(schema)}
    assert {"/api/events", "/api/events/{event_id}", "/api/timeline", "/api/pairs", "/api/network",
            "/api/documents/{doc_id}", "/api/actors", "/api/stories"} <= paths


def test_schemathesis_every_operation(schema):
    """Generated requests, valid and invalid, for every operation: no 5xx, documented status codes and shapes,
    and requests the description forbids are rejected."""
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance, negative_data_rejection]
    seen = 0
    for operation in operations(schema):
        @FUZZ
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call()
            case.validate_response(response, checks=checks)

        call()
        seen += 1
    assert seen >= 15


PARAMETERS = ["actor", "country", "side", "source", "target", "cameo", "root", "quad", "modality", "date_from",
              "date_to", "place", "doc", "q", "limit", "offset", "sort", "order", "interval", "by", "max_rows"]
ENDPOINTS = ["/api/events", "/api/summary", "/api/timeline", "/api/counts", "/api/pairs", "/api/network",
             "/api/places", "/api/actors", "/api/documents", "/api/stories", "/api/events.csv"]
hostile = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["'; DROP TABLE events; --", "%", "_", "\\", "../../etc/passwd", "TUR' OR '1'='1", "-1",
                     "99999999999999999999", "1e309", "NaN", "2020-13-45", "\x00", "🙂", "0x10", " ", ""]),
    st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=20),
)


@FUZZ
@given(endpoint=st.sampled_from(ENDPOINTS),
       params=st.dictionaries(st.sampled_from(PARAMETERS), hostile, max_size=4))
def test_arbitrary_parameters_never_give_a_server_error(app, endpoint, params):
    client = TestClient(app)
    response = client.get(endpoint, params=params)
    assert response.status_code in (200, 400, 404, 414, 422), (endpoint, params, response.text[:300])
    if response.status_code != 200:
        assert "error" in response.json()


@FUZZ
@given(ident=st.text(max_size=80))
def test_arbitrary_ids_are_found_or_not_found(app, ident):
    client = TestClient(app)
    for base in ("/api/events/", "/api/documents/", "/api/stories/"):
        response = client.get(base + urllib.parse.quote(ident, safe=""))
        assert response.status_code in (200, 404, 400, 414, 422), (base, ident, response.text[:300])
