"""The public portal speaks Bahasa Indonesia first, English when the visitor chooses it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from babel.messages.extract import DEFAULT_KEYWORDS, extract_python
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from posko.aduan.actions import do_add_message, do_change_status
from posko.aduan.models import Aduan
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TEXT = "Motor saya hilang dicuri di parkiran pasar Manggar tadi malam, plat BN 1234 XY"
SOURCES = Path(settings.BASE_DIR)
ENGLISH_PO = SOURCES / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Everything the portal shows: its templates and the Python text that reaches them.
PORTAL_TEMPLATES = [
    SOURCES / "templates" / "base.html",
    *sorted((SOURCES / "templates" / "portal").glob("*.html")),
    *sorted((SOURCES / "templates" / "includes").glob("*.html")),
]
PORTAL_PYTHON = [
    SOURCES / "portal" / "forms.py",
    SOURCES / "portal" / "views.py",
    SOURCES / "aduan" / "photos.py",
    SOURCES / "aduan" / "models" / "choices.py",
]
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
}


@pytest.fixture(autouse=True)
def _back_to_indonesian() -> Iterator[None]:
    # The middleware activates a language for the thread; do not leak English into other tests.
    yield
    translation.deactivate()


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": TEXT,
        "category": "pencurian",
        "desa": "",
        "name": "Siti Rahmawati",
        "phone": "0812 3456 7890",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def choose(client: Client, language: str, next_url: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


@pytest.fixture
def english(polres: Unit) -> Client:
    client = Client()
    choose(client, "en")
    return client


def html_of(response: Any) -> str:
    return response.content.decode()


def assert_english(response: Any) -> str:
    assert response["Content-Language"] == "en"
    html = html_of(response)
    assert '<html lang="en">' in html
    assert 'value="en" lang="en" title="English" aria-pressed="true"' in html
    assert "Emergency? Call <strong>110</strong>" in html
    assert "Keadaan darurat" not in html
    return html


# --- Indonesian first -------------------------------------------------------------------------


def test_indonesian_by_default_even_for_english_browsers(polres: Unit) -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    html = html_of(response)
    assert '<html lang="id">' in html
    assert "Buat laporan" in html and "Keadaan darurat? Telepon" in html
    assert "Make a report" not in html
    assert 'value="id" lang="id" title="Bahasa Indonesia" aria-pressed="true"' in html
    assert 'value="en" lang="en" title="English" aria-pressed="false"' in html


def test_an_unknown_language_cookie_means_indonesian(polres: Unit) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/")
    assert response["Content-Language"] == "id"
    assert "Buat laporan" in html_of(response)


def test_switcher_posts_to_set_language_from_every_page(polres: Unit) -> None:
    client = Client()
    for url in ("/", "/lapor/", "/lacak/", "/kontak/", "/lacak/BLT-ZZZZZZ/"):
        response = client.get(url)
        html = html_of(response)
        form = re.search(r'<form class="lang-switch"[^>]*>(.*?)</form>', html, re.S)
        assert form, url
        assert f'action="{reverse("set_language")}"' in form.group(0)
        assert 'method="post"' in form.group(0)
        assert 'name="csrfmiddlewaretoken"' in form.group(1)
        assert f'name="next" value="{url}"' in form.group(1), url
        # Strict CSP: nothing inline.
        assert "style=" not in html and "<style" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "Cookie" in response["Vary"], url


def test_set_language_needs_a_csrf_token(polres: Unit) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403


def test_set_language_never_redirects_off_site(polres: Unit) -> None:
    client = Client()
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- English on every portal page -------------------------------------------------------------


def test_home_in_english(english: Client) -> None:
    response = english.get("/", HTTP_ACCEPT_LANGUAGE="id")
    html = assert_english(response)
    assert "Send your complaint to Polres Belitung Timur" in html
    assert "Make a report" in html and "Track a report" in html and "Contact" in html
    assert "<strong>tracking code</strong>" in html
    assert "Posko — the official public complaint service of Polres Belitung Timur" in html
    assert "Home · Police Complaint Service" in html
    assert "Buat laporan" not in html and "Sampaikan aduan" not in html


def test_report_form_in_english(english: Client) -> None:
    html = assert_english(english.get("/lapor/"))
    for text in (
        "What would you like to report?",
        "Describe what happened: what, where, when…",
        "Category (optional)",
        "— Let the officers decide —",
        ">Theft<",
        ">Alleged officer misconduct<",
        "Village where it happened (if known)",
        "— Don&#x27;t know / not stated —",
        'label="Gantung District"',
        "Supporting photos (up to 3, JPEG/PNG/WEBP, ≤ 5 MB each)",
        "Send without giving my name (anonymous)",
        "Mobile/WhatsApp number",
        "I declare that this report is true",
        "Your details",
        "Send report",
    ):
        assert text in html, text
    assert "Apa yang ingin Anda laporkan" not in html
    assert "Kec. Gantung" not in html and ">Pencurian<" not in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "12345"}, "This phone number is not valid. A valid example: 0812 3456 7890."),
        ({"text": "tolong"}, "Your report is too short (at least 10 characters)."),
        ({"text": ""}, "Please describe what you want to report."),
        ({"consent": ""}, "Tick the consent box to send your report."),
        ({"desa": "19.02.01.1001"}, "Select a valid choice."),  # Django's own catalog
    ],
    ids=["phone", "text-short", "text-empty", "no-consent", "desa"],
)
def test_validation_errors_in_english(
    english: Client, overrides: dict[str, str], message: str
) -> None:
    response = english.post("/lapor/", _form(**overrides))
    assert response.status_code == 400
    html = assert_english(response)
    assert message in html
    assert "Your report has not been sent. Please check the fields marked below." in html
    assert not Aduan.objects.exists()


def test_photo_and_honeypot_errors_in_english(english: Client, settings: Any) -> None:
    settings.POSKO_PHOTO_MAX_BYTES = 1536 * 1024
    bad = SimpleUploadedFile("bukan-foto.jpg", b"MZ\x90\x00 bukan foto" * 20, "image/jpeg")
    html = assert_english(english.post("/lapor/", {**_form(), "photos": [bad]}))
    assert "The file bukan-foto.jpg is not a valid photo or is damaged." in html
    assert "≤ 1.5 MB each" in html  # the limit, with an English decimal point

    html = html_of(english.post("/lapor/", _form(website="http://promo.example")))
    assert "This report cannot be processed." in html


def test_rate_limit_message_in_english(english: Client, settings: Any) -> None:
    settings.POSKO_RATE_REPORT = "1/m"
    with time_machine.travel(START, tick=False):
        assert english.post("/lapor/", _form()).status_code == 302
        blocked = english.post("/lapor/", _form())
    assert blocked.status_code == 429
    assert "Too many reports from this device." in assert_english(blocked)


def test_sent_page_in_english(english: Client) -> None:
    response = english.post("/lapor/", _form())
    assert response.status_code == 302
    html = assert_english(english.get(response["Location"]))
    code = Aduan.objects.get().code
    assert code in html
    assert "We have received your report" in html
    assert "Keep this tracking code to follow up on your report:" in html
    assert "View report status" in html and "Make another report" in html
    assert "Report sent · Police Complaint Service" in html


@pytest.fixture
def tracked(english: Client, officers: dict[str, Officer]) -> Aduan:
    with time_machine.travel(START, tick=False):
        assert english.post("/lapor/", _form(desa="19.06.01.2003")).status_code == 302
    aduan = Aduan.objects.get()
    staff = officers["operator"].user
    with time_machine.travel(START.replace(minute=10), tick=False):
        do_add_message(
            aduan, "Laporan Anda sudah kami teruskan ke Satreskrim.", public=True, acting_user=staff
        )
        do_change_status(aduan, "ditangani", acting_user=staff)
    with time_machine.travel(START.replace(hour=9), tick=False):
        do_change_status(
            aduan, "dialihkan", reason="Dialihkan ke Polsek Manggar", acting_user=staff
        )
    return aduan


def test_tracking_pages_in_english(english: Client, tracked: Aduan) -> None:
    html = assert_english(english.get("/lacak/"))
    assert "Enter the tracking code you received when you sent your report." in html
    assert "Tracking code" in html and "e.g. BLT-7K3Q9P" in html and ">Track<" in html

    html = assert_english(english.get(f"/lacak/{tracked.code}/"))
    status = re.search(r'data-testid="status">([^<]*)<', html)
    category = re.search(r'data-testid="category">([^<]*)<', html)
    assert status and status.group(1) == "Referred elsewhere"
    assert category and category.group(1) == "Theft"
    for text in ("New", "In progress", "Status history", "Replies from officers", "Received"):
        assert text in html, text
    assert "20 November 2026, 15:00 WIB (UTC+7)" in html
    assert "Officer, Polres Belitung Timur" in html
    assert "Manggar District" in html
    assert f"Status of {tracked.code} · Police Complaint Service" in html
    # What staff wrote is theirs: shown as written.
    assert "Laporan Anda sudah kami teruskan ke Satreskrim." in html
    assert "Dialihkan ke Polsek Manggar" in html
    assert "Riwayat status" not in html and ">Dialihkan<" not in html and ">Pencurian<" not in html


def test_unknown_code_and_missing_code_in_english(english: Client) -> None:
    response = english.get("/lacak/BLT-ZZZZZZ/")
    assert response.status_code == 404
    assert "No report was found with the code BLT-ZZZZZZ. Please check your code." in (
        assert_english(response)
    )
    assert "Enter your tracking code." in html_of(english.get("/lacak/", {"kode": ""}))


def test_contacts_in_english(english: Client, officers: dict[str, Officer]) -> None:
    html = assert_english(english.get("/kontak/"))
    for text in (
        "Contact Polres Belitung Timur",
        "Contact your Polsek (local police station)",
        "Leadership",
        "Chief of Police (Kapolres):",
        "Gantung District — Polsek Gantung",
        "Community police officer:",
    ):
        assert text in html, text
    assert "Kecamatan Gantung" not in html


def test_switching_back_to_indonesian(english: Client) -> None:
    assert english.get("/kontak/")["Content-Language"] == "en"
    choose(english, "id", "/kontak/")
    response = english.get("/kontak/")
    assert response["Content-Language"] == "id"
    html = html_of(response)
    assert '<html lang="id">' in html
    assert "Kontak Polres Belitung Timur" in html and "Keadaan darurat? Telepon" in html
    assert "Contact Polres" not in html


def test_the_console_follows_the_portal_choice(
    english: Client, officers: dict[str, Officer]
) -> None:
    """One cookie for the whole site: the console is bilingual too (posko/console/tests)."""
    login = english.get(reverse("console:login"))
    assert login["Content-Language"] == "en"
    assert '<html lang="en">' in html_of(login)
    english.login(username="operator", password=PASSWORD)
    english.post("/lapor/", _form())
    inbox = english.get(reverse("console:inbox"))
    assert inbox["Content-Language"] == "en"
    assert "Theft" in html_of(inbox) and "Pencurian" not in html_of(inbox)


def test_the_api_stays_indonesian(english: Client, officers: dict[str, Officer]) -> None:
    from posko.api.actions import do_create_api_token

    token = do_create_api_token(officers["operator"].user)
    response = english.get("/api/v1/aduan", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response["Content-Language"] == "id"


# --- The catalog covers the portal ------------------------------------------------------------


def portal_msgids() -> dict[str, list[str]]:
    """Every msgid of the portal's templates and Python text, with where it is used."""
    found: dict[str, list[str]] = {}

    def collect(source: str, where: Path) -> None:
        for lineno, _func, messages, _comments in extract_python(
            io.BytesIO(source.encode()), KEYWORDS, [], {}
        ):
            msgid = messages if isinstance(messages, str) else messages[0]
            if msgid:
                found.setdefault(msgid, []).append(f"{where.relative_to(SOURCES)}:{lineno}")

    for template in PORTAL_TEMPLATES:
        collect(templatize(template.read_text(), origin=str(template)), template)
    for module in PORTAL_PYTHON:
        collect(module.read_text(), module)
    return found


def test_every_portal_msgid_has_an_english_translation() -> None:
    msgids = portal_msgids()
    assert len(msgids) > 100  # the extraction works (templates and Python)
    assert "Buat laporan" in msgids and "Pencurian" in msgids and "Kontak %(polres)s" in msgids
    with ENGLISH_PO.open("rb") as source:
        catalog = read_po(source)
    missing = {
        msgid: where
        for msgid, where in msgids.items()
        if msgid not in catalog or not catalog[msgid].string or catalog[msgid].fuzzy
    }
    assert not missing, f"add these to {ENGLISH_PO.relative_to(SOURCES)}: {missing}"


def test_indonesian_msgids_are_shown_as_written() -> None:
    """No msgid is taken over by a Django catalog in Indonesian (Indonesian is the source)."""
    with translation.override("id"):
        changed = {m: translation.gettext(m) for m in portal_msgids()}
    assert {m: t for m, t in changed.items() if m != t} == {}


def test_english_catalog_is_what_django_uses() -> None:
    with translation.override("en"):
        assert translation.gettext("Buat laporan") == "Make a report"
        assert translation.gettext("Dialihkan") == "Referred elsewhere"
        assert translation.gettext("Kecelakaan lalu lintas") == "Traffic accident"
