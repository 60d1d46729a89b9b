"""Public portal: /lapor/, /lacak/, /kontak/ — Bahasa Indonesia, no personal data out."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from posko.aduan.actions import do_add_message, do_change_status
from posko.aduan.models import Aduan, AduanPhoto
from posko.org.models import Officer, Unit

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TEXT = "Motor saya hilang dicuri di parkiran pasar Manggar tadi malam, plat BN 1234 XY"
GPS_IFD = 0x8825


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": TEXT,
        "category": "",
        "desa": "",
        "name": "Siti Rahmawati",
        "phone": "0812 3456 7890",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def _image(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), **save: Any) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format=fmt, **save)
    return buf.getvalue()


def _upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def client() -> Client:
    return Client()


def test_home_and_report_form_render(polres: Unit, client: Client) -> None:
    assert client.get("/").status_code == 200
    page = client.get(reverse("portal:lapor"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Buat laporan" in html
    assert 'name="website"' in html  # the honeypot is in the form
    assert "Gantung" in html  # desa picker of the Polres


def test_public_pages_carry_security_headers(polres: Unit, client: Client) -> None:
    for url in ("/", reverse("portal:lapor"), reverse("portal:lacak"), reverse("portal:kontak")):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
        assert response["X-Frame-Options"] == "DENY", url


def test_report_happy_path_shows_tracking_code(polres: Unit, client: Client) -> None:
    response = client.post(
        reverse("portal:lapor"), _form(desa="19.06.01.2003", category="pencurian")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:lapor_terkirim")

    aduan = Aduan.objects.get()
    assert aduan.channel == "web"
    assert aduan.code.startswith("BLT-")
    assert (aduan.reporter_name, aduan.reporter_phone) == ("Siti Rahmawati", "+6281234567890")
    assert aduan.desa_id == "19.06.01.2003" and aduan.category == "pencurian"
    assert aduan.created_by is None

    done = client.get(response["Location"])
    assert done.status_code == 200
    assert aduan.code in done.content.decode()
    assert "kode lacak" in done.content.decode().lower()


def test_sent_page_without_a_report_goes_back_to_the_form(polres: Unit, client: Client) -> None:
    response = client.get(reverse("portal:lapor_terkirim"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:lapor")


def test_anonymous_report_keeps_no_identity(polres: Unit, client: Client) -> None:
    response = client.post(reverse("portal:lapor"), _form(anonymous="on"))
    assert response.status_code == 302
    aduan = Aduan.objects.get()
    assert aduan.anonymous and aduan.reporter_name == aduan.reporter_phone == ""


def test_honeypot_is_rejected_and_nothing_saved(polres: Unit, client: Client) -> None:
    response = client.post(reverse("portal:lapor"), _form(website="http://promo.example"))
    assert response.status_code == 400
    assert "Laporan tidak dapat diproses." in response.content.decode()
    assert not Aduan.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "12345"}, "Nomor telepon tidak valid"),
        ({"phone": "nomor saya"}, "Nomor telepon tidak valid"),
        ({"text": "tolong"}, "Isi laporan terlalu pendek"),
        ({"text": ""}, "Isi laporan wajib diisi."),
        ({"consent": ""}, "Centang persetujuan untuk mengirim laporan."),
        (
            {"desa": "19.02.01.1001"},
            "Masukkan pilihan yang valid",
        ),  # a desa of another Polres: not a choice
    ],
    ids=["phone-digits", "phone-words", "text-short", "text-empty", "no-consent", "desa"],
)
def test_invalid_input_gives_an_indonesian_error(
    polres: Unit, client: Client, overrides: dict[str, str], message: str
) -> None:
    response = client.post(reverse("portal:lapor"), _form(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Laporan belum terkirim" in html
    assert not Aduan.objects.exists()


def test_rate_limit_answers_429_in_indonesian(polres: Unit, client: Client, settings: Any) -> None:
    settings.POSKO_RATE_REPORT = "2/m"
    with time_machine.travel(START, tick=False):
        assert client.post(reverse("portal:lapor"), _form()).status_code == 302
        assert client.post(reverse("portal:lapor"), _form()).status_code == 302
        blocked = client.post(reverse("portal:lapor"), _form())
    assert blocked.status_code == 429
    assert "Terlalu banyak laporan dari perangkat ini" in blocked.content.decode()
    assert Aduan.objects.count() == 2
    # Another device is not affected; the same one may report again in the next window.
    with time_machine.travel(START, tick=False):
        other = Client(REMOTE_ADDR="10.1.2.3").post(reverse("portal:lapor"), _form())
    assert other.status_code == 302
    with time_machine.travel(START.replace(minute=2), tick=False):
        assert client.post(reverse("portal:lapor"), _form()).status_code == 302
    assert Aduan.objects.count() == 4


def test_invalid_reports_do_not_use_up_the_limit(
    polres: Unit, client: Client, settings: Any
) -> None:
    settings.POSKO_RATE_REPORT = "1/m"
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            assert client.post(reverse("portal:lapor"), _form(phone="123")).status_code == 400
        assert client.post(reverse("portal:lapor"), _form()).status_code == 302


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [("bukan-foto.jpg", b"MZ\x90\x00 ini sebenarnya program, bukan foto" * 20)],
            "Berkas bukan-foto.jpg bukan foto yang valid atau rusak.",
        ),
        (
            [("animasi.jpg", _image("GIF"))],
            "Berkas animasi.jpg bukan foto JPEG, PNG, atau WEBP.",
        ),
        (
            [(f"foto{i}.jpg", _image()) for i in range(4)],
            "Maksimal 3 foto per aduan.",
        ),
    ],
    ids=["not-an-image", "gif-as-jpg", "four-photos"],
)
def test_bad_uploads_are_refused_and_nothing_saved(
    polres: Unit, client: Client, files: list[tuple[str, bytes]], message: str
) -> None:
    uploads = [_upload(name, data) for name, data in files]
    response = client.post(reverse("portal:lapor"), {**_form(), "photos": uploads})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Aduan.objects.exists()
    assert not AduanPhoto.objects.exists()
    assert _media_files() == []


def test_oversized_photo_is_refused(polres: Unit, client: Client, settings: Any) -> None:
    settings.POSKO_PHOTO_MAX_BYTES = 1024 * 1024
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    buf = io.BytesIO()
    noise.save(buf, format="PNG")
    assert len(buf.getvalue()) > settings.POSKO_PHOTO_MAX_BYTES
    small = _upload("kecil.jpg", _image())
    big = _upload("besar.png", buf.getvalue(), "image/png")
    response = client.post(reverse("portal:lapor"), {**_form(), "photos": [small, big]})
    assert response.status_code == 400
    assert "Foto besar.png terlalu besar (maksimal 1 MB)." in response.content.decode()
    assert not Aduan.objects.exists()
    assert _media_files() == []


def test_good_photo_is_stored_without_metadata(polres: Unit, client: Client) -> None:
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° when shown
    exif[GPS_IFD] = {1: "S", 2: (2.0, 55.0, 12.5), 3: "E", 4: (108.0, 16.0, 1.0)}
    original = _image(size=(64, 48), exif=exif)
    with Image.open(io.BytesIO(original)) as check:  # the fixture really carries GPS
        assert check.getexif().get_ifd(GPS_IFD)

    response = client.post(
        reverse("portal:lapor"), {**_form(), "photos": [_upload("IMG_0001.JPG", original)]}
    )
    assert response.status_code == 302
    photo = AduanPhoto.objects.get()
    stored = Path(photo.image.path).read_bytes()
    assert stored != original
    assert b"KameraRahasia" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert len(img.getexif()) == 0
        assert "exif" not in img.info
        assert img.size == (48, 64)  # orientation applied before the tag was dropped
    assert (photo.width, photo.height, photo.size) == (48, 64, len(stored))
    assert photo.content_type == "image/jpeg"
    assert photo.image.name.endswith(".jpg") and photo.aduan.code in photo.image.name
    assert _media_files() == [Path(photo.image.path)]


@pytest.fixture
def tracked(polres: Unit, officers: dict[str, Officer], client: Client) -> Aduan:
    """A web report with a reply, an internal note and status changes."""
    with time_machine.travel(START, tick=False):
        assert client.post(reverse("portal:lapor"), _form()).status_code == 302
    aduan = Aduan.objects.get()
    staff = officers["operator"].user
    with time_machine.travel(START.replace(minute=10), tick=False):
        do_add_message(
            aduan,
            "Catatan internal: pelapor kerabat anggota Polsek",
            public=False,
            acting_user=staff,
        )
        do_add_message(
            aduan, "Laporan Anda sudah kami teruskan ke Satreskrim.", public=True, acting_user=staff
        )
        do_change_status(aduan, "ditangani", acting_user=staff)
    with time_machine.travel(START.replace(hour=9), tick=False):
        do_change_status(
            aduan,
            "dialihkan",
            reason="Dialihkan ke Polsek Manggar sesuai wilayah",
            acting_user=staff,
        )
    return aduan


def test_tracking_page_shows_history_and_replies_only(tracked: Aduan, client: Client) -> None:
    response = client.get(reverse("portal:lacak_detail", args=[tracked.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert tracked.code in html
    assert "Laporan Anda sudah kami teruskan ke Satreskrim." in html
    assert "Dialihkan ke Polsek Manggar sesuai wilayah" in html
    for label in ("Baru", "Ditangani", "Dialihkan"):
        assert label in html

    # Never: internal notes, the reporter's identity, the original text.
    assert "Catatan internal: pelapor kerabat" not in html
    assert "Siti" not in html and "Rahmawati" not in html
    assert "81234567890" not in html and "0812 3456 7890" not in html
    assert TEXT not in html
    assert "plat BN 1234 XY" not in html and "dicuri di parkiran" not in html


def test_tracking_code_is_forgiving_about_case_and_spaces(tracked: Aduan, client: Client) -> None:
    sloppy = " " + tracked.code.lower().replace("-", "- ") + " "
    form = client.get(reverse("portal:lacak"), {"kode": sloppy})
    assert form.status_code == 302
    assert form["Location"] == reverse("portal:lacak_detail", args=[tracked.code])
    assert client.get(f"/lacak/{tracked.code.lower()}/").status_code == 200


@pytest.mark.parametrize("code", ["BLT-ZZZZZZ", "bukan-kode", "BLT-00000"])
def test_unknown_code_is_a_404_in_indonesian(polres: Unit, client: Client, code: str) -> None:
    response = client.get(f"/lacak/{code}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "tidak ditemukan" in html
    assert "Periksa kembali kode Anda" in html


def test_tracking_is_rate_limited(tracked: Aduan, client: Client, settings: Any) -> None:
    settings.POSKO_RATE_TRACK = "2/m"
    url = reverse("portal:lacak_detail", args=[tracked.code])
    with time_machine.travel(START.replace(hour=12), tick=False):
        assert client.get(url).status_code == 200
        assert client.get("/lacak/BLT-ZZZZZZ/").status_code == 404
        blocked = client.get(url)
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.content.decode()
    assert "Laporan Anda sudah kami teruskan" not in blocked.content.decode()


def test_contacts_list_polsek_and_bhabinkamtibmas(
    polres: Unit, officers: dict[str, Officer], client: Client
) -> None:
    bhabin = officers["bhabin_gantung"]
    bhabin.rank = "Bripka"
    bhabin.phone = "+6281299990000"
    bhabin.save()
    response = client.get(reverse("portal:kontak"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Polsek Gantung" in html
    assert "Polsek Manggar" in html
    assert "Bripka Bhabin.Gantung" in html
    assert "+6281299990000" in html
    assert str(officers["kapolres"]) in html
    # Only the Bhabinkamtibmas' own desa lists him.
    rows = response.context["rows"]
    gantung = next(r for r in rows if r["kecamatan"].name == "Gantung")
    assert gantung["polsek"].name == "Polsek Gantung"
    assigned = {desa.code: officer for desa, officer in gantung["desa"] if officer}
    assert assigned == {"19.06.02.2001": bhabin}


def test_size_limit_is_readable_below_one_megabyte() -> None:
    from posko.aduan.photos import human_size

    assert [human_size(n) for n in (5 * 1024 * 1024, 1536 * 1024, 300 * 1024)] == [
        "5 MB",
        "1,5 MB",
        "300 KB",
    ]


# --- expensive photos (issue 11, weakness 6) ---------------------------------------------


def _count_decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from PIL import ImageFile

    decodes: list[int] = []
    original = ImageFile.ImageFile.load

    def counting(self: Any) -> Any:
        decodes.append(self.width * self.height)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting)
    return decodes


def test_huge_pixel_photos_are_refused_from_the_header_without_decoding(
    polres: Unit, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _image("PNG", size=(6320, 6320))
    assert len(big) < 500_000  # small file, 40 MP: the decompression-cost attack
    decodes = _count_decodes(monkeypatch)
    files = [_upload(f"besar{i}.png", big, "image/png") for i in range(3)]
    response = client.post(reverse("portal:lapor"), _form(photos=files))
    assert response.status_code == 400
    assert "resolusinya terlalu besar" in response.content.decode()
    assert decodes == []
    assert not Aduan.objects.exists()


def test_photos_of_an_invalid_report_are_not_decoded(
    polres: Unit, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    decodes = _count_decodes(monkeypatch)
    files = [_upload("foto.jpg", _image())]
    response = client.post(reverse("portal:lapor"), _form(phone="123", photos=files))
    assert response.status_code == 400
    assert decodes == []


def test_every_attempt_counts_against_the_attempt_limit(
    polres: Unit, client: Client, settings: Any
) -> None:
    settings.POSKO_RATE_REPORT_ATTEMPTS = "3/m"
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            assert client.post(reverse("portal:lapor"), _form(phone="123")).status_code == 400
        blocked = client.post(reverse("portal:lapor"), _form())
    assert blocked.status_code == 429
    assert not Aduan.objects.exists()


def test_an_oversized_body_is_refused_before_it_is_read(polres: Unit, client: Client) -> None:
    # Content-Length says 300 MB; the test payload raises if anything reads past its 10 bytes.
    response = client.generic(
        "POST",
        reverse("portal:lapor"),
        b"0123456789",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()
