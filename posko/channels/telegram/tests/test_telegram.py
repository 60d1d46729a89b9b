"""Telegram: parsing recorded updates, the secret-token header, the round trip through the
task worker and a fake Bot API (sendMessage, 429 retry_after, blocked bot)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan
from posko.channels.conftest import TG_SECRET, TG_TOKEN
from posko.channels.models import ChannelAccount, InboundEvent, OutboundDelivery
from posko.channels.telegram import adapter
from posko.channels.testing import FakeApi, fixture_bytes, fixture_json
from posko.core.testing import run_tasks
from posko.org.models import Officer

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

URL = "/hooks/telegram/blt-telegram/"
SEND = rf"/bot{TG_TOKEN}/sendMessage"


def post(client: Client, body: bytes, secret: str | None = TG_SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post(URL, body, content_type="application/json", headers=headers).status_code


def test_parse_text_photo_location_contact() -> None:
    text = adapter.parse(fixture_bytes("telegram", "message__text")).messages[0]
    assert (text.external_id, text.sender_id, text.sender_name, text.sender_username) == (
        "523456789:101",
        "523456789",
        "Siti Aminah",
        "siti_aminah",
    )
    photo = adapter.parse(fixture_bytes("telegram", "message__photo")).messages[0]
    assert [m.ref for m in photo.media] == ["AgACAgUAAxkBAAODYV3aLarge"]  # the largest size
    assert photo.text.startswith("Pohon tumbang")
    location = adapter.parse(fixture_bytes("telegram", "message__location")).messages[0]
    assert (location.latitude, location.longitude) == (Decimal("-2.878103"), Decimal("108.288612"))
    contact = adapter.parse(fixture_bytes("telegram", "message__contact")).messages[0]
    assert contact.sender_phone == "+6281298765432" and "Siti Aminah" in contact.text


@pytest.mark.parametrize("name", ["message__group_text", "edited_message"])
def test_groups_and_edits_are_skipped(name: str) -> None:
    parsed = adapter.parse(fixture_bytes("telegram", name))
    assert parsed.messages == [] and parsed.skipped


@pytest.mark.django_db
@pytest.mark.parametrize("secret", [None, "", "salah", TG_SECRET + "x", TG_SECRET.upper()])
def test_wrong_or_missing_secret_token_is_refused(
    client: Client, telegram_account: ChannelAccount, secret: str | None
) -> None:
    assert post(client, fixture_bytes("telegram", "message__text"), secret) == 403
    assert not InboundEvent.objects.exists()


@pytest.mark.django_db
def test_unknown_bot_path_is_refused(client: Client, telegram_account: ChannelAccount) -> None:
    response = client.post(
        "/hooks/telegram/bot-lain/",
        fixture_bytes("telegram", "message__text"),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
    )
    assert response.status_code == 403 and not InboundEvent.objects.exists()


@pytest.mark.django_db
def test_update_id_redelivery_is_stored_once(
    client: Client, telegram_account: ChannelAccount
) -> None:
    body = fixture_bytes("telegram", "message__text")
    assert post(client, body) == 200
    assert post(client, body.replace(b"\n", b" ")) == 200  # same update_id, other bytes
    assert InboundEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_round_trip_with_retry_after_and_blocked_bot(
    client: Client,
    telegram_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    assert post(client, fixture_bytes("telegram", "message__text")) == 200
    run_tasks()
    aduan = Aduan.objects.get()
    assert (aduan.channel, aduan.reporter_name) == ("telegram", "Siti Aminah")
    assert post(client, fixture_bytes("telegram", "message__text_followup")) == 200
    run_tasks()
    assert aduan.messages.count() == 2

    fake_api.route("POST", SEND, json=fixture_json("telegram", "send_message__ok"))
    fake_api.route(
        "POST", SEND, times=1, status=429, json=fixture_json("telegram", "send_message__429")
    )
    reply = do_add_message(
        aduan, "Petugas menuju lokasi.", public=True, acting_user=officers["operator"].user
    )
    run_tasks()
    reply.refresh_from_db()
    assert reply.delivery_state == "pending" and "retry after 7" in reply.delivery_error
    delivery = OutboundDelivery.objects.get(message=reply)
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at >= timezone.now() + timedelta(seconds=6)
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        run_tasks()
    reply.refresh_from_db()
    assert reply.delivery_state == "sent"
    sent = fake_api.calls("POST", SEND)[-1].json()
    assert sent == {"chat_id": "523456789", "text": "Petugas menuju lokasi."}

    fake_api.route("POST", SEND, status=403, json=fixture_json("telegram", "send_message__403"))
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        blocked = do_add_message(aduan, "Halo?", public=True, acting_user=officers["operator"].user)
        run_tasks()
    blocked.refresh_from_db()
    assert blocked.delivery_state == "failed"
    assert blocked.delivery_error == "Telegram: Forbidden: bot was blocked by the user"


@pytest.mark.django_db(transaction=True)
def test_photo_is_downloaded_with_get_file(
    client: Client, telegram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(png, format="PNG")
    fake_api.route(
        "POST",
        rf"/bot{TG_TOKEN}/getFile",
        json={"ok": True, "result": {"file_id": "x", "file_path": "photos/file_1.png"}},
    )
    fake_api.route("GET", rf"/file/bot{TG_TOKEN}/photos/file_1\.png", body=png.getvalue())
    assert post(client, fixture_bytes("telegram", "message__photo")) == 200
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.photos.get().width == 20
    assert fake_api.calls("POST", rf"/bot{TG_TOKEN}/getFile")[0].json() == {
        "file_id": "AgACAgUAAxkBAAODYV3aLarge"
    }
