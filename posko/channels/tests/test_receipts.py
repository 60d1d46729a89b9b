"""The receipt on the origin channel: a reporter who wrote privately (WhatsApp, Telegram, SMS,
an Instagram DM) gets the tracking code and their secret link, which works; the thread shows
it with the key hidden. A public comment never gets the link (nor the code) in public."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.models import Aduan
from posko.channels.actions.accounts import do_save_account
from posko.channels.conftest import APP_SECRET, TG_SECRET, TG_TOKEN, WA_PHONE_ID
from posko.channels.models import ChannelAccount, DeliveryKind, OutboundDelivery, Platform
from posko.channels.testing import (
    FakeApi,
    Reply,
    compact,
    fixture_bytes,
    fixture_json,
    meta_signature,
)
from posko.core.testing import run_tasks
from posko.org.models import Unit

pytestmark = pytest.mark.tasks

LINK = re.compile(r"http://127\.0\.0\.1:8000(/lapor/(?P<code>[A-Z0-9-]+)/tambah/(?P<key>[\w-]+)/)")


def _works(path: str) -> bool:
    return Client().get(path).status_code == 200


def _check_receipt(text: str, aduan: Aduan) -> None:
    assert f"kode {aduan.code}" in text
    found = LINK.search(text)
    assert found is not None and found["code"] == aduan.code, text
    assert _works(found[1])  # the link opens the reporter's page
    assert not _works(found[1].replace(found["key"], found["key"][:-2] + "xx"))
    [message] = aduan.messages.filter(kind="public_reply")
    assert found["key"] not in message.text and "tambah/••••••/" in message.text
    assert message.delivery_state == "sent"
    # Once sent, the stored copy of the receipt keeps the key hidden too: the database holds
    # no working link after it has reached the reporter.
    [delivery] = OutboundDelivery.objects.filter(message=message)
    assert delivery.state == "sent"
    assert found["key"] not in delivery.text and "tambah/••••••/" in delivery.text
    event = aduan.audit_events.get(action="notice_queued")
    assert event.data["event"] == "received"


@pytest.mark.django_db(transaction=True)
def test_whatsapp_receipt_carries_code_and_working_secret_link(
    client: Client, whatsapp_account: ChannelAccount, fake_api: FakeApi
) -> None:
    ChannelAccount.objects.filter(pk=whatsapp_account.pk).update(config={})  # the default: on
    path = rf"/v23\.0/{WA_PHONE_ID}/messages"
    ids = itertools.count(1)
    fake_api.route(
        "POST",
        path,
        lambda r: Reply(
            json={"messaging_product": "whatsapp", "messages": [{"id": f"w{next(ids)}"}]}
        ),
    )
    payload = fixture_json("whatsapp", "message__text")
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(
        int(timezone.now().timestamp())
    )
    body = compact(payload)
    headers = {"X-Hub-Signature-256": meta_signature(APP_SECRET, body)}
    assert (
        client.post(
            "/hooks/whatsapp/", body, content_type="application/json", headers=headers
        ).status_code
        == 200
    )
    run_tasks()
    aduan = Aduan.objects.get()
    [sent] = fake_api.calls("POST", path)
    assert sent.json()["to"] == "6281234567890" and sent.json()["type"] == "text"
    _check_receipt(sent.json()["text"]["body"], aduan)
    # A redelivered webhook sends no second receipt.
    assert (
        client.post(
            "/hooks/whatsapp/", body, content_type="application/json", headers=headers
        ).status_code
        == 200
    )
    run_tasks()
    assert len(fake_api.calls("POST", path)) == 1


@pytest.mark.django_db(transaction=True)
def test_telegram_receipt(
    client: Client, telegram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    ChannelAccount.objects.filter(pk=telegram_account.pk).update(config={})  # the default: on
    path = rf"/bot{TG_TOKEN}/sendMessage"
    fake_api.route("POST", path, json=fixture_json("telegram", "send_message__ok"))
    body = json.dumps(fixture_json("telegram", "message__text")).encode()
    response = client.post(
        "/hooks/telegram/blt-telegram/",
        body,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
    )
    assert response.status_code == 200
    run_tasks()
    aduan = Aduan.objects.get()
    [sent] = fake_api.calls("POST", path)
    assert sent.json()["chat_id"] == "523456789"
    _check_receipt(sent.json()["text"], aduan)


@pytest.mark.django_db(transaction=True)
def test_sms_receipt(client: Client, polres: Unit, fake_api: FakeApi) -> None:
    do_save_account(
        polres,
        Platform.SMS,
        external_id="+6271912345",
        slug="blt-sms",
        api_base=fake_api.url,
        credentials={"webhook_secret": "sms-rahasia", "api_key": "sms-key"},
    )
    fake_api.route("POST", r"/messages", json={"id": "gw-1"})
    body = fixture_bytes("sms", "message")
    response = client.post(
        "/hooks/sms/blt-sms/",
        body,
        content_type="application/json",
        headers={"X-Posko-Signature": meta_signature("sms-rahasia", body)},
    )
    assert response.status_code == 200
    run_tasks()
    aduan = Aduan.objects.get()
    [sent] = fake_api.calls("POST", r"/messages")
    assert sent.json()["to"] == "+6281277712345"
    _check_receipt(sent.json()["text"], aduan)


@pytest.mark.django_db(transaction=True)
def test_instagram_dm_gets_the_receipt_by_dm(
    client: Client, instagram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    ChannelAccount.objects.filter(pk=instagram_account.pk).update(config={})  # the default: on
    fake_api.route("POST", r"/v23\.0/\d+/messages", json={"recipient_id": "1", "message_id": "m1"})
    payload = fixture_json("meta", "instagram__message")
    payload["entry"][0]["messaging"][0]["timestamp"] = int(timezone.now().timestamp() * 1000)
    body = compact(payload)
    response = client.post(
        "/hooks/meta/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(APP_SECRET, body)},
    )
    assert response.status_code == 200
    run_tasks()
    aduan = Aduan.objects.get()
    [sent] = fake_api.calls("POST", r"/v23\.0/\d+/messages")
    assert "comment_id" not in sent.json()["recipient"]  # a DM, not a reply to a comment
    _check_receipt(sent.json()["message"]["text"], aduan)


@pytest.mark.django_db(transaction=True)
def test_public_comment_never_gets_the_link_or_the_code(
    client: Client, instagram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    # No spacing between messages to one citizen here (tested elsewhere).
    ChannelAccount.objects.filter(pk=instagram_account.pk).update(
        config={"pair_interval_seconds": 0}
    )
    fake_api.route("POST", r"/v23\.0/\d+/replies", json={"id": "17900000001"})
    fake_api.route("POST", r"/v23\.0/\d+/messages", json={"recipient_id": "1", "message_id": "m1"})
    body = json.dumps(fixture_json("meta", "instagram__comment")).encode()
    response = client.post(
        "/hooks/meta/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(APP_SECRET, body)},
    )
    assert response.status_code == 200
    run_tasks()
    aduan = Aduan.objects.get()
    [ack] = fake_api.calls("POST", r"/v23\.0/\d+/replies")  # the public acknowledgement only
    assert "/tambah/" not in ack.body.decode() and aduan.code not in ack.body.decode()
    assert fake_api.calls("POST", r"/v23\.0/\d+/messages") == []  # the private reply is kept
    assert not OutboundDelivery.objects.filter(text__contains="/tambah/").exists()
    assert [d.kind for d in OutboundDelivery.objects.all()] == [DeliveryKind.COMMENT_REPLY]
    assert not aduan.conversation.private_reply_used
