from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from posko.aduan.models import Aduan
from posko.channels.conftest import TG_SECRET, TG_TOKEN
from posko.channels.models import ChannelAccount, EventState, InboundEvent
from posko.channels.testing import FakeApi, fixture_bytes
from posko.org.models import Unit


def run(*args: str) -> str:
    out = StringIO()
    call_command("channels", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_add_list_and_encrypted_credentials(polres: Unit) -> None:
    run("add", "BLT", "sms", "+62719", "--slug", "blt-sms", "--credential", "api_key=rahasia-sms")
    account = ChannelAccount.objects.get(slug="blt-sms")
    assert "rahasia-sms" not in account.credentials_encrypted
    assert account.credentials == {"api_key": "rahasia-sms"}
    assert "blt-sms" in run("list")


@pytest.mark.django_db
def test_telegram_set_webhook(telegram_account: ChannelAccount, fake_api: FakeApi) -> None:
    fake_api.route(
        "POST",
        rf"/bot{TG_TOKEN}/setWebhook",
        json={"ok": True, "result": True, "description": "Webhook was set"},
    )
    assert "Webhook was set" in run(
        "telegram-set-webhook", "blt-telegram", "--base-url", "https://posko.example.id"
    )
    assert fake_api.requests[0].json() == {
        "url": "https://posko.example.id/hooks/telegram/blt-telegram/",
        "secret_token": TG_SECRET,
        "allowed_updates": ["message"],
        "drop_pending_updates": False,
    }


@pytest.mark.django_db(transaction=True)
def test_replay_failed_event(client: Client, telegram_account: ChannelAccount) -> None:
    client.post(
        "/hooks/telegram/blt-telegram/",
        fixture_bytes("telegram", "message__text"),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
    )
    InboundEvent.objects.update(state=EventState.FAILED)
    assert "processed" in run("replay", "--failed", "--now")
    assert Aduan.objects.count() == 1
    run("replay", "--failed", "--now")
    assert "processed" in run("replay", str(InboundEvent.objects.get().pk), "--now")
    assert Aduan.objects.count() == 1  # replay never duplicates


@pytest.mark.django_db(transaction=True)
def test_poll_tags(instagram_account: ChannelAccount, fake_api: FakeApi) -> None:
    from django_tasks_db.models import DBTaskResult

    fake_api.route("GET", r"/v23\.0/17841400000000001/tags", json={"data": []})
    assert run("poll-tags", "blt-instagram", "--now") == "polled: baru\n"
    assert run("poll-tags", "blt-instagram").startswith("Polling tag dimulai")
    assert DBTaskResult.objects.filter(task_path__endswith="poll_tagged").count() == 1
