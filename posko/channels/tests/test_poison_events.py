"""Poison input: text no database can store (lone UTF-16 surrogates, NUL) is cleaned at the
edge, and an event that keeps failing is capped, marked failed and replayable (issue 11)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from posko.aduan.models import Aduan
from posko.channels.actions import inbound
from posko.channels.actions.inbound import EVENT_LEASE, MAX_EVENT_ATTEMPTS
from posko.channels.conftest import APP_SECRET
from posko.channels.models import ChannelAccount, EventState, InboundEvent
from posko.channels.testing import fixture_json, meta_signature
from posko.core.testing import run_tasks

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks


def _signed_text(client: Client, text_json: str, name_json: str) -> int:
    payload = fixture_json("whatsapp", "message__text")
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"][0]["timestamp"] = str(int(timezone.now().timestamp()))
    raw = json.dumps(payload)
    raw = raw.replace(json.dumps(value["messages"][0]["text"]["body"]), text_json, 1)
    raw = raw.replace(json.dumps(value["contacts"][0]["profile"]["name"]), name_json, 1)
    body = raw.encode()
    return client.post(
        "/hooks/whatsapp/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(APP_SECRET, body)},
    ).status_code


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("text_json", "name_json"),
    [
        ('"tolong ada maling di pasar Manggar \\ud800 sekarang"', '"Budi \\udfff"'),
        ('"tolong ada maling di pasar Manggar \\u0000 sekarang"', '"Budi\\u0000"'),
        ('"tolong ada maling di pasar Manggar \\ud83d\\ude4f"', '"Budi"'),
    ],
)
def test_unstorable_characters_are_cleaned_at_the_edge(
    client: Client, whatsapp_account: ChannelAccount, text_json: str, name_json: str
) -> None:
    assert _signed_text(client, text_json, name_json) == 200
    run_tasks()
    event = InboundEvent.objects.get()
    assert event.state == EventState.PROCESSED, event.error
    aduan = Aduan.objects.get()
    assert "maling di pasar Manggar" in aduan.text
    assert "\x00" not in aduan.text and "\x00" not in aduan.reporter_name
    aduan.text.encode("utf-8")  # no lone surrogate left
    aduan.reporter_name.encode("utf-8")
    if "ude4f" in text_json:
        assert "\U0001f64f" in aduan.text  # a real surrogate pair is an emoji, kept


@pytest.mark.django_db(transaction=True)
def test_an_event_that_keeps_failing_is_capped_failed_and_replayable(
    client: Client, whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def broken(*args: object, **kwargs: object) -> str:
        calls.append(1)
        raise RuntimeError("bug in processing")

    monkeypatch.setattr(inbound, "do_ingest_message", broken)
    assert _signed_text(client, '"ada maling di pasar"', '"Budi"') == 200
    start = timezone.now()
    for step in range(MAX_EVENT_ATTEMPTS + 3):
        # Every retry (backoff) and watchdog run (lease) that is due by then.
        with time_machine.travel(start + step * (EVENT_LEASE + timedelta(minutes=1)), tick=False):
            run_tasks()
    event = InboundEvent.objects.get()
    assert event.state == EventState.FAILED
    assert "bug in processing" in event.error
    assert len(calls) <= MAX_EVENT_ATTEMPTS
    monkeypatch.undo()
    out = StringIO()
    call_command("channels", "replay", "--failed", "--now", stdout=out)
    event.refresh_from_db()
    assert event.state == EventState.PROCESSED
    assert Aduan.objects.count() == 1
