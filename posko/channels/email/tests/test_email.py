"""E-mail: IMAP polling (real ``imaplib`` against a local fake IMAP server) into aduan and
thread messages, dedup by Message-ID, SMTP replies (real ``smtplib`` against a local fake
SMTP server) threaded with In-Reply-To/References."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan
from posko.channels.actions.accounts import do_save_account
from posko.channels.actions.polling import do_poll_email
from posko.channels.email.adapter import parse, strip_quoted
from posko.channels.email.testing import FakeImap, FakeSmtp
from posko.channels.models import (
    ChannelAccount,
    ChannelMedia,
    Conversation,
    DeliveryState,
    InboundEvent,
    OutboundDelivery,
)
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MAILBOX = "pengaduan@polres-beltim.example"
FIRST_ID = "<CAHk7n2Q0x9xYp1s2=siti@mail.example.co.id>"


def eml(name: str) -> bytes:
    return (FIXTURES / f"{name}.eml").read_bytes()


@pytest.fixture
def imap() -> Iterator[FakeImap]:
    server = FakeImap(MAILBOX, "sandi-imap").start()
    yield server
    server.stop()


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    server = FakeSmtp(MAILBOX, "sandi-smtp").start()
    yield server
    server.stop()


@pytest.fixture
def email_account(polres: Unit, imap: FakeImap, smtp: FakeSmtp) -> ChannelAccount:
    return do_save_account(
        polres,
        "email",
        external_id=MAILBOX,
        name="Pengaduan Polres Belitung Timur",
        credentials={"imap_password": "sandi-imap", "smtp_password": "sandi-smtp"},
        config={
            "imap_host": "127.0.0.1",
            "imap_port": imap.port,
            "imap_ssl": False,
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_security": "none",
            "from_name": "Polres Belitung Timur",
            # The receipt is tested on its own (test_receipt_goes_by_smtp_in_the_thread).
            "reporter_receipt": False,
        },
    )


def test_parse_plain_text_part_and_subject() -> None:
    [item] = parse(eml("laporan_baru")).messages
    assert (item.sender_id, item.sender_name) == ("siti.aminah@example.co.id", "Siti Aminah")
    assert item.external_id == FIRST_ID and item.subject == "Pencurian motor di Pasar Manggar"
    assert item.text.startswith("Pencurian motor di Pasar Manggar\n\nSelamat pagi")
    assert "BN 3456 KA" in item.text and "<div" not in item.text
    assert item.account_external_id == MAILBOX
    assert item.sent_at.isoformat() == "2025-11-21T09:12:05+07:00"


def test_parse_reply_cuts_quoted_history_and_keeps_photo() -> None:
    [item] = parse(eml("balasan_dengan_foto")).messages
    assert item.text == "Ini foto parkiran tempat motor saya hilang, Pak."
    assert item.data["in_reply_to"] == ["<posko.1.2@polres-beltim.example>"]
    assert item.data["references"][0] == FIRST_ID
    [photo] = item.media
    assert (photo.media_type, photo.mime_type, photo.filename) == (
        "image",
        "image/jpeg",
        "parkiran.jpg",
    )


def test_parse_html_only_and_automatic_replies() -> None:
    [item] = parse(eml("hanya_html")).messages
    assert "Lampu jalan di depan SD Gantung" in item.text and "color" not in item.text
    assert item.sender_name == "Rudi H."
    auto = parse(eml("balasan_otomatis"))
    assert auto.messages == [] and "otomatis" in auto.skipped[0]


def test_strip_quoted_variants() -> None:
    assert strip_quoted("Baik pak.\n\nOn Fri, 21 Nov 2025 Polres wrote:\n> halo") == "Baik pak."
    assert strip_quoted("Siap.\n-----Original Message-----\nFrom: x") == "Siap."
    assert strip_quoted("Terima kasih\n> kutipan\n>") == "Terima kasih"


@pytest.mark.django_db(transaction=True)
def test_poll_makes_aduan_threads_followup_and_dedups(
    email_account: ChannelAccount, imap: FakeImap
) -> None:
    imap.add(eml("laporan_baru"))
    imap.add(eml("balasan_otomatis"))
    assert do_poll_email(email_account.pk, reschedule=False) == "polled: 2 baru, 2 disimpan"
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.channel == "email" and aduan.reporter_email == "siti.aminah@example.co.id"
    assert aduan.reporter_name == "Siti Aminah" and aduan.category == "pencurian"
    conversation = Conversation.objects.get(aduan=aduan)
    assert conversation.subject == "Pencurian motor di Pasar Manggar"
    assert conversation.last_inbound_external_id == FIRST_ID
    email_account.refresh_from_db()
    assert email_account.cursor == "1:2"
    assert "LOGIN ***" in imap.commands and "EXAMINE" in imap.commands  # read-only

    # Nothing new: RFC 3501 "3:*" still answers the last UID; it is not fetched again.
    assert do_poll_email(email_account.pk, reschedule=False) == "polled: 0 baru, 0 disimpan"

    imap.add(eml("balasan_dengan_foto"))
    do_poll_email(email_account.pk, reschedule=False)
    run_tasks()
    assert Aduan.objects.count() == 1
    assert [m.text for m in aduan.messages.all()][-1] == (
        "Ini foto parkiran tempat motor saya hilang, Pak."
    )
    assert aduan.photos.count() == 1 and aduan.photos.get().width == 48
    assert ChannelMedia.objects.get().content_type == "image/jpeg"

    # The server renumbers the mailbox (new UIDVALIDITY): everything is fetched again and
    # dropped as duplicates by Message-ID.
    imap.rebuild(uidvalidity=7)
    assert do_poll_email(email_account.pk, reschedule=False) == "polled: 3 baru, 0 disimpan"
    run_tasks()
    assert InboundEvent.objects.count() == 3 and aduan.messages.count() == 2
    email_account.refresh_from_db()
    assert email_account.cursor == "7:3"


@pytest.mark.django_db(transaction=True)
def test_receipt_goes_by_smtp_in_the_thread(
    email_account: ChannelAccount, imap: FakeImap, smtp: FakeSmtp
) -> None:
    """A reporter who wrote by e-mail gets the tracking code and their own link, as a reply in
    the same thread; the officers' copy hides the key."""
    email_account.config = {**email_account.config, "reporter_receipt": True}
    email_account.save(update_fields=["config"])
    imap.add(eml("laporan_baru"))
    do_poll_email(email_account.pk, reschedule=False)
    run_tasks()
    aduan = Aduan.objects.get()
    [mail] = smtp.received
    sent = mail.message()
    assert mail.recipients == ["siti.aminah@example.co.id"]
    assert sent["In-Reply-To"] == FIRST_ID
    body = sent.get_content()
    assert aduan.code in body and f"/lapor/{aduan.code}/tambah/" in body
    assert "••••••" not in body
    [copy] = aduan.messages.filter(kind="public_reply")
    assert "••••••" in copy.text and aduan.code in copy.text


@pytest.mark.django_db(transaction=True)
def test_reply_goes_by_smtp_threaded(
    email_account: ChannelAccount,
    imap: FakeImap,
    smtp: FakeSmtp,
    officers: dict[str, Officer],
) -> None:
    imap.add(eml("laporan_baru"))
    do_poll_email(email_account.pk, reschedule=False)
    run_tasks()
    aduan = Aduan.objects.get()
    message = do_add_message(
        aduan,
        "Laporan diterima. Petugas Satreskrim akan menghubungi Anda hari ini.",
        public=True,
        acting_user=officers["operator"].user,
    )
    run_tasks()
    [mail] = smtp.received
    sent = mail.message()
    assert mail.recipients == ["siti.aminah@example.co.id"] and mail.sender == MAILBOX
    assert sent["To"] == "siti.aminah@example.co.id"
    assert sent["From"] == f"Polres Belitung Timur <{MAILBOX}>"
    assert sent["Subject"] == f"Re: Pencurian motor di Pasar Manggar [{aduan.code}]"
    assert sent["In-Reply-To"] == FIRST_ID and sent["References"] == FIRST_ID
    assert "Petugas Satreskrim" in sent.get_content()
    assert "AUTH" in smtp.commands
    delivery = OutboundDelivery.objects.get(message=message)
    assert (
        delivery.state == DeliveryState.SENT and delivery.external_id == sent["Message-ID"].strip()
    )
    message.refresh_from_db()
    assert message.delivery_state == "sent"

    # The citizen answers the reply: it joins the thread, and the next reply references
    # the whole chain.
    answer = eml("balasan_dengan_foto").replace(
        b"<posko.1.2@polres-beltim.example>", delivery.external_id.encode()
    )
    imap.add(answer)
    do_poll_email(email_account.pk, reschedule=False)
    run_tasks()
    assert aduan.messages.filter(kind="incoming").count() == 2
    do_add_message(aduan, "Foto diterima.", public=True, acting_user=officers["operator"].user)
    run_tasks()
    second = smtp.received[-1].message()
    assert second["In-Reply-To"] == "<CAHk7n2R5tq3=siti@mail.example.co.id>"
    assert second["References"].split() == [
        FIRST_ID,
        delivery.external_id,
        "<CAHk7n2R5tq3=siti@mail.example.co.id>",
    ]


@pytest.mark.django_db(transaction=True)
def test_smtp_refusals(
    email_account: ChannelAccount,
    imap: FakeImap,
    smtp: FakeSmtp,
    officers: dict[str, Officer],
) -> None:
    imap.add(eml("laporan_baru"))
    do_poll_email(email_account.pk, reschedule=False)
    run_tasks()
    aduan = Aduan.objects.get()
    operator = officers["operator"].user
    smtp.reject["siti.aminah@example.co.id"] = "451 4.7.1 Coba lagi nanti"
    first = do_add_message(aduan, "Balasan satu.", public=True, acting_user=operator)
    run_tasks()
    delivery = OutboundDelivery.objects.get(message=first)
    assert delivery.state == DeliveryState.PENDING and "451" in delivery.error
    assert delivery.next_attempt_at is not None

    smtp.reject["siti.aminah@example.co.id"] = "550 5.1.1 User unknown"
    second = do_add_message(aduan, "Balasan dua.", public=True, acting_user=operator)
    run_tasks()
    delivery = OutboundDelivery.objects.get(message=second)
    assert delivery.state == DeliveryState.FAILED and "550" in delivery.error
    assert smtp.received == []


@pytest.mark.django_db(transaction=True)
def test_imap_login_failure_keeps_the_chain(email_account: ChannelAccount, imap: FakeImap) -> None:
    imap.password = "sandi-baru"
    result = do_poll_email(email_account.pk)
    assert result.startswith("error: IMAP menolak") and "Invalid credentials" in result
    # The chain goes on (next run in poll_seconds); a second chain stops itself.
    assert do_poll_email(email_account.pk) == "another chain is running"
    assert DBTaskResult.objects.filter(task_path__endswith="poll_email").count() == 1
    email_account.is_active = False
    email_account.save()
    assert do_poll_email(email_account.pk, reschedule=False) == "inactive"


@pytest.mark.django_db(transaction=True)
def test_command_polls_once_or_starts_the_chain(
    email_account: ChannelAccount, imap: FakeImap
) -> None:
    from io import StringIO

    from django.core.management import call_command

    imap.add(eml("hanya_html"))
    out = StringIO()
    call_command("channels", "poll-email", email_account.slug, "--now", stdout=out)
    assert "1 baru" in out.getvalue()
    call_command("channels", "poll-email", email_account.slug, stdout=out)
    assert DBTaskResult.objects.filter(task_path__endswith="poll_email").count() == 1


@pytest.mark.django_db
def test_demo_account_from_environment(monkeypatch: pytest.MonkeyPatch, polres: Unit) -> None:
    from posko.channels.actions.accounts import configure_demo_accounts

    monkeypatch.setenv("POSKO_EMAIL_ADDRESS", MAILBOX)
    monkeypatch.setenv("POSKO_EMAIL_PASSWORD", "sandi-demo")
    monkeypatch.setenv("POSKO_EMAIL_IMAP_HOST", "imap.example")
    [account] = configure_demo_accounts(polres)
    assert (account.platform, account.slug) == ("email", "blt-email")
    assert account.config == {"imap_host": "imap.example"}
    assert account.credentials == {"imap_password": "sandi-demo", "smtp_password": "sandi-demo"}
