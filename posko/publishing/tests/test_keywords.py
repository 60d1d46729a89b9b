"""Subscription keywords through the channels' keyword hook: ``DAFTAR <desa>`` on WhatsApp
and SMS, ``/start`` on Telegram, ``BERHENTI``/``/stop`` at once; a keyword never becomes an
aduan, and the answer goes back to the sender through the fake platform API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from posko.aduan.models import Aduan
from posko.channels.actions.accounts import do_save_account
from posko.channels.actions.inbound import do_ingest_message
from posko.channels.base import Incoming
from posko.channels.conftest import TG_TOKEN
from posko.channels.models import ChannelAccount, ChannelMessage, OutboundDelivery, Platform
from posko.channels.testing import FakeApi, Reply
from posko.core.testing import run_tasks
from posko.org.models import Unit
from posko.publishing.models import Subscriber, SubscriberState
from posko.publishing.tests.conftest import WA_PHONE_ID
from posko.publishing.tests.helpers import run_tasks_at

pytestmark = pytest.mark.tasks

GANTUNG = "19.06.02.2001"


def wa(n: int, text: str) -> Incoming:
    return Incoming(
        platform="whatsapp",
        account_external_id=WA_PHONE_ID,
        external_id=f"wamid.KW{n}",
        sender_id="6281299990001",
        sender_phone="6281299990001",
        text=text,
    )


def tg(n: int, text: str) -> Incoming:
    return Incoming(
        platform="telegram",
        account_external_id=TG_TOKEN.split(":")[0],
        external_id=f"5550001:{n}",
        sender_id="5550001",
        sender_name="Warga Gantung",
        text=text,
    )


@pytest.mark.django_db(transaction=True)
def test_whatsapp_daftar_subscribes_berhenti_stops_and_neither_becomes_an_aduan(
    polres: Unit, wa_alerts: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route(
        "POST", rf"/v23.0/{WA_PHONE_ID}/messages", json={"messages": [{"id": "wamid.R1"}]}
    )
    assert do_ingest_message(wa_alerts, wa(1, "DAFTAR Gantung"), None) == "keyword subscribed"
    subscriber = Subscriber.objects.get()
    assert subscriber.address == "+6281299990001" and subscriber.desa is not None
    assert subscriber.desa.code == GANTUNG and subscriber.state == SubscriberState.ACTIVE
    assert subscriber.channel == "whatsapp"
    assert do_ingest_message(wa_alerts, wa(2, "Berhenti"), None) == "keyword unsubscribed"
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    assert not Aduan.objects.exists()
    assert set(ChannelMessage.objects.values_list("state", flat=True)) == {"keyword"}
    deliveries = list(OutboundDelivery.objects.order_by("pk"))
    assert [d.recipient for d in deliveries] == ["6281299990001", "6281299990001"]
    run_tasks()  # the second answer waits for the per-recipient spacing (6 s on WhatsApp)
    replies = fake_api.calls("POST", rf"/v23.0/{WA_PHONE_ID}/messages")
    assert replies[0].json()["to"] == "6281299990001"
    assert "Desa Gantung" in replies[0].json()["text"]["body"]
    assert OutboundDelivery.objects.order_by("pk").first().state == "sent"  # type: ignore[union-attr]
    # An ordinary message is not a keyword: it becomes an aduan as before.
    assert do_ingest_message(wa_alerts, wa(3, "Ada pencurian motor di Gantung"), None).startswith(
        "aduan"
    )


@pytest.mark.django_db(transaction=True)
def test_telegram_start_with_and_without_desa_and_stop(
    polres: Unit, telegram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route(
        "POST",
        rf"/bot{TG_TOKEN}/sendMessage",
        json={"ok": True, "result": {"message_id": 77}},
    )
    assert do_ingest_message(telegram_account, tg(1, "/start"), None) == "keyword needs desa"
    assert not Subscriber.objects.exists()
    assert do_ingest_message(telegram_account, tg(2, "/start 1906022001"), None) == (
        "keyword subscribed"
    )
    subscriber = Subscriber.objects.get()
    assert (subscriber.channel, subscriber.address) == ("telegram", "5550001")
    assert subscriber.desa is not None and subscriber.desa.code == GANTUNG
    assert do_ingest_message(telegram_account, tg(3, "DAFTAR Desa Entah"), None) == (
        "keyword unknown desa"
    )
    assert do_ingest_message(telegram_account, tg(4, "/stop"), None) == "keyword unsubscribed"
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    assert not Aduan.objects.exists()
    answers = list(OutboundDelivery.objects.order_by("pk").values_list("recipient", "text"))
    assert [r for r, _t in answers] == ["5550001"] * 4
    assert "DAFTAR" in answers[0][1] and "Gantung" in answers[1][1]
    run_tasks()  # one now, the others after the per-chat spacing
    sent = fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")
    assert sent[0].json() == {"chat_id": "5550001", "text": answers[0][1]}


@pytest.mark.django_db(transaction=True)
def test_sms_daftar_and_berhenti(polres: Unit, fake_api: FakeApi) -> None:
    sms = do_save_account(
        polres,
        Platform.SMS,
        external_id="+6281100000000",
        slug="blt-sms",
        api_base=fake_api.url,
        credentials={"api_key": "sms-uji", "webhook_secret": "rahasia-sms"},
    )
    fake_api.route("POST", r"/messages", json={"id": "sms-1"})

    def text(n: int, body: str) -> Incoming:
        return Incoming(
            platform="sms",
            account_external_id="+6281100000000",
            external_id=f"sms-in-{n}",
            sender_id="+6281277770001",
            sender_phone="+6281277770001",
            text=body,
        )

    assert do_ingest_message(sms, text(1, "daftar gantung"), None) == "keyword subscribed"
    assert Subscriber.objects.get().channel == "sms"
    assert do_ingest_message(sms, text(2, "BERHENTI"), None) == "keyword unsubscribed"
    assert Subscriber.objects.get().state == SubscriberState.UNSUBSCRIBED
    assert not Aduan.objects.exists()
    run_tasks()
    assert fake_api.calls("POST", r"/messages")[0].json()["to"] == "+6281277770001"


@pytest.mark.django_db(transaction=True)
def test_telegram_start_then_a_warning_reaches_the_chat(
    polres: Unit, wa_alerts: ChannelAccount, telegram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    from posko.publishing.actions.alert_copies import copy_counts
    from posko.publishing.actions.alerts import do_create_alert
    from posko.publishing.models import Alert
    from posko.publishing.tests.test_alerts import whatsapp_fake
    from posko.regions.models import Region

    whatsapp_fake(fake_api)
    counter = iter(range(100, 200))
    fake_api.route(
        "POST",
        rf"/bot{TG_TOKEN}/sendMessage",
        lambda r: Reply(json={"ok": True, "result": {"message_id": next(counter)}}),
    )
    do_ingest_message(telegram_account, tg(1, "/start Gantung"), None)
    other = Incoming(
        platform="telegram",
        account_external_id=TG_TOKEN.split(":")[0],
        external_id="5550002:1",
        sender_id="5550002",
        text="/start Lenggang",
    )
    do_ingest_message(telegram_account, other, None)
    run_tasks()
    fake_api.requests.clear()
    text = "Waspada curanmor di Desa Gantung malam ini. Kunci ganda kendaraan Anda."
    alert = do_create_alert(
        polres, wa_alerts, text=text, desa=[Region.objects.get(code=GANTUNG)], acting_user=None
    )
    run_tasks_at(timezone.now() + timedelta(seconds=10))  # past the per-chat spacing
    sent = fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")
    assert [r.json() for r in sent] == [{"chat_id": "5550001", "text": text}]
    counts = copy_counts(Alert.objects.get(pk=alert.pk))
    assert counts == {"sent": 1, "failed": 0, "pending": 0, "total": 1}
