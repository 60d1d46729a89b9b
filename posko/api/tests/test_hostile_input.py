"""Hostile input never becomes a 500 or a stored row that breaks later reads (issue 11)."""

from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.models import Aduan
from posko.api.tests.test_api import Api, _api
from posko.conftest import PASSWORD
from posko.org.models import Officer

pytestmark = pytest.mark.django_db

TEXT = "ada pencurian motor di depan rumah saya di desa Lalang tadi malam"


@pytest.mark.parametrize(
    "coordinates",
    [
        {"latitude": "12345678", "longitude": "107.9"},
        {"latitude": "-2.9", "longitude": "1800"},
        {"latitude": "91", "longitude": "107.9"},
        {"latitude": "NaN", "longitude": "107.9"},
    ],
)
def test_coordinates_out_of_range_are_a_422_and_store_nothing(
    officers: dict[str, Officer], coordinates: dict[str, str]
) -> None:
    api = _api(officers["operator"])
    response = api.post("/aduan", {"text": TEXT, "channel": "telepon", **coordinates})
    assert response.status_code == 422, response.content
    assert "message" in response.json()
    assert not Aduan.objects.exists()
    # Reads keep working for everyone.
    assert api.get("/aduan").status_code == 200


def test_valid_coordinates_are_kept(officers: dict[str, Officer]) -> None:
    api = _api(officers["operator"])
    response = api.post(
        "/aduan", {"text": TEXT, "channel": "telepon", "latitude": "-2.8712", "longitude": "108.1"}
    )
    assert response.status_code == 201
    aduan = Aduan.objects.get()
    assert aduan.latitude is not None and float(aduan.latitude) == pytest.approx(-2.8712)
    assert api.get("/aduan").status_code == 200


@pytest.mark.parametrize("when", ["9999-12-31T23:59:00+07:00", "0001-01-01T00:00:00+00:00"])
def test_received_at_far_from_now_is_a_422(officers: dict[str, Officer], when: str) -> None:
    api = _api(officers["operator"])
    response = api.post("/aduan", {"text": TEXT, "channel": "telepon", "received_at": when})
    assert response.status_code == 422, response.content
    assert not Aduan.objects.exists()


@pytest.mark.parametrize(
    "params",
    [{"offset": str(10**21)}, {"unit": str(10**23)}, {"polsek": str(10**23)}, {"limit": "0"}],
)
def test_huge_list_parameters_are_a_422(
    officers: dict[str, Officer], params: dict[str, str]
) -> None:
    response = _api(officers["operator"]).get("/aduan", **params)
    assert response.status_code == 422, response.content


def test_huge_ids_in_console_urls_are_404(officers: dict[str, Officer]) -> None:
    client = Client()
    assert client.login(username="operator", password=PASSWORD)
    for path in (
        f"/posko/insiden/{10**20}/",
        f"/posko/moderasi/{10**20}/setujui/",
        f"/posko/kanal/akun/{10**22}/",
    ):
        assert client.get(path).status_code == 404, path
    response = client.get("/posko/", {"unit": str(10**23), "polsek": str(10**23)})
    assert response.status_code == 200


def test_a_latin1_form_body_is_not_a_500(officers: dict[str, Officer]) -> None:
    client = Client()
    # The test client encodes the text in the charset the content type names.
    body = "description=pencurian di pasar Manggar caf\xe9 \xbfno?&consent=on"
    response = client.post(
        "/lapor/", body, content_type="application/x-www-form-urlencoded; charset=latin-1"
    )
    assert response.status_code < 500
    raw = "description=pencurian caf\xe9&consent=on".encode("latin-1")
    for path in ("/lapor/", "/lacak/", "/posko/login/"):
        for charset in ("latin-1", "utf-8", "x-unknown-charset"):
            response = client.generic(
                "POST",
                path,
                raw,
                content_type=f"application/x-www-form-urlencoded; charset={charset}",
            )
            assert response.status_code < 500, (path, charset)


def test_api_unknown_fields_types(officers: dict[str, Officer]) -> None:
    api: Api = _api(officers["operator"])
    response = api.post("/aduan", {"text": TEXT, "channel": "telepon", "desa_code": "x" * 5000})
    assert response.status_code == 422


def test_nul_in_query_parameters_is_a_400_not_a_500(officers: dict[str, Officer]) -> None:
    """Found by schemathesis on PostgreSQL: ``desa=%00`` reached the database (500)."""
    api = _api(officers["operator"])
    response = api.client.get("/api/v1/aduan?desa=%08%00x&status=semua", headers=api.headers)
    assert response.status_code == 422 and "NUL" in response.json()["message"]
    client = Client()
    assert client.login(username="operator", password=PASSWORD)
    assert client.get("/posko/?q=maling%00").status_code == 400
    assert client.get("/lacak/?kode=BLT%00").status_code == 400
