"""/healthz: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client


@pytest.mark.django_db
def test_healthy_with_a_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_unhealthy_when_the_database_fails() -> None:
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("could not connect to server")
    ) as cursor:
        response = Client().get("/healthz")
    assert cursor.called
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert "could not connect" not in response.content.decode()  # no internals leaked


@pytest.mark.django_db
def test_unhealthy_when_the_query_fails() -> None:
    failing = mock.MagicMock()
    failing.__enter__.return_value.execute.side_effect = OperationalError("disk I/O error")
    with mock.patch.object(connection, "cursor", return_value=failing):
        response = Client().get("/healthz")
    assert response.status_code == 503


def test_healthz_needs_no_login_or_session() -> None:
    """A load balancer calls it without cookies; it must not touch sessions or auth."""
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert "Set-Cookie" not in response.headers
