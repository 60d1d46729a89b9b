"""schemathesis against /api/v1/openapi.json: generated requests for every documented
operation, through the Django app over WSGI with a staff bearer token. No answer may be a
500, and every status answered must be documented for its operation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from posko.api.actions import do_create_api_token
from posko.config.wsgi import application
from posko.org.models import Officer


@pytest.fixture(autouse=True)
def keep_test_connection() -> Iterator[None]:
    """Requests go straight to the WSGI app: keep Django from closing the test's database
    connection at the end of each one (as Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(officers: dict[str, Officer]) -> str:
    return do_create_api_token(officers["operator"].user, label="schemathesis")


# Loaded when the module is collected (the document is static: no database needed).
# (``schemathesis.pytest.from_fixture`` does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    # The same examples on every run, so CI is reproducible. To explore new examples
    # locally, set derandomize=False here (and raise max_examples) for a run.
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_only_documented_statuses_and_never_500(case: Any, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, status_code_conformance],
    )
