"""Signature checks, handshake, redelivery and database failure at /hooks/whatsapp/."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from posko.channels.conftest import APP_SECRET, VERIFY_TOKEN
from posko.channels.models import ChannelAccount, InboundEvent
from posko.channels.testing import drain_queued, fixture_bytes, meta_signature

URL = "/hooks/whatsapp/"


def post(client: Client, body: bytes, signature: str | None) -> int:
    headers = {"X-Hub-Signature-256": signature} if signature is not None else {}
    return client.post(URL, body, content_type="application/json", headers=headers).status_code


def stored() -> tuple[int, int]:
    return InboundEvent.objects.count(), DBTaskResult.objects.count()


@pytest.mark.django_db
def test_handshake(client: Client, whatsapp_account: ChannelAccount) -> None:
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": ""}
    ok = client.get(URL, {**params, "hub.verify_token": VERIFY_TOKEN})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    assert client.get(URL, {**params, "hub.verify_token": "salah"}).status_code == 403
    assert client.get(URL, {**params, "hub.mode": "unsubscribe"}).status_code == 403
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_valid_signature_stores_event_and_task(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    body = fixture_bytes("whatsapp", "message__text")
    assert post(client, body, meta_signature(APP_SECRET, body)) == 200
    event = InboundEvent.objects.get()
    assert bytes(event.body) == body and event.platform == "whatsapp"
    assert event.headers["X-Hub-Signature-256"].startswith("sha256=")
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("drain_inbound_events")  # the drain that will take it
    assert drain_queued()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", ["missing", "garbage", "wrong_secret", "altered_body", "no_prefix", "empty"]
)
def test_bad_signatures_are_refused_and_store_nothing(
    client: Client, whatsapp_account: ChannelAccount, case: str
) -> None:
    body = fixture_bytes("whatsapp", "message__text")
    good = meta_signature(APP_SECRET, body)
    signature: str | None = {
        "missing": None,
        "garbage": "sha256=deadbeef",
        "wrong_secret": meta_signature("rahasia-lain", body),
        "altered_body": good,
        "no_prefix": good.removeprefix("sha256="),
        "empty": "",
    }[case]
    if case == "altered_body":
        body = body.replace(b"Manggar", b"Mangga ", 1)  # one byte different
        assert len(body) == len(fixture_bytes("whatsapp", "message__text"))
    assert post(client, body, signature) == 403
    assert stored() == (0, 0)


@pytest.mark.django_db
def test_no_accounts_means_nothing_verifies(client: Client) -> None:
    body = fixture_bytes("whatsapp", "message__text")
    assert post(client, body, meta_signature(APP_SECRET, body)) == 403
    assert stored() == (0, 0)


@pytest.mark.django_db
def test_redelivery_is_acknowledged_once(client: Client, whatsapp_account: ChannelAccount) -> None:
    body = fixture_bytes("whatsapp", "message__text")
    for _ in range(3):
        assert post(client, body, meta_signature(APP_SECRET, body)) == 200
    assert stored() == (1, 1)


@pytest.mark.django_db
def test_signed_but_not_whatsapp_payload_is_refused(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    for body in (b"not json", b"[1,2]", json.dumps({"object": "page", "entry": []}).encode()):
        assert post(client, body, meta_signature(APP_SECRET, body)) == 400
    assert stored() == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_database_failure_answers_503_and_stores_nothing(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    body = fixture_bytes("whatsapp", "message__text")

    def fail_on_insert(execute, sql, params, many, context):
        # (On PostgreSQL the event and its task are one ``WITH … INSERT`` statement.)
        if "INSERT" in sql.upper() and DBTaskResult._meta.db_table in sql:
            raise OperationalError("database is down")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_insert):
        assert post(client, body, meta_signature(APP_SECRET, body)) == 503
    assert stored() == (0, 0)  # the event insert was rolled back with the task insert
    # The platform retries later and the event is taken.
    assert post(client, body, meta_signature(APP_SECRET, body)) == 200
    assert stored() == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_another_tenants_secret_cannot_deliver_into_this_account(
    client: Client, whatsapp_account: ChannelAccount, other_polres: object
) -> None:
    """The admin of another Polres registers a WhatsApp account with a secret of their own
    and signs an event naming Polres Belitung Timur's phone_number_id: nothing reaches it."""
    from posko.aduan.models import Aduan
    from posko.channels.actions.accounts import do_save_account
    from posko.channels.models import EventState, Platform
    from posko.core.testing import run_tasks

    do_save_account(
        other_polres,  # type: ignore[arg-type]
        Platform.WHATSAPP,
        external_id="999999999999999",
        slug="blg-whatsapp",
        credentials={"app_secret": "rahasia-polres-lain", "verify_token": "x", "access_token": "y"},
    )
    body = fixture_bytes("whatsapp", "message__text")
    assert json.loads(body)["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] == (
        whatsapp_account.external_id
    )
    # The forged event verifies against *some* account, so it is stored …
    assert post(client, body, meta_signature("rahasia-polres-lain", body)) == 200
    run_tasks()
    # … but the account it names did not sign it: no aduan, a note on the event.
    assert not Aduan.objects.exists()
    event = InboundEvent.objects.get()
    assert event.state == EventState.PROCESSED and "akun tidak dikenal" in event.error
    # The same body signed by the receiving account's own secret is delivered.
    InboundEvent.objects.all().delete()
    assert post(client, body, meta_signature(APP_SECRET, body)) == 200
    run_tasks()
    assert Aduan.objects.count() == 1
