"""/lapor/: map pin coordinates, confidential mode; the reporter's secret link."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from posko.aduan.events import EventKind, subscribe
from posko.aduan.events import _subscribers as event_subscribers
from posko.aduan.models import Aduan, AduanMessage, AduanPhoto, AuditEvent, MessageKind
from posko.aduan.reporter_key import hash_reporter_key
from posko.org.models import Unit
from posko.portal.tests.test_portal import _form, _image, _upload

LINK = re.compile(r"/lapor/(?P<code>[A-Z]+-[A-Z0-9]+)/tambah/(?P<key>[A-Za-z0-9_\-]+)/")


def _submit(client: Client, **overrides: Any) -> tuple[Aduan, str]:
    response = client.post(reverse("portal:lapor"), _form(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    match = LINK.search(page)
    assert match, "the sent page shows the secret link"
    aduan = Aduan.objects.get(code=match["code"])
    return aduan, match["key"]


def test_pin_coordinates_are_stored(polres: Unit) -> None:
    aduan, _key = _submit(Client(), latitude="-2.876543", longitude="108.281234")
    assert (aduan.latitude, aduan.longitude) == (Decimal("-2.876543"), Decimal("108.281234"))


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("-95", "108", "lintang (latitude) harus di antara -90 dan 90"),
        ("-2.8", "", "lintang dan bujur harus diisi berdua"),
        ("abc", "108", "lintang (latitude) bukan angka"),
    ],
)
def test_bad_pin_is_refused_in_indonesian(polres: Unit, lat: str, lon: str, message: str) -> None:
    response = Client().post(reverse("portal:lapor"), _form(latitude=lat, longitude=lon))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Aduan.objects.exists()


def test_lapor_page_has_the_map_and_keeps_the_desa_picker(polres: Unit, settings: Any) -> None:
    settings.POSKO_MAP_TILE_URL = "https://tiles.example.id/{z}/{x}/{y}.png"
    html = Client().get(reverse("portal:lapor")).content.decode()
    assert 'data-tile-url="https://tiles.example.id/{z}/{x}/{y}.png"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert 'name="desa"' in html and 'name="latitude"' in html
    settings.POSKO_MAP_TILE_URL = ""
    html = Client().get(reverse("portal:lapor")).content.decode()
    assert "vendor/leaflet/leaflet.js" not in html
    assert 'name="desa"' in html


def test_confidential_report_keeps_identity_marked(polres: Unit) -> None:
    aduan, _key = _submit(Client(), confidential="on")
    assert aduan.confidential and not aduan.anonymous
    assert aduan.reporter_name == "Siti Rahmawati"
    # Anonymous wins: there is no identity left to protect.
    both, _key = _submit(Client(), confidential="on", anonymous="on")
    assert both.anonymous and not both.confidential and both.reporter_name == ""


def test_secret_link_is_shown_once_and_stored_hashed(polres: Unit) -> None:
    client = Client()
    aduan, key = _submit(client)
    assert len(key) >= 20
    assert aduan.reporter_key_hash == hash_reporter_key(key)
    assert key not in aduan.reporter_key_hash
    again = client.get(reverse("portal:lapor_terkirim")).content.decode()
    assert aduan.code in again and key not in again  # shown once


def test_reporter_adds_information_and_photo(polres: Unit) -> None:
    seen: list[str] = []

    def listener(event: Any) -> None:
        seen.append(event.data.get("via", ""))

    subscribe(EventKind.INCOMING_MESSAGE, listener)
    try:
        client = Client()
        aduan, key = _submit(client)
        url = reverse("portal:tambah_informasi", args=[aduan.code, key])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "text": "Pelaku memakai jaket hitam, lari ke arah pelabuhan.",
                "photos": [_upload("a.jpg", _image())],
            },
        )
        assert response.status_code == 302
        assert "sudah kami terima" in client.get(url).content.decode()
    finally:
        event_subscribers[EventKind.INCOMING_MESSAGE].remove(listener)
    added = AduanMessage.objects.filter(aduan=aduan, kind=MessageKind.INCOMING).last()
    assert added is not None and "jaket hitam" in added.text
    assert AduanPhoto.objects.filter(aduan=aduan).count() == 1
    assert AuditEvent.objects.filter(aduan=aduan, action="reporter_information_added").count() == 1
    assert seen == ["reporter_link"]


def test_nobody_else_can_add(polres: Unit) -> None:
    first, key = _submit(Client())
    _second, other_key = _submit(Client(REMOTE_ADDR="10.9.9.9"))
    before = AduanMessage.objects.count()
    for code, k in [
        (first.code, other_key),  # another report's key
        (first.code, key[:-1] + ("A" if key[-1] != "A" else "B")),
        ("BLT-ZZZZZZ", key),
        (first.code, ""),
    ]:
        if not k:
            continue
        url = reverse("portal:tambah_informasi", args=[code, k])
        response = Client(REMOTE_ADDR="10.7.7.7").post(
            url, {"text": "informasi palsu dari orang lain"}
        )
        assert response.status_code == 404
        assert "Tautan ini tidak berlaku" in response.content.decode()
    assert AduanMessage.objects.count() == before
    assert not AuditEvent.objects.filter(action="reporter_information_added").exists()


def test_secret_link_is_rate_limited(polres: Unit, settings: Any) -> None:
    settings.POSKO_RATE_REPORTER_LINK = "3/m"
    aduan, key = _submit(Client())
    guesser = Client(REMOTE_ADDR="10.5.5.5")
    for _ in range(3):
        guesser.get(reverse("portal:tambah_informasi", args=[aduan.code, "salah" * 5]))
    # Even the right key is refused from a client over the limit.
    blocked = guesser.get(reverse("portal:tambah_informasi", args=[aduan.code, key]))
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.content.decode()


def test_closed_report_takes_no_more_information(polres: Unit) -> None:
    client = Client()
    aduan, key = _submit(client)
    Aduan.objects.filter(pk=aduan.pk).update(status="selesai")
    url = reverse("portal:tambah_informasi", args=[aduan.code, key])
    response = client.post(url, {"text": "Masih ada yang ingin saya tambahkan."})
    assert response.status_code == 400
    assert "sudah ditutup" in response.content.decode()


def test_empty_addition_is_refused(polres: Unit) -> None:
    client = Client()
    aduan, key = _submit(client)
    url = reverse("portal:tambah_informasi", args=[aduan.code, key])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    assert "Tulis informasi tambahan atau pilih foto" in response.content.decode()
