"""Live inbox change stamp, role-scoped filters, photo marker, installable console."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from posko.aduan.actions import do_change_status
from posko.aduan.models import AduanPhoto
from posko.aduan.tests.factories import make_aduan
from posko.org.models import Officer, Unit

STAMP = "/posko/perubahan/"


def _client(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def test_stamp_answers_304_until_something_changes(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    client = _client(officers["operator"])
    first = client.get(STAMP)
    assert first.status_code == 200 and first.json()["unread"] == 0
    etag = first["ETag"]
    same = client.get(STAMP, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""

    aduan = make_aduan(polres)  # a new aduan
    moved = client.get(STAMP, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved["ETag"] != etag
    etag = moved["ETag"]
    do_change_status(aduan, "diverifikasi", acting_user=officers["operator"].user)
    assert client.get(STAMP, headers={"If-None-Match": etag}).status_code == 200


def test_stamp_ignores_other_polres_and_needs_login(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    client = _client(officers["operator"])
    etag = client.get(STAMP)["ETag"]
    make_aduan(other_polres)
    assert client.get(STAMP, headers={"If-None-Match": etag}).status_code == 304
    assert Client().get(STAMP).status_code == 302


def test_field_officers_get_their_own_filters_only(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    operator = _client(officers["operator"]).get(reverse("console:inbox"))
    assert {"unit", "polsek", "channel", "desa"} <= set(operator.context["form"].fields)
    bhabin = _client(officers["bhabin_gantung"]).get(reverse("console:inbox"))
    fields = set(bhabin.context["form"].fields)
    assert not fields & {"unit", "polsek", "channel", "desa"}  # one desa: no picker
    polsek = _client(officers["polsek_gantung"]).get(reverse("console:inbox"))
    form = polsek.context["form"]
    assert "unit" not in form.fields and "desa" in form.fields
    desa_codes = [code for code, _ in form.fields["desa"].choices if code]
    assert desa_codes and all(code.startswith("19.06.02.") for code in desa_codes)


def test_rows_mark_aduan_with_photos(polres: Unit, officers: dict[str, Officer]) -> None:
    with_photo = make_aduan(polres)
    make_aduan(polres)
    AduanPhoto.objects.create(
        aduan=with_photo,
        image=ContentFile(b"x", name="a.jpg"),
        content_type="image/jpeg",
        size=1,
        width=1,
        height=1,
    )
    html = _client(officers["operator"]).get(reverse("console:inbox")).content.decode()
    assert html.count('data-testid="photo-marker"') == 1


def test_manifest_and_service_worker(officers: dict[str, Officer]) -> None:
    client = Client()
    manifest = client.get(reverse("console:manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["scope"] == "/posko/"
    worker = client.get(reverse("console:service_worker"))
    assert worker["Content-Type"] == "application/javascript"
    assert worker["Service-Worker-Allowed"] == "/posko/"
    body = worker.content.decode()
    assert "posko/posko.css" in body and "caches.open" in body
    assert "/posko/aduan/" not in body  # pages with personal data are never cached
