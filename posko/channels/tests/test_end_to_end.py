"""The acceptance round trip: the demo seeded with the channel environment variables pointing
at a local fake API; signed webhooks in; aduan visible through the JSON API; a redelivery and a
wrongly signed payload add nothing; an operator reply through the API reaches the fake platform
API as a correct send request; the delivery status webhook then shows in the thread."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from posko.api.actions import do_create_api_token
from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi, Reply, compact, fixture_json, meta_signature
from posko.core.testing import run_tasks
from posko.demo.seed import seed_demo

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

SECRET = "demo-app-secret"
WA_TOKEN = "EAAG-demo-token"
WA_PHONE = "106540352242922"
TG_TOKEN = "7000000002:AAdemo"
TG_SECRET = "demo_secret-token"
IG_ID = "17841400000000001"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, fake_api: FakeApi, db: None) -> Iterator[Client]:
    for name, value in {
        "POSKO_META_APP_SECRET": SECRET,
        "POSKO_META_VERIFY_TOKEN": "demo-verify",
        "POSKO_WHATSAPP_ACCESS_TOKEN": WA_TOKEN,
        "POSKO_WHATSAPP_PHONE_NUMBER_ID": WA_PHONE,
        "POSKO_GRAPH_API_BASE": fake_api.url + "/v23.0",
        "POSKO_TELEGRAM_BOT_TOKEN": TG_TOKEN,
        "POSKO_TELEGRAM_SECRET_TOKEN": TG_SECRET,
        "POSKO_TELEGRAM_API_BASE": fake_api.url,
        "POSKO_INSTAGRAM_ACCOUNT_ID": IG_ID,
        "POSKO_INSTAGRAM_ACCESS_TOKEN": "IGAA-demo",
        "POSKO_X_BEARER_TOKEN": "x-demo-bearer",
        "POSKO_X_API_BASE": fake_api.url,
    }.items():
        monkeypatch.setenv(name, value)
    seed_demo("sandi-demo-uji-123", with_sample_aduan=False)
    token = do_create_api_token(User.objects.get(username="operator"))
    yield Client(headers={"Authorization": f"Bearer {token}"})


def no_spacing(platform: str) -> None:
    """No spacing between the receipt and the reply to one citizen (tested elsewhere)."""
    for account in ChannelAccount.objects.filter(platform=platform):
        account.config = {**account.config, "pair_interval_seconds": 0}
        account.save(update_fields=["config"])


def api_list(api: Client, channel: str) -> list[dict[str, Any]]:
    response = api.get("/api/v1/aduan", {"channel": channel, "status": "semua"})
    assert response.status_code == 200
    return response.json()["items"]


def thread(api: Client, code: str) -> list[dict[str, Any]]:
    return api.get(f"/api/v1/aduan/{code}").json()["messages"]


def reply(api: Client, code: str, text: str) -> None:
    response = api.post(
        f"/api/v1/aduan/{code}/replies",
        json.dumps({"text": text, "internal": False}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def meta_post(client: Client, path: str, body: bytes, secret: str = SECRET) -> int:
    return client.post(
        path,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(secret, body)},
    ).status_code


@pytest.mark.django_db(transaction=True)
def test_whatsapp_round_trip(demo: Client, fake_api: FakeApi) -> None:
    web = Client()
    payload = fixture_json("whatsapp", "message__text")
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(
        int(datetime.now(UTC).timestamp())
    )
    body = compact(payload)
    no_spacing("whatsapp")
    ids = iter(["wamid.RECEIPT", "wamid.DEMO1"])
    fake_api.route(
        "POST",
        rf"/v23\.0/{WA_PHONE}/messages",
        lambda r: Reply(json={"messaging_product": "whatsapp", "messages": [{"id": next(ids)}]}),
    )
    assert meta_post(web, "/hooks/whatsapp/", body) == 200
    run_tasks()
    [item] = api_list(demo, "whatsapp")
    code = item["code"]
    assert meta_post(web, "/hooks/whatsapp/", body) == 200  # redelivered
    assert meta_post(web, "/hooks/whatsapp/", body.replace(b"Motor", b"Mobil"), secret="x") == 403
    run_tasks()
    assert len(api_list(demo, "whatsapp")) == 1
    # The message, then the receipt with the code and the (hidden) secret link.
    _incoming, receipt = thread(demo, code)
    assert code in receipt["text"] and "/tambah/••••••/" in receipt["text"]
    [receipt_sent] = fake_api.calls("POST", rf"/v23\.0/{WA_PHONE}/messages")
    assert f"/lapor/{code}/tambah/" in receipt_sent.json()["text"]["body"]

    reply(demo, code, "Laporan diterima, petugas Satreskrim akan menghubungi Anda.")
    run_tasks()
    _receipt, sent = fake_api.calls("POST", rf"/v23\.0/{WA_PHONE}/messages")
    assert sent.headers["Authorization"] == f"Bearer {WA_TOKEN}"
    assert sent.json()["to"] == "6281234567890" and sent.json()["type"] == "text"
    assert sent.json()["messaging_product"] == "whatsapp"
    assert thread(demo, code)[-1]["delivery_state"] == "sent"

    status = fixture_json("whatsapp", "status__delivered")
    status["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] = "wamid.DEMO1"
    assert meta_post(web, "/hooks/whatsapp/", compact(status)) == 200
    run_tasks()
    assert thread(demo, code)[-1]["delivery_state"] == "delivered"


@pytest.mark.django_db(transaction=True)
def test_telegram_round_trip(demo: Client, fake_api: FakeApi) -> None:
    web = Client()
    body = json.dumps(fixture_json("telegram", "message__text")).encode()
    hook = "/hooks/telegram/blt-telegram/"
    headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
    no_spacing("telegram")
    ok = fixture_json("telegram", "send_message__ok")
    ids = iter([201, 202])  # the receipt, then the reply
    fake_api.route(
        "POST",
        rf"/bot{TG_TOKEN}/sendMessage",
        lambda r: Reply(json={**ok, "result": {**ok["result"], "message_id": next(ids)}}),
    )
    assert web.post(hook, body, content_type="application/json", headers=headers).status_code == 200
    run_tasks()
    [item] = api_list(demo, "telegram")
    assert web.post(hook, body, content_type="application/json", headers=headers).status_code == 200
    bad = {"X-Telegram-Bot-Api-Secret-Token": "salah"}
    assert web.post(hook, body, content_type="application/json", headers=bad).status_code == 403
    run_tasks()
    assert len(api_list(demo, "telegram")) == 1 and len(thread(demo, item["code"])) == 2
    [receipt] = fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")
    assert f"/lapor/{item['code']}/tambah/" in receipt.json()["text"]

    reply(demo, item["code"], "Petugas Samapta menuju lokasi.")
    run_tasks()
    _receipt, sent = fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")
    assert sent.json() == {"chat_id": "523456789", "text": "Petugas Samapta menuju lokasi."}
    # Telegram has no delivery receipts for bots: "sent" is the final state.
    assert thread(demo, item["code"])[-1]["delivery_state"] == "sent"


@pytest.mark.django_db(transaction=True)
@time_machine.travel(datetime(2025, 11, 21, 8, 10, tzinfo=UTC))
def test_instagram_comment_round_trip(demo: Client, fake_api: FakeApi) -> None:
    web = Client()
    body = json.dumps(fixture_json("meta", "instagram__comment")).encode()
    fake_api.route("POST", r"/v23\.0/17865799348089039/replies", json={"id": "178900001"})
    assert meta_post(web, "/hooks/meta/", body) == 200
    run_tasks()
    [item] = api_list(demo, "instagram")
    assert meta_post(web, "/hooks/meta/", body) == 200
    assert meta_post(web, "/hooks/meta/", body, secret="salah") == 403
    run_tasks()
    assert len(api_list(demo, "instagram")) == 1
    # The public acknowledgement went out under the comment, and shows in the thread.
    assert len(fake_api.calls("POST", r"/v23\.0/17865799348089039/replies")) == 1

    seen = fixture_json("meta", "instagram__messaging_seen")
    mid = seen["entry"][0]["messaging"][0]["read"]["mid"]
    fake_api.route(
        "POST",
        rf"/v23\.0/{IG_ID}/messages",
        json={"recipient_id": "1789012345678901", "message_id": mid},
    )
    reply(demo, item["code"], "Mohon kirim lokasi persisnya lewat DM.")
    run_tasks()
    [sent] = fake_api.calls("POST", rf"/v23\.0/{IG_ID}/messages")
    assert sent.headers["Authorization"] == "Bearer IGAA-demo"
    assert sent.json()["recipient"] == {"comment_id": "17865799348089039"}
    assert meta_post(web, "/hooks/meta/", json.dumps(seen).encode()) == 200
    run_tasks()
    assert thread(demo, item["code"])[-1]["delivery_state"] == "read"
