"""/api/v1/metrics/…: in the OpenAPI document, scoped like the command view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan
from posko.api.actions import do_create_api_token
from posko.conftest import make_officer
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.org.models import Officer, Role, Unit

pytestmark = pytest.mark.django_db


def get(officer: Officer, path: str) -> tuple[int, object]:
    token = do_create_api_token(officer.user)
    response = Client().get(f"/api/v1/metrics{path}", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json()


def test_metrics_endpoints(polres: Unit, other_polres: Unit, officers: dict[str, Officer]) -> None:
    received = timezone.now() - timedelta(hours=5)
    make_aduan(
        polres,
        category="pencurian",
        received_at=received,
        first_responded_at=received + timedelta(minutes=10),
        status=Status.DITANGANI,
    )
    make_aduan(polres, category="asusila_kdrt", received_at=received)
    make_aduan(other_polres, category="narkoba", received_at=received)
    do_rebuild_metrics()
    kapolres = officers["kapolres"]

    status, body = get(kapolres, "/summary")
    assert status == 200
    assert body["polres"] == ["BLT"]  # type: ignore[index]
    total = body["total"]  # type: ignore[index]
    assert (total["received"], total["responded"], total["open"]) == (2, 1, 2)
    assert 8 < total["first_median_minutes"] < 12

    status, body = get(kapolres, "/by/category")
    assert status == 200
    labels = {i["value"]: i["label"] for i in body["items"]}  # type: ignore[index]
    assert labels == {"pencurian": "Pencurian", "asusila_kdrt": "KDRT, asusila & perlindungan anak"}
    assert get(kapolres, "/by/tidak_ada")[0] == 404
    assert get(kapolres, "/monthly")[0] == 200
    assert get(officers["operator"], "/summary")[0] == 403

    kapolda = make_officer("kapolda", Role.PIMPINAN, polres.parent)  # type: ignore[arg-type]
    status, body = get(kapolda, "/polres")
    assert status == 200
    assert sorted(i["value"] for i in body["items"]) == ["BLG", "BLT"]  # type: ignore[index]


def test_metrics_paths_in_the_openapi_document(officers: dict[str, Officer]) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("summary", "monthly", "polres", "by/{dimension}"):
        assert "get" in paths[f"/api/v1/metrics/{path}"]
