"""Generic SMS gateway: signed inbound webhook, delivery reports, sending."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan
from posko.channels.actions.accounts import do_save_account
from posko.channels.models import ChannelAccount, InboundEvent, Platform
from posko.channels.testing import FakeApi, fixture_bytes, meta_signature
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

URL = "/hooks/sms/blt-sms/"


@pytest.fixture
def sms_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.SMS,
        external_id="+6271912345",
        slug="blt-sms",
        api_base=fake_api.url,
        credentials={"webhook_secret": "sms-rahasia", "api_key": "sms-key"},
    )


def post(client: Client, body: bytes, secret: str = "sms-rahasia") -> int:
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={"X-Posko-Signature": meta_signature(secret, body)},
    ).status_code


@pytest.mark.django_db(transaction=True)
def test_sms_round_trip(
    client: Client, sms_account: ChannelAccount, fake_api: FakeApi, officers: dict[str, Officer]
) -> None:
    body = fixture_bytes("sms", "message")
    assert post(client, body, "salah") == 403 and not InboundEvent.objects.exists()
    fake_api.route("POST", r"/messages", json={"id": "gw-0"})
    assert post(client, body) == 200 and post(client, body) == 200
    run_tasks()
    aduan = Aduan.objects.get()
    assert (aduan.channel, aduan.reporter_phone) == ("sms", "+6281277712345")
    [receipt] = fake_api.calls("POST", r"/messages")  # the code and the secret link
    assert f"/lapor/{aduan.code}/tambah/" in receipt.json()["text"]
    fake_api.route("POST", r"/messages", json={"id": "gw-1"})
    reply = do_add_message(
        aduan, "Laporan diterima.", public=True, acting_user=officers["operator"].user
    )
    run_tasks()
    sent = fake_api.calls("POST", r"/messages")[-1]
    assert sent.headers["Authorization"] == "Bearer sms-key"
    assert sent.json()["to"] == "+6281277712345" and sent.json()["text"] == "Laporan diterima."
    status = json.loads(fixture_bytes("sms", "status"))
    assert post(client, json.dumps(status).encode()) == 200
    run_tasks()
    reply.refresh_from_db()
    assert reply.delivery_state == "delivered"
