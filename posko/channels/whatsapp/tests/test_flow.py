"""WhatsApp through the real task worker: inbound → aduan/thread, media, statuses, replies
sent to a fake Graph API (retries, rate limits, 24-hour window)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from PIL import Image

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan, AduanMessage
from posko.channels.actions.outbound import do_retry_delivery
from posko.channels.conftest import APP_SECRET, WA_PHONE_ID, WA_TOKEN
from posko.channels.dispatch import ReplyNotAllowed
from posko.channels.models import (
    ChannelAccount,
    ChannelMedia,
    ChannelMessage,
    Conversation,
    EventState,
    InboundEvent,
    OutboundDelivery,
)
from posko.channels.testing import (
    FakeApi,
    compact,
    fixture_bytes,
    fixture_json,
    meta_signature,
)
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

SENT_ID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjAwT1VUR09JTkcwMDAwMDE="
SEND_PATH = rf"/v23\.0/{WA_PHONE_ID}/messages"


def deliver(client: Client, body: bytes) -> None:
    response = client.post(
        "/hooks/whatsapp/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=meta_signature(APP_SECRET, body),
    )
    assert response.status_code == 200, response.content
    run_tasks()


def fresh(name: str) -> bytes:
    """The fixture with a current timestamp (the 24-hour window counts from it)."""
    payload = fixture_json("whatsapp", name)
    for entry in payload["entry"]:
        for change in entry["changes"]:
            for message in change["value"].get("messages", []):
                message["timestamp"] = str(int(timezone.now().timestamp()))
    return compact(payload)


def sent_ok(fake_api: FakeApi, message_id: str = SENT_ID) -> None:
    fake_api.route(
        "POST",
        SEND_PATH,
        json={
            "messaging_product": "whatsapp",
            "contacts": [{"input": "6281234567890", "wa_id": "6281234567890"}],
            "messages": [{"id": message_id}],
        },
    )


@pytest.mark.django_db(transaction=True)
def test_text_becomes_aduan_and_followup_joins_thread(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    deliver(client, fresh("message__text"))
    aduan = Aduan.objects.get()
    assert (aduan.channel, aduan.category) == ("whatsapp", "pencurian")
    assert (aduan.reporter_name, aduan.reporter_phone) == ("Budi Santoso", "6281234567890")
    conversation = Conversation.objects.get(aduan=aduan)
    assert conversation.identity.external_id == "6281234567890"
    assert InboundEvent.objects.get().state == EventState.PROCESSED

    deliver(client, fresh("message__text_followup"))
    assert Aduan.objects.count() == 1
    assert [m.kind for m in aduan.messages.all()] == ["incoming", "incoming"]
    assert aduan.messages.last().text.startswith("Tambahan pak")  # type: ignore[union-attr]
    assert ChannelMessage.objects.filter(aduan=aduan).count() == 2


@pytest.mark.django_db(transaction=True)
def test_same_message_in_a_different_envelope_is_not_added_twice(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    body = fresh("message__text")
    deliver(client, body)
    deliver(client, body.replace(b'"entry"', b'"entry" ', 1))  # new bytes, same wamid
    assert InboundEvent.objects.count() == 2
    assert Aduan.objects.count() == 1 and AduanMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_image_is_fetched_from_graph_api_and_attached(
    client: Client, whatsapp_account: ChannelAccount, fake_api: FakeApi
) -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(jpeg, format="JPEG")
    fake_api.route(
        "GET",
        r"/v23\.0/1003383421387256",
        json={"url": fake_api.url + "/media/abc", "mime_type": "image/jpeg", "id": "x"},
    )
    fake_api.route(
        "GET", r"/media/abc", body=jpeg.getvalue(), headers={"Content-Type": "image/jpeg"}
    )
    deliver(client, fresh("message__image"))
    aduan = Aduan.objects.get()
    assert aduan.photos.count() == 1 and aduan.photos.get().width == 40
    assert ChannelMedia.objects.get().content_type == "image/jpeg"
    assert all(r.headers["Authorization"] == f"Bearer {WA_TOKEN}" for r in fake_api.requests)


@pytest.mark.django_db(transaction=True)
def test_media_download_failure_is_retried_not_lost(
    client: Client, whatsapp_account: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route("GET", r"/v23\.0/1003383421387259", status=500, json={"error": {"code": 2}})
    deliver(client, fresh("message__document"))
    # The aduan exists at once with its text; the document follows in the background.
    assert InboundEvent.objects.get().state == EventState.PROCESSED
    aduan = Aduan.objects.get()
    assert not ChannelMedia.objects.exists()
    fake_api.route(
        "GET", r"/v23\.0/1003383421387259", json={"url": fake_api.url + "/m/doc", "id": "d"}
    )
    fake_api.route("GET", r"/m/doc", body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        run_tasks()
    assert ChannelMedia.objects.get().message.aduan == aduan


@pytest.mark.django_db(transaction=True)
def test_reply_is_sent_and_statuses_update_thread(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    deliver(client, fresh("message__text"))
    aduan = Aduan.objects.get()
    sent_ok(fake_api)
    reply = do_add_message(
        aduan,
        "Baik Pak Budi, laporan diteruskan ke Satreskrim.",
        public=True,
        acting_user=officers["operator"].user,
    )
    assert reply.delivery_state == "pending"
    run_tasks()
    request = fake_api.calls("POST", SEND_PATH)[0]
    assert request.headers["Authorization"] == f"Bearer {WA_TOKEN}"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": False, "body": "Baik Pak Budi, laporan diteruskan ke Satreskrim."},
    }
    reply.refresh_from_db()
    assert reply.delivery_state == "sent"

    # Out of order: read arrives before delivered; delivered must not move it back.
    deliver(client, fixture_bytes("whatsapp", "status__read"))
    deliver(client, fixture_bytes("whatsapp", "status__delivered"))
    deliver(client, fixture_bytes("whatsapp", "status__failed"))
    reply.refresh_from_db()
    assert (reply.delivery_state, reply.delivery_error) == ("read", "")


@pytest.mark.django_db(transaction=True)
def test_failed_status_shows_platform_reason(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    deliver(client, fresh("message__text"))
    sent_ok(fake_api)
    reply = do_add_message(
        Aduan.objects.get(), "Mohon kirim foto.", public=True, acting_user=officers["operator"].user
    )
    run_tasks()
    deliver(client, fixture_bytes("whatsapp", "status__failed"))
    reply.refresh_from_db()
    assert reply.delivery_state == "failed" and "131047" in reply.delivery_error


@pytest.mark.django_db(transaction=True)
def test_status_before_send_commit_is_retried(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    deliver(client, fixture_bytes("whatsapp", "status__delivered"))
    event = InboundEvent.objects.get()
    assert event.state == EventState.RECEIVED and "belum dikenal" in event.error


@pytest.mark.django_db(transaction=True)
def test_rate_limit_429_is_retried_after_platform_delay(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    deliver(client, fresh("message__text"))
    sent_ok(fake_api)
    fake_api.route(
        "POST",
        SEND_PATH,
        times=1,
        status=429,
        headers={"Retry-After": "120"},
        json={"error": {"message": "(#130429) Rate limit hit", "code": 130429}},
    )
    reply = do_add_message(
        Aduan.objects.get(), "Terima kasih.", public=True, acting_user=officers["operator"].user
    )
    run_tasks()
    reply.refresh_from_db()
    delivery = OutboundDelivery.objects.get(message=reply)
    assert reply.delivery_state == "pending" and "130429" in reply.delivery_error
    assert delivery.attempts == 1
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=100)
    run_tasks()  # not due yet
    assert len(fake_api.calls("POST", SEND_PATH)) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=125)):
        run_tasks()
    reply.refresh_from_db()
    assert (reply.delivery_state, reply.delivery_error) == ("sent", "")
    assert len(fake_api.calls("POST", SEND_PATH)) == 2


@pytest.mark.django_db(transaction=True)
def test_permanent_error_fails_with_reason_and_can_be_retried(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    deliver(client, fresh("message__text"))
    fake_api.route(
        "POST",
        SEND_PATH,
        times=1,
        status=400,
        json={
            "error": {
                "message": "Invalid OAuth access token.",
                "type": "OAuthException",
                "code": 190,
                "fbtrace_id": "A1",
            }
        },
    )
    reply = do_add_message(
        Aduan.objects.get(), "Terima kasih.", public=True, acting_user=officers["operator"].user
    )
    run_tasks()
    reply.refresh_from_db()
    assert reply.delivery_state == "failed"
    assert "Token akses WhatsApp tidak valid" in reply.delivery_error
    assert "Invalid OAuth access token" in reply.delivery_error
    sent_ok(fake_api)
    do_retry_delivery(
        OutboundDelivery.objects.get(message=reply), acting_user=officers["operator"].user
    )
    run_tasks()
    reply.refresh_from_db()
    assert reply.delivery_state == "sent"


@pytest.mark.django_db(transaction=True)
def test_outside_24h_window_without_template_tells_operator(
    client: Client, whatsapp_account: ChannelAccount, officers: dict[str, Officer]
) -> None:
    deliver(client, fresh("message__text"))
    aduan = Aduan.objects.get()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        with pytest.raises(ReplyNotAllowed, match="24 jam"):
            do_add_message(aduan, "Halo?", public=True, acting_user=officers["operator"].user)
        api = Client()
        api.force_login(officers["operator"].user)
        from posko.api.actions import do_create_api_token

        token = do_create_api_token(officers["operator"].user)
        response = api.post(
            f"/api/v1/aduan/{aduan.code}/replies",
            json.dumps({"text": "Halo?", "internal": False}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 422 and "24 jam" in response.json()["message"]
    assert not aduan.messages.filter(kind="public_reply").exists()


@pytest.mark.django_db(transaction=True)
def test_outside_24h_window_uses_configured_template(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    whatsapp_account.config = {
        "window_template": {"name": "balasan_aduan", "language": "id"},
        "reporter_receipt": False,  # tested in channels/tests/test_receipts.py
    }
    whatsapp_account.save()
    deliver(client, fresh("message__text"))
    aduan = Aduan.objects.get()
    sent_ok(fake_api)
    with time_machine.travel(timezone.now() + timedelta(hours=30)):
        do_add_message(
            aduan, "Kasus sudah ditangani.", public=True, acting_user=officers["operator"].user
        )
        run_tasks()
    payload = fake_api.calls("POST", SEND_PATH)[0].json()
    assert payload["type"] == "template"
    assert payload["template"] == {
        "name": "balasan_aduan",
        "language": {"code": "id"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": aduan.code},
                    {"type": "text", "text": "Kasus sudah ditangani."},
                ],
            }
        ],
    }


@pytest.mark.django_db(transaction=True)
def test_pair_rate_limit_defers_second_message_to_same_citizen(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    deliver(client, fresh("message__text"))
    aduan = Aduan.objects.get()
    sent_ok(fake_api, "wamid.satu")
    do_add_message(aduan, "Pesan satu", public=True, acting_user=officers["operator"].user)
    run_tasks()
    sent_ok(fake_api, "wamid.dua")
    second = do_add_message(aduan, "Pesan dua", public=True, acting_user=officers["operator"].user)
    run_tasks()
    second.refresh_from_db()
    assert second.delivery_state == "pending" and len(fake_api.calls("POST", SEND_PATH)) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=7)):
        run_tasks()
    second.refresh_from_db()
    assert second.delivery_state == "sent"


@pytest.mark.django_db(transaction=True)
def test_reply_on_aduan_without_channel_link_is_marked_failed(
    officers: dict[str, Officer], polres: Unit
) -> None:
    from posko.aduan.actions import do_submit_aduan

    aduan = do_submit_aduan(
        polres,
        text="Laporan lewat WA pribadi petugas",
        channel="whatsapp",
        acting_user=officers["operator"].user,
    )
    reply = do_add_message(aduan, "Baik.", public=True, acting_user=officers["operator"].user)
    assert reply.delivery_state == "failed" and "tidak dapat dikirim" in reply.delivery_error
