"""GeoReport v2 conformance: discovery, services, definitions, requests (GET/POST), tokens,
in XML and JSON, with the spec's content types and error bodies."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from posko.aduan.models import Aduan
from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan
from posko.conftest import PASSWORD
from posko.open311.actions.catalogue import do_create_key
from posko.open311.models import Open311Key, Open311Request, Open311Service, hash_key
from posko.org.models import Officer, Unit

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
DESA_GANTUNG = "19.06.02.2001"


def xml(response: Any) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def js(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_error(response: Any, status: int, fmt: str = "xml") -> list[str]:
    assert response.status_code == status
    if fmt == "json":
        body = js(response)
        assert isinstance(body, list) and body
        assert all(e["code"] == status and isinstance(e["description"], str) for e in body)
        return [e["description"] for e in body]
    root = xml(response)
    assert root.tag == "errors"
    errors = root.findall("error")
    assert errors and all(e.findtext("code") == str(status) for e in errors)
    return [e.findtext("description") or "" for e in errors]


@pytest.fixture
def api_key(polres: Unit) -> str:
    _key, raw = do_create_key("Mitra uji")
    return raw


def post(client: Client, fmt: str = "json", **data: Any) -> Any:
    body = urlencode(data)
    return client.post(
        f"{BASE}requests.{fmt}",
        body,
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )


def test_discovery_lists_production_and_test_endpoints_in_both_formats(
    client: Client, polres: Unit
) -> None:
    root = xml(client.get(BASE + "discovery.xml"))
    endpoints = root.findall("endpoints/endpoint")
    assert [e.findtext("type") for e in endpoints] == ["production", "test"]
    for e in endpoints:
        assert e.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert e.findtext("url") == "http://testserver/open311/v2/"
        assert [f.text for f in e.findall("formats/format")] == ["text/xml", "application/json"]
    body = js(client.get(BASE + "discovery.json"))
    assert [e["type"] for e in body["endpoints"]] == ["production", "test"]
    assert body["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert RFC3339.match(body["changeset"])
    assert client.get(BASE).status_code == 302
    assert_error(client.get(BASE + "discovery.html"), 404)


def test_services_come_from_categories_without_restricted_ones(
    client: Client, polres: Unit
) -> None:
    body = js(client.get(BASE + "services.json"))
    codes = [s["service_code"] for s in body]
    assert "pencurian" in codes and "kecelakaan" in codes
    assert "asusila_kdrt" not in codes and "pelanggaran_anggota" not in codes
    for service in body:
        assert isinstance(service["service_code"], str)
        assert service["metadata"] is True
        assert service["type"] == "realtime"
    root = xml(client.get(BASE + "services.xml", {"jurisdiction_id": "BLT"}))
    assert root.tag == "services"
    first = root.find("service")
    assert first is not None and first.findtext("metadata") == "true"
    assert len(root.findall("service")) == len(codes)
    assert_error(client.get(BASE + "services.xml", {"jurisdiction_id": "XYZ"}), 404)
    assert_error(client.get(BASE + "services.json", {"jurisdiction_id": "XYZ"}), 404, "json")


def test_service_definition_with_attributes(client: Client, polres: Unit) -> None:
    body = js(client.get(BASE + "services/pencurian.json"))
    assert body["service_code"] == "pencurian"
    desa = next(a for a in body["attributes"] if a["code"] == "desa")
    assert desa["datatype"] == "singlevaluelist" and desa["variable"] is True
    assert desa["required"] is False and isinstance(desa["order"], int)
    assert {"key": DESA_GANTUNG, "name": "Gantung"} in desa["values"]
    root = xml(client.get(BASE + "services/pencurian.xml"))
    assert root.tag == "service_definition"
    attr = root.find("attributes/attribute")
    assert attr is not None and attr.findtext("code") == "desa"
    assert attr.find("values/value/key") is not None
    assert_error(client.get(BASE + "services/asusila_kdrt.xml"), 404)
    assert_error(client.get(BASE + "services/tidak_ada.json"), 404, "json")


def test_post_needs_a_valid_api_key(client: Client, api_key: str) -> None:
    data = {"service_code": "pencurian", "address_string": "Pasar Manggar"}
    assert_error(post(client, "xml", **data), 403)
    assert_error(post(client, "json", api_key="o311_salah", **data), 403, "json")
    Open311Key.objects.update(revoked_at=timezone.now())
    assert_error(post(client, "json", api_key=api_key, **data), 403, "json")
    assert not Aduan.objects.exists()


def test_post_validation_errors(client: Client, api_key: str) -> None:
    assert_error(post(client, api_key=api_key, address_string="Manggar"), 400, "json")
    assert_error(
        post(client, api_key=api_key, service_code="tidak_ada", address_string="x"), 404, "json"
    )
    assert_error(
        post(client, api_key=api_key, service_code="pelanggaran_anggota", address_string="x"),
        404,
        "json",
    )
    errors = assert_error(
        post(
            client,
            "xml",
            api_key=api_key,
            service_code="pencurian",
            lat="95",
            long="108",
            **{"attribute[desa]": "99.99", "attribute[waktu_kejadian]": "kemarin"},
        ),
        400,
    )
    assert len(errors) == 3  # lat out of range, desa not in the list, datetime invalid
    assert_error(post(client, api_key=api_key, service_code="pencurian"), 400, "json")
    assert_error(post(client, api_key=api_key, service_code="pencurian", lat="-2.9"), 400, "json")
    assert_error(
        post(
            client,
            api_key=api_key,
            service_code="pencurian",
            address_string="x",
            description="a" * 4001,
        ),
        400,
        "json",
    )
    assert not Aduan.objects.exists()


def test_post_creates_a_triaged_aduan_visible_in_the_console_inbox(
    client: Client, api_key: str, officers: dict[str, Officer]
) -> None:
    response = post(
        client,
        api_key=api_key,
        service_code="pencurian",
        lat="-2.968",
        long="108.156",
        description="Motor Honda saya <b>dicuri</b> di depan pasar tadi pagi",
        first_name="Budi",
        phone="081234567890",
        **{
            "attribute[desa]": DESA_GANTUNG,
            "attribute[waktu_kejadian]": "2026-12-01T08:00:00+07:00",
        },
    )
    assert response.status_code == 200
    body = js(response)
    assert len(body) == 1 and set(body[0]) == {"service_request_id", "service_notice"}
    code = body[0]["service_request_id"]
    aduan = Aduan.objects.get(code=code)
    assert aduan.channel == "open311"
    assert aduan.category == "pencurian" and aduan.handling_unit is not None
    assert aduan.desa is not None and aduan.desa.code == DESA_GANTUNG
    assert aduan.polsek is not None and aduan.first_response_due is not None
    assert "<b>" not in aduan.text and aduan.reporter_name == "Budi"
    assert str(aduan.latitude) == "-2.968000"
    link = Open311Request.objects.get(aduan=aduan)
    assert link.service_code == "pencurian"

    staff = Client()
    assert staff.login(username="operator", password=PASSWORD)
    inbox = staff.get("/posko/").content.decode()
    assert code in inbox

    detail = js(client.get(f"{BASE}requests/{code}.json"))
    assert detail[0]["service_request_id"] == code and detail[0]["status"] == "open"
    text = json.dumps(detail)
    assert "Budi" not in text and "0812" not in text and "Motor" not in text
    assert "lat" not in detail[0]


def test_post_xml_answer(client: Client, api_key: str) -> None:
    root = xml(
        post(client, "xml", api_key=api_key, service_code="ketertiban", address_string="Gantung")
    )
    assert root.tag == "service_requests"
    assert (root.findtext("request/service_request_id") or "").startswith("BLT-")
    assert "kode lacak" in (root.findtext("request/service_notice") or "")


def test_get_requests_filters_and_privacy(client: Client, polres: Unit) -> None:
    now = timezone.now()
    theft = make_aduan(
        polres,
        category="pencurian",
        reporter_name="Rahasia Sekali",
        received_at=now - timedelta(days=2),
    )
    traffic = make_aduan(
        polres, category="lalu_lintas", status=Status.SELESAI, received_at=now - timedelta(days=10)
    )
    old = make_aduan(polres, category="pencurian", received_at=now - timedelta(days=120))
    hidden = make_aduan(polres, category="asusila_kdrt", received_at=now - timedelta(days=1))

    body = js(client.get(BASE + "requests.json"))
    ids = [r["service_request_id"] for r in body]
    assert ids == [theft.code, traffic.code]  # newest first; last 90 days; no restricted
    for item in body:
        assert isinstance(item["service_request_id"], str)
        assert item["status"] in ("open", "closed")
        assert RFC3339.match(item["requested_datetime"])
        assert RFC3339.match(item["updated_datetime"])
    assert "Rahasia" not in json.dumps(body) and "Laporan uji" not in json.dumps(body)
    closed = [r for r in body if r["status"] == "closed"]
    assert [r["service_request_id"] for r in closed] == [traffic.code]
    assert "expected_datetime" not in closed[0]

    def ids_for(**params: str) -> list[str]:
        root = xml(client.get(BASE + "requests.xml", params))
        return [r.findtext("service_request_id") or "" for r in root.findall("request")]

    assert ids_for(status="open") == [theft.code]
    assert ids_for(status="closed") == [traffic.code]
    assert ids_for(status="open,closed") == [theft.code, traffic.code]
    assert ids_for(service_code="lalu_lintas") == [traffic.code]
    assert ids_for(service_code="lalu_lintas,pencurian") == [theft.code, traffic.code]
    start = (now - timedelta(days=130)).isoformat()
    end = (now - timedelta(days=60)).isoformat()
    assert ids_for(start_date=start, end_date=end) == [old.code]
    assert ids_for(service_request_id=f"{old.code},{hidden.code}") == [old.code]
    assert_error(client.get(BASE + "requests.xml", {"status": "pending"}), 400)
    assert_error(client.get(BASE + "requests.json", {"start_date": "kemarin"}), 400, "json")
    too_long = {"start_date": (now - timedelta(days=200)).isoformat(), "end_date": now.isoformat()}
    assert_error(client.get(BASE + "requests.xml", too_long), 400)
    assert_error(client.get(f"{BASE}requests/{hidden.code}.json"), 404, "json")
    assert_error(client.get(f"{BASE}requests/BLT-TIDAK.xml"), 404)


def test_loaded_catalogue_batch_service_and_tokens(
    client: Client, polres: Unit, api_key: str, tmp_path: Path
) -> None:
    catalogue = [
        {
            "service_code": "001",
            "service_name": "Balap liar",
            "description": "Balap motor liar di jalan umum",
            "metadata": True,
            "type": "batch",
            "keywords": "balap, motor",
            "group": "lalu lintas",
            "category": "lalu_lintas",
            "attributes": [
                {
                    "variable": True,
                    "code": "jumlah",
                    "datatype": "number",
                    "required": True,
                    "order": 1,
                    "description": "Perkiraan jumlah motor",
                }
            ],
        },
        {"service_code": "002", "service_name": "Lainnya"},
    ]
    path = tmp_path / "katalog.json"
    path.write_text(json.dumps(catalogue))
    out = StringIO()
    call_command("open311", "services", "load", str(path), "--polres", "BLT", stdout=out)
    assert "2 layanan" in out.getvalue()
    services = js(client.get(BASE + "services.json"))
    assert [s["service_code"] for s in services] == ["001", "002"]
    assert services[0]["type"] == "batch" and services[1]["metadata"] is False

    errors = assert_error(
        post(client, api_key=api_key, service_code="001", address_string="Jalan Manggar"),
        400,
        "json",
    )
    assert errors == ["attribute[jumlah] wajib diisi"]
    body = js(
        post(
            client,
            api_key=api_key,
            service_code="001",
            address_string="Jalan Manggar",
            **{"attribute[jumlah]": "12"},
        )
    )
    assert set(body[0]) == {"token", "service_notice"}
    token = body[0]["token"]
    aduan = Open311Request.objects.get(token=token).aduan
    assert aduan.category == "lalu_lintas"
    found = js(client.get(f"{BASE}tokens/{token}.json"))
    assert found == [{"service_request_id": aduan.code, "token": token}]
    root = xml(client.get(f"{BASE}tokens/{token}.xml"))
    assert root.findtext("request/service_request_id") == aduan.code
    assert_error(client.get(f"{BASE}tokens/tidak-ada.json"), 404, "json")
    listed = js(client.get(BASE + "requests.json", {"service_code": "001"}))
    assert [r["service_code"] for r in listed] == ["001"]

    bad = tmp_path / "terbatas.json"
    bad.write_text(
        json.dumps([{"service_code": "x", "service_name": "x", "category": "asusila_kdrt"}])
    )
    with pytest.raises(CommandError):
        call_command("open311", "services", "load", str(bad))
    assert Open311Service.objects.filter(polres=polres).count() == 2  # unchanged


def test_key_create_prints_a_key_stored_hashed(polres: Unit) -> None:
    out = StringIO()
    call_command("open311", "key", "create", "Aplikasi Kabupaten", stdout=out)
    raw = out.getvalue().strip()
    key = Open311Key.objects.get(name="Aplikasi Kabupaten")
    assert raw.startswith("o311_") and key.key_hash == hash_key(raw) and raw not in key.key_hash
