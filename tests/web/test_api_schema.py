"""schemathesis against the served OpenAPI schema: no generated request, with a token or without, gets a 5xx.

Bounded: a fixed number of derandomized examples per operation (seconds for the whole schema), over a
world with a case in it. (Driven through Hypothesis directly: schemathesis's lazy pytest fixture does
not work with this pytest.)
"""
from __future__ import annotations

import pytest
import schemathesis
from schemathesis import GenerationMode
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.web.conftest import PASSWORD

EXAMPLES_PER_OPERATION = 30


def _operations(app):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "the API schema lost its operations"
    return operations


def _exercise(operation, headers: dict, examples: int, extra_check=None,
              mode: GenerationMode = GenerationMode.POSITIVE) -> None:
    @given(case=operation.as_strategy(mode))
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])
        if extra_check:
            extra_check(case, response)
    run()


@pytest.mark.slow  # generated requests for every operation
def test_no_generated_request_with_a_token_gets_a_server_error(app, b1_case):
    token = TestClient(app).post("/api/session", json={"login": "officer1", "password": PASSWORD}).json()["token"]
    for operation in _operations(app):
        _exercise(operation, {"Authorization": f"Bearer {token}"}, EXAMPLES_PER_OPERATION)


@pytest.mark.slow  # generated requests for every operation
def test_no_request_that_breaks_the_schema_gets_a_server_error(app, b1_case):
    token = TestClient(app).post("/api/session", json={"login": "officer1", "password": PASSWORD}).json()["token"]
    for operation in _operations(app):
        _exercise(operation, {"Authorization": f"Bearer {token}"}, EXAMPLES_PER_OPERATION // 3,
                  mode=GenerationMode.NEGATIVE)


def test_without_a_token_every_operation_but_login_answers_401_or_422(app, b1_case):
    def unauthenticated(case, response):
        if case.operation.path != "/api/session":
            assert response.status_code in (401, 422), response.text

    for operation in _operations(app):
        _exercise(operation, {}, 5, unauthenticated)
