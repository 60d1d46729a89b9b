"""The staff console speaks Bahasa Indonesia first, English when the officer chooses it.

The choice is the same language cookie as the public portal's (``set_language``); the API and
the webhooks stay Indonesian (``posko/portal/tests/test_i18n.py``). What staff and reporters
wrote (messages, reasons, names) is shown as written in either language.
"""

from __future__ import annotations

import html as htmllib
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from babel.messages.extract import DEFAULT_KEYWORDS, extract_python
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from posko.aduan.actions import do_change_status
from posko.aduan.actions.status import StatusTransitionError
from posko.aduan.models import Aduan
from posko.aduan.tests.factories import make_aduan
from posko.channels.conftest import fake_api, instagram_account  # noqa: F401 (fixtures)
from posko.channels.models import ModerationItem
from posko.channels.testing import fixture_json
from posko.channels.tests.test_console import hook
from posko.conftest import PASSWORD
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit

SOURCES = Path(settings.BASE_DIR)
ENGLISH_PO = SOURCES / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Everything the console shows: its templates, the Python text of its views and forms, the
# errors of the actions it calls, the audit labels and the model names and choices.
CONSOLE_TEMPLATES = [
    SOURCES / "templates" / "base.html",
    *sorted((SOURCES / "templates" / "console").glob("*.html")),
    *sorted((SOURCES / "templates" / "channels").glob("*.html")),
    *sorted((SOURCES / "templates" / "includes").glob("*.html")),
]
CONSOLE_PYTHON = [
    *(SOURCES / "console" / name for name in ("views.py", "forms.py", "triage.py", "settings.py")),
    SOURCES / "console" / "channel_views.py",
    SOURCES / "channels" / "forms.py",
    SOURCES / "channels" / "dispatch.py",
    *sorted((SOURCES / "aduan" / "actions").glob("*.py")),
    *sorted((SOURCES / "channels" / "actions").glob("*.py")),
    SOURCES / "triage_store" / "actions" / "landmarks.py",
    SOURCES / "aduan" / "templatetags" / "posko_tags.py",
    SOURCES / "aduan" / "audit.py",
    SOURCES / "aduan" / "access.py",
    *sorted((SOURCES / "aduan" / "models").glob("*.py")),
    SOURCES / "channels" / "models.py",
    SOURCES / "org" / "models.py",
    SOURCES / "triage_store" / "models.py",
]
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
}
# Words that are the same in both languages (names): anything else written straight into a
# console template, outside {% translate %}, would stay Indonesian in English.
UNTRANSLATED_WORDS = {"Posko", "SLA", "Polsek", "ID", "EN", "P", "v", "BLT"}
UNTRANSLATED_WORDS |= {"Bahasa", "Language", "Indonesia", "English"}  # the switcher
UNTRANSLATED_WORDS |= {"j", "k", "r", "a"}  # keyboard shortcut keys

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
TEXT = "Motor dicuri di Selingsing"


@pytest.fixture(autouse=True)
def _back_to_indonesian() -> Iterator[None]:
    # The middleware activates a language for the thread; do not leak English into other tests.
    yield
    translation.deactivate()


def login(officer: Officer) -> Client:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    return client


def choose(client: Client, language: str, next_url: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def english(officer: Officer) -> Client:
    client = login(officer)
    choose(client, "en", reverse("console:inbox"))
    return client


def text_of(response: Any) -> str:
    """The page with entities decoded (``Reporter&#x27;s`` → ``Reporter's``)."""
    return htmllib.unescape(response.content.decode())


def assert_english(response: Any) -> str:
    assert response["Content-Language"] == "en"
    page = text_of(response)
    assert '<html lang="en">' in page
    assert 'value="en" lang="en" title="English" aria-pressed="true"' in page
    assert ">Inbox<" in page and ">My tasks<" in page and ">Record a report<" in page
    assert ">Log out<" in page and "· Posko Console</title>" in page
    assert "Kotak masuk" not in page and "Catat aduan" not in page and ">Keluar<" not in page
    return page


@pytest.fixture
def aduan(polres: Unit) -> Aduan:
    return make_aduan(
        polres,
        text=TEXT,
        category="pencurian",
        priority="tinggi",
        desa="19.06.02.2002",
        received_at=START,
        reporter_name="Rudi Hartono",
        reporter_phone="+6281211112222",
    )


# --- Indonesian first -------------------------------------------------------------------------


def test_console_is_indonesian_by_default_even_for_english_browsers(
    officers: dict[str, Officer], aduan: Aduan
) -> None:
    client = Client()
    login_page = client.get(reverse("console:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert login_page["Content-Language"] == "id"
    page = text_of(login_page)
    assert '<html lang="id">' in page and ">Masuk<" in page
    assert "Hanya untuk personel Polri yang berwenang" in page
    assert 'value="id" lang="id" title="Bahasa Indonesia" aria-pressed="true"' in page

    client = login(officers["operator"])
    inbox = client.get(reverse("console:inbox"), HTTP_ACCEPT_LANGUAGE="en")
    assert inbox["Content-Language"] == "id"
    page = text_of(inbox)
    assert "Kotak masuk aduan" in page and ">Tugas saya<" in page and "Pencurian" in page
    assert "Inbox" not in page and "Theft" not in page


def test_switcher_on_every_console_page_and_the_login_page(
    officers: dict[str, Officer], aduan: Aduan
) -> None:
    pages = [
        reverse("console:inbox"),
        reverse("console:my_tasks"),
        reverse("console:intake"),
        reverse("console:aduan_detail", args=[aduan.code]),
        reverse("console:notifications"),
        reverse("console:sla_settings"),
        reverse("console:moderation"),
        reverse("console:channel_accounts"),
        reverse("console:landmarks"),
        reverse("console:triage_models"),
    ]
    for client, urls in ((Client(), [reverse("console:login")]), (login(officers["admin"]), pages)):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            form = re.search(r'<form class="lang-switch"[^>]*>(.*?)</form>', page, re.S)
            assert form, url
            assert f'action="{reverse("set_language")}"' in form.group(0)
            assert 'method="post"' in form.group(0)
            assert 'name="csrfmiddlewaretoken"' in form.group(1)
            assert f'name="next" value="{url}"' in form.group(1), url
            # Strict CSP: nothing inline.
            assert "style=" not in page and "<style" not in page, url
            assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
            assert "Cookie" in response["Vary"], url


def test_login_page_in_english(officers: dict[str, Officer]) -> None:
    client = Client()
    choose(client, "en", reverse("console:login"))
    response = client.get(reverse("console:login"))
    page = text_of(response)
    assert response["Content-Language"] == "en" and '<html lang="en">' in page
    assert ">Log in<" in page and "Officers' console" in page
    assert "For authorised Polri personnel only. Every access is logged." in page
    assert "Username" in page and "Password" in page  # Django's own labels
    # The login button comes before the switcher (the first submit button of the page).
    assert page.index(">Log in</button>") < page.index('class="lang-switch"')

    wrong = client.post(reverse("console:login"), {"username": "operator", "password": "salah"})
    assert "Wrong username or password." in text_of(wrong)
    assert "Nama pengguna atau kata sandi salah." not in text_of(wrong)


# --- English on every console page ------------------------------------------------------------


def test_inbox_in_english(officers: dict[str, Officer], aduan: Aduan) -> None:
    client = english(officers["operator"])
    with time_machine.travel(START + 3 * 60 * MIN, tick=False):
        page = assert_english(client.get(reverse("console:inbox")))
    for text in (
        "<h1>Report inbox</h1>",
        "+ Record a report",
        "<span>open</span>",
        "<span>overdue</span>",
        "<span>in progress</span>",
        "<span>Status</span>",
        "<span>Category</span>",
        "<span>Overdue</span>",
        "<span>Search</span>",
        ">Apply<",
        "1 report · sorted by priority, then SLA deadline",
        "<th>Priority</th><th>Code</th><th>Report</th><th>Category</th><th>Location</th>",
        ">Theft<",
        ">High<",
        ">New<",
        "2\xa0hours overdue",  # the first response (1 hour for "tinggi") is long past
        "Selingsing",
    ):
        assert text in page, text
    assert "Kotak masuk aduan" not in page and "terlambat" not in page
    assert ">Pencurian<" not in page and "lewat SLA" not in page

    tasks = assert_english(client.get(reverse("console:my_tasks")))
    assert "<h1>My tasks</h1>" in tasks and "No reports match these filters." in tasks


def test_aduan_page_in_english(officers: dict[str, Officer], aduan: Aduan) -> None:
    client = english(officers["operator"])
    url = reverse("console:aduan_detail", args=[aduan.code])
    with time_machine.travel(START + 2 * MIN, tick=False):
        note = client.post(
            reverse("console:reply", args=[aduan.code]),
            {"text": "Cek CCTV pasar dulu", "internal": "on"},
            follow=True,
        )
    assert "Internal note saved." in text_of(note)
    with time_machine.travel(START + 5 * MIN, tick=False):
        changed = client.post(
            reverse("console:change_status", args=[aduan.code]),
            {"status": "ditangani", "reason": ""},
            follow=True,
        )
    assert "Report status updated." in text_of(changed)
    with time_machine.travel(START + 10 * MIN, tick=False):
        page = assert_english(client.get(url))
    for text in (
        "‹ Inbox",
        ">High<",
        ">In progress<",
        "Resolution deadline",
        "left",  # the SLA box: "… left" before the deadline
        ">Conversation<",
        "Internal note</strong> · Operator",
        "Cek CCTV pasar dulu",  # what staff wrote is theirs: as written
        "Motor dicuri di Selingsing",
        "Rudi Hartono</strong>",
        "Message",
        "Internal note (not visible to the reporter)",
        ">Send<",
        ">Incident<",
        "Not linked to any other report yet.",
        "Link with report (code)",
        ">Audit trail<",
        "Status change</strong> · operator",
        ": New → In progress",
        "Internal note</strong> · operator",
        ">Details<",
        "<dt>Channel</dt><dd>Web form</dd>",
        "<dt>Reporter</dt><dd>Rudi Hartono",
        "Selingsing Village, ",
        "District",
        "<dt>Officer</dt>",
        "<dt>Tone</dt><dd>Neutral</dd>",
        ">Change status<",
        "New status",
        "Reason (shown to the reporter)",
        ">Resolved<",
        ">Declined<",
        ">Save status<",
        ">Assignment<",
        "Officer (optional)",
        ">Assign<",
        ">Triage labels<",
        "— Unknown —",
        ">Save corrections<",
    ):
        assert text in page, text
    sla = re.search(r'data-testid="sla">(.*?)</div>', page, re.S)
    assert sla and re.search(r"<small>\d+\xa0[a-z]+ left</small>", sla.group(1)), sla
    for indonesian in (
        "Percakapan",
        "Jejak audit",
        "Perubahan status",
        "Catatan internal",
        "sisa ",
    ):
        assert indonesian not in page, indonesian

    with time_machine.travel(START + 12 * MIN, tick=False):
        corrected = client.post(
            reverse("console:correct_labels", args=[aduan.code]),
            {"category": "penipuan", "priority": "tinggi", "tone": "netral", "desa": ""},
            follow=True,
        )
    page = text_of(corrected)
    assert "1 label corrected." in page
    assert "Label correction</strong> · operator" in page
    assert "1 correction recorded as a training example." in page


def test_aduan_form_errors_in_english(officers: dict[str, Officer], aduan: Aduan) -> None:
    client = english(officers["operator"])
    empty = client.post(reverse("console:reply", args=[aduan.code]), {"text": ""})
    assert empty.status_code == 400
    assert "Please write a message." in assert_english(empty)


def test_action_errors_come_back_in_english(officers: dict[str, Officer], aduan: Aduan) -> None:
    client = english(officers["operator"])
    # A reason is required to decline: the action refuses, the console shows why.
    response = client.post(
        reverse("console:change_status", args=[aduan.code]), {"status": "ditolak", "reason": ""}
    )
    assert response.status_code == 400
    page = assert_english(response)
    assert "A reason is required for this status change." in page
    assert "Alasan wajib diisi" not in page
    aduan.refresh_from_db()
    assert aduan.status == "baru"

    # Joining a report with itself: the incident action's error, as a message.
    joined = client.post(
        reverse("console:aduan_join", args=[aduan.code]), {"code": aduan.code}, follow=True
    )
    assert "A report cannot be linked with itself." in text_of(joined)

    # A forbidden transition, in whichever language is active.
    with translation.override("en"), pytest.raises(StatusTransitionError) as refused:
        do_change_status(aduan, "selesai", acting_user=officers["operator"].user)
    assert str(refused.value) == "The status cannot be changed from 'New' to 'selesai'."
    with (
        translation.override("id"),
        pytest.raises(StatusTransitionError, match="Status tidak dapat diubah dari 'Baru'"),
    ):
        do_change_status(aduan, "selesai", acting_user=officers["operator"].user)


def test_intake_form_and_its_errors_in_english(officers: dict[str, Officer]) -> None:
    client = english(officers["operator"])
    page = assert_english(client.get(reverse("console:intake")))
    for text in (
        "<h1>Record a report</h1>",
        "For reports received by phone, SMS, in person, or on a Bhabinkamtibmas officer's phone.",
        "Received via",
        "Report text",
        "Category (leave empty for automatic triage)",
        "— Automatic triage —",
        "Village where it happened",
        "Reporter asks to stay anonymous",
        "Reporter's name",
        "Reporter's phone",
        ">Save report<",
    ):
        assert text in page, text

    response = client.post(
        reverse("console:intake"), {"channel": "telepon", "text": "", "reporter_phone": "123"}
    )
    assert response.status_code == 400
    page = assert_english(response)
    assert "Please enter the report text." in page
    assert "This phone number is not valid. A valid example: 0812 3456 7890." in page
    assert not Aduan.objects.exists()

    recorded = client.post(
        reverse("console:intake"),
        {"channel": "telepon", "text": "Motor hilang di parkiran pasar Manggar tadi malam"},
        follow=True,
    )
    code = Aduan.objects.get().code
    assert f"Report {code} recorded." in text_of(recorded)


@pytest.fixture
def stream(request: pytest.FixtureRequest) -> list[ModerationItem]:
    request.getfixturevalue("instagram_account")  # the channels' fixtures, imported above
    for name in ("instagram__comment_praise", "instagram__comment_provocative"):
        hook(Client(), "/hooks/meta/", fixture_json("meta", name))
    run_tasks()
    return list(ModerationItem.objects.all())


@pytest.mark.django_db(transaction=True)
def test_moderation_page_in_english(
    stream: list[ModerationItem], officers: dict[str, Officer]
) -> None:
    client = english(officers["operator"])
    page = assert_english(client.get(reverse("console:moderation")))
    for text in (
        "<h1>Comment moderation</h1>",
        "Public comments and mentions that triage found need no police action",
        "<span>to handle</span>",
        "<span>handled</span>",
        "Flagged as provocative only",
        "All platforms",
        "2 comments",
        "<th>Comment</th><th>Triage</th><th>Status</th><th>Action</th>",
        "Public comment",
        ">provocative<",
        ">Make it a report<",
        ">Hide<",
        ">Dismiss<",
        ">Reply<",
        "Shown publicly under the comment: do not include personal data.",
    ):
        assert text in page, text
    assert "Moderasi komentar" not in page and "Komentar publik" not in page

    item = stream[0]
    dismissed = client.post(
        reverse("console:moderation_action", args=[item.pk, "abaikan"]), follow=True
    )
    assert "Comment dismissed." in text_of(dismissed)
    assert "1 comment" in text_of(dismissed)


def test_settings_pages_in_english(officers: dict[str, Officer]) -> None:
    client = english(officers["admin"])
    page = assert_english(client.get(reverse("console:sla_settings")))
    for text in (
        "<h1>SLA settings</h1>",
        "Response and resolution time targets per priority.",
        "<th>Priority</th><th>First response</th><th>Resolution</th>",
        '<th scope="row">Emergency</th>',
        ">Service hours<",
        "Service opens at",
        "Open on Saturdays",
        ">Save<",
    ):
        assert text in page, text
    data = {"opens_at": "16:00", "closes_at": "08:00"}
    for code in ("darurat", "tinggi", "sedang", "rendah"):
        data |= {f"{code}_first": "10", f"{code}_resolution": "600"}
    refused = client.post(reverse("console:sla_settings"), data)
    assert refused.status_code == 400
    assert "Closing time must be after opening time." in assert_english(refused)

    accounts = assert_english(client.get(reverse("console:channel_accounts")))
    assert "<h1>Official channel accounts</h1>" in accounts and "+ Add account" in accounts
    new = assert_english(client.get(reverse("console:channel_account_new")))
    assert "Add an official account" in new and "Access token (system user)" in new
    notices = assert_english(client.get(reverse("console:notice_templates")))
    assert "<h1>Notice templates</h1>" in notices and "Report assigned" in notices
    assert "using the default text" in notices


def test_switching_back_to_indonesian(officers: dict[str, Officer], aduan: Aduan) -> None:
    client = english(officers["operator"])
    url = reverse("console:aduan_detail", args=[aduan.code])
    assert client.get(url)["Content-Language"] == "en"
    choose(client, "id", url)
    response = client.get(url)
    assert response["Content-Language"] == "id"
    page = text_of(response)
    assert '<html lang="id">' in page and "Jejak audit" in page and ">Kotak masuk<" in page
    assert "Audit trail" not in page and ">Inbox<" not in page


# --- The catalog covers the console ----------------------------------------------------------


def console_msgids() -> dict[tuple[str, str | None], list[str]]:
    """Every (msgid, context) of the console's templates and Python text, with where it is."""
    found: dict[tuple[str, str | None], list[str]] = {}

    def collect(source: str, where: Path) -> None:
        for lineno, func, messages, _comments in extract_python(
            io.BytesIO(source.encode()), KEYWORDS, [], {}
        ):
            args = (messages,) if isinstance(messages, str) else tuple(messages)
            context, msgid = (
                (args[0], args[1]) if str(func).startswith("pgettext") else (None, args[0])
            )
            if msgid:
                found.setdefault((msgid, context), []).append(
                    f"{where.relative_to(SOURCES)}:{lineno}"
                )

    for template in CONSOLE_TEMPLATES:
        collect(templatize(template.read_text(), origin=str(template)), template)
    for module in CONSOLE_PYTHON:
        collect(module.read_text(), module)
    return found


def test_every_console_msgid_has_an_english_translation() -> None:
    msgids = console_msgids()
    assert len(msgids) > 400  # the extraction works (templates and Python)
    for expected in (
        ("Kotak masuk", None),  # a template
        ("Lewat SLA", None),  # a form
        ("Alasan wajib diisi untuk perubahan status ini.", None),  # an action error
        ("terlambat %(time)s", None),  # a template tag
        ("%(counter)s komentar", None),  # a plural
        ("Diterima", "pengiriman"),  # a context
    ):
        assert expected in msgids, expected
    with ENGLISH_PO.open("rb") as source:
        catalog = read_po(source)
    missing = {}
    for (msgid, context), where in msgids.items():
        message = catalog.get(msgid, context=context)
        strings = message.string if message is not None else ""
        forms = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(forms):
            missing[msgid] = where
    assert not missing, f"add these to {ENGLISH_PO.relative_to(SOURCES)}: {missing}"


def test_console_msgids_are_shown_as_written_in_indonesian() -> None:
    """No msgid is taken over by a Django catalog in Indonesian (Indonesian is the source)."""
    with translation.override("id"):
        changed = {
            msgid: translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            for msgid, context in console_msgids()
        }
    assert {m: t for m, t in changed.items() if m != t} == {}


@pytest.mark.parametrize(
    "template", CONSOLE_TEMPLATES, ids=lambda p: str(p.relative_to(SOURCES / "templates"))
)
def test_no_text_outside_translate_tags(template: Path) -> None:
    source = template.read_text()
    for pattern in (
        r"{#.*?#}",
        r"{%\s*blocktranslate.*?endblocktranslate\s*%}",
        r"{%.*?%}",
        r"{{.*?}}",
    ):
        source = re.sub(pattern, "", source, flags=re.S)
    texts = re.findall(r">([^<>]+)<", source)
    texts += re.findall(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"', source)
    bare = [
        text.strip() for text in texts if set(re.findall(r"[A-Za-z]+", text)) - UNTRANSLATED_WORDS
    ]
    assert bare == [], f"wrap in {{% translate %}}: {bare}"
