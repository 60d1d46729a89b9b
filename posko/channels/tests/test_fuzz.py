"""Property-based fuzzing of every webhook: malformed input never gives a 500 and never leaves
a partial record (an event is stored with its task, or nothing is stored)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posko.channels.conftest import APP_SECRET, TG_SECRET
from posko.channels.models import ChannelAccount, InboundEvent
from posko.channels.testing import drain_queued, fixture_json, meta_signature

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def mutate(base: Any, data: st.DataObject) -> bytes:
    """A recorded payload with random parts replaced, or random bytes/JSON."""
    choice = data.draw(st.integers(0, 2))
    if choice == 0:
        return data.draw(st.binary(max_size=300))
    if choice == 1:
        return json.dumps(data.draw(json_values)).encode()
    payload = json.loads(json.dumps(base))
    node = payload
    for _ in range(data.draw(st.integers(1, 6))):
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
            if data.draw(st.booleans()):
                node[key] = data.draw(json_values)
                break
            node = node[key]
        elif isinstance(node, list) and node:
            node = node[0]
    return json.dumps(payload).encode()


def check(status: int, before: tuple[int, int]) -> None:
    assert status in (200, 400, 403), status
    events, tasks = InboundEvent.objects.count(), DBTaskResult.objects.count()
    if events > before[0]:
        assert drain_queued()  # never an event without a drain that will process it
    if status != 200:
        assert (events, tasks) == before


def counts() -> tuple[int, int]:
    return InboundEvent.objects.count(), DBTaskResult.objects.count()


FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_fuzz_meta_webhooks(
    client: Client,
    whatsapp_account: ChannelAccount,
    instagram_account: ChannelAccount,
    data: st.DataObject,
) -> None:
    name = data.draw(
        st.sampled_from(
            [
                "whatsapp/message__text",
                "whatsapp/status__read",
                "meta/instagram__comment",
                "meta/facebook__feed_comment",
            ]
        )
    )
    folder, fixture = name.split("/")
    body = mutate(fixture_json(folder, fixture), data)
    path = data.draw(st.sampled_from(["/hooks/whatsapp/", "/hooks/meta/"]))
    signed = data.draw(st.booleans())
    headers = {"X-Hub-Signature-256": meta_signature(APP_SECRET, body)} if signed else {}
    before = counts()
    status = client.post(path, body, content_type="application/json", headers=headers).status_code
    check(status, before)
    if not signed:
        assert status == 403


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_fuzz_telegram_webhook(
    client: Client, telegram_account: ChannelAccount, data: st.DataObject
) -> None:
    body = mutate(fixture_json("telegram", "message__text"), data)
    before = counts()
    status = client.post(
        "/hooks/telegram/blt-telegram/",
        body,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
    ).status_code
    check(status, before)


@pytest.mark.django_db
@FUZZ
@given(body=st.binary(max_size=200))
def test_fuzz_parsers_never_crash(body: bytes) -> None:
    from posko.channels.base import MalformedEvent
    from posko.channels.registry import MODULES, adapter_for

    for platform in MODULES:
        with contextlib.suppress(MalformedEvent):
            adapter_for(platform).parse(body)
