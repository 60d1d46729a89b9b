"""The webhook hot path: the middleware short-cut, the cache of decrypted account secrets, and
the single-statement store (PostgreSQL) with its equivalence to the ORM path."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, OperationalError, connection, connections, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from posko.channels import webhooks
from posko.channels.actions import store
from posko.channels.actions.accounts import do_save_account
from posko.channels.conftest import APP_SECRET
from posko.channels.models import ChannelAccount, EventState, InboundEvent, Platform
from posko.channels.tasks import PROCESSING_PRIORITY
from posko.channels.testing import compact, drain_queued, fixture_json, meta_signature
from posko.core.testing import run_tasks

URL = "/hooks/whatsapp/"


def message(n: int) -> bytes:
    payload = fixture_json("whatsapp", "message__text")
    item = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    item["id"] = f"wamid.FAST{n}"
    item["from"] = item["from"][:-3] + f"{n:03d}"
    item["timestamp"] = str(int(timezone.now().timestamp()))
    return compact(payload)


def post(client: Client, body: bytes, secret: str = APP_SECRET) -> Any:
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(secret, body)},
    )


@pytest.mark.django_db
def test_webhooks_skip_the_middleware_and_other_urls_do_not(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    hook = post(client, message(1))
    assert hook.status_code == 200 and hook.json() == {"status": "ok"}
    assert hook["Content-Length"] == str(len(hook.content))  # not chunked
    assert "Content-Security-Policy" not in hook  # SecurityHeadersMiddleware did not run
    lean = client.post("/hooks/ping/lean/")
    assert lean.status_code == 204 and "Content-Security-Policy" not in lean
    # The bare Django endpoint and unknown /hooks/ URLs take the full stack.
    assert "Content-Security-Policy" in client.post("/hooks/ping/")
    assert client.get("/hooks/tidak-ada/").status_code == 404
    evil = client.post(URL, b"{}", content_type="application/json", HTTP_HOST="evil.example")
    assert evil.status_code == 400


@pytest.mark.django_db
def test_cache_sees_a_secret_changed_in_this_process_at_once(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    assert post(client, message(1)).status_code == 200  # snapshot loaded
    do_save_account(
        whatsapp_account.polres,
        Platform.WHATSAPP,
        external_id=whatsapp_account.external_id,
        credentials={"app_secret": "rahasia-baru"},
    )
    assert post(client, message(2)).status_code == 403
    assert post(client, message(3), secret="rahasia-baru").status_code == 200


@pytest.mark.django_db
def test_cache_and_changes_made_by_another_process(
    client: Client, whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert post(client, message(1)).status_code == 200
    # Another process (the console) rotates the secret: no signal reaches this one.
    rotated = ChannelAccount(pk=whatsapp_account.pk)
    rotated.set_credentials({"app_secret": "rahasia-baru", "verify_token": "v"})
    ChannelAccount.objects.filter(pk=rotated.pk).update(
        credentials_encrypted=rotated.credentials_encrypted
    )
    # Within MISS_RELOAD of the last load a failed check does not reload (a forged flood
    # costs no queries) ...
    assert post(client, message(2), secret="rahasia-baru").status_code == 403
    # ... after it, a request signed with the new secret reloads the snapshot and passes.
    monkeypatch.setattr(webhooks.AccountCache, "MISS_RELOAD", 0.0)
    assert post(client, message(3), secret="rahasia-baru").status_code == 200
    assert post(client, message(4)).status_code == 403  # old secret gone with that reload
    # A disabled account stops verifying once the snapshot is older than TTL.
    ChannelAccount.objects.filter(pk=rotated.pk).update(is_active=False)
    monkeypatch.setattr(webhooks.AccountCache, "MISS_RELOAD", 60.0)
    assert post(client, message(5), secret="rahasia-baru").status_code == 200
    monkeypatch.setattr(webhooks.AccountCache, "TTL", 0.0)
    assert post(client, message(6), secret="rahasia-baru").status_code == 403
    assert InboundEvent.objects.count() == 3


@pytest.mark.django_db
def test_forged_requests_cost_no_query_after_the_snapshot(
    client: Client,
    whatsapp_account: ChannelAccount,
    django_assert_num_queries: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The flood falls inside one reload window however slow the machine (at load 10 the six
    # requests once took longer than the 1 s default, and the reload made the one query).
    monkeypatch.setattr(webhooks.AccountCache, "MISS_RELOAD", 60.0)
    assert post(client, message(1)).status_code == 200
    with django_assert_num_queries(0):
        for n in range(5):
            assert post(client, message(n + 2), secret="palsu").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_fast_path_answers_503_when_the_database_is_down(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    assert post(client, message(1)).status_code == 200  # secrets cached

    def down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(down):
        response = post(client, message(2))
    assert response.status_code == 503 and response.json() == {"status": "temporarily unavailable"}
    assert InboundEvent.objects.count() == DBTaskResult.objects.count() == 1
    assert drain_queued()


@pytest.mark.django_db(transaction=True)
def test_storing_an_event_costs_a_bounded_number_of_queries(
    client: Client, whatsapp_account: ChannelAccount, django_assert_max_num_queries: Any
) -> None:
    """Event row (and a drain, when none is queued) through the ORM and django-tasks'
    enqueue, in one transaction."""
    assert post(client, message(1)).status_code == 200  # secrets cached
    body = message(2)
    with django_assert_max_num_queries(8):
        assert post(client, body).status_code == 200
    with django_assert_max_num_queries(8):
        assert post(client, body).json() == {"status": "duplicate"}
    assert InboundEvent.objects.filter(dedupe_key=store.body_key(body)).exists()
    task = DBTaskResult.objects.get()  # one drain covers both events
    assert task.task_path.endswith("drain_inbound_events")
    assert task.priority == PROCESSING_PRIORITY and drain_queued()


@pytest.mark.django_db(transaction=True)
def test_every_event_stored_by_the_fast_path_is_processed_once(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    bodies = [message(n) for n in range(6)]
    for body in bodies + bodies[:2]:  # two redeliveries
        assert post(client, body).status_code == 200
    assert InboundEvent.objects.count() == 6 and DBTaskResult.objects.count() == 1
    run_tasks()
    assert set(InboundEvent.objects.values_list("state", flat=True)) == {EventState.PROCESSED}
    assert whatsapp_account.messages.count() == 6
    run_tasks()  # nothing left, nothing twice
    assert whatsapp_account.messages.count() == 6


@pytest.mark.django_db
def test_inside_a_transaction_a_failure_does_not_break_it(whatsapp_account: ChannelAccount) -> None:
    body = message(1)
    with transaction.atomic():
        assert store.store_event("whatsapp", body, {}, dedupe_key=store.body_key(body))
        assert store.store_event("whatsapp", body, {}, dedupe_key=store.body_key(body)) is None

        def down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            raise OperationalError("boom")

        with connection.execute_wrapper(down), pytest.raises(OperationalError):
            store.store_event("whatsapp", message(2), {}, dedupe_key="other")
        assert InboundEvent.objects.count() == 1  # the transaction is still usable


def _in_threads(count: int, work: Any) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads started together; their results (or errors)."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            results[i] = exc
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def _slow_first_write(monkeypatch: pytest.MonkeyPatch, fail_second: bool = False) -> list[int]:
    """Batch sizes written; the first write waits so that the other threads queue up."""
    original = store._write_any
    sizes: list[int] = []

    def spy(db: Any, events: list[InboundEvent]) -> list[InboundEvent | None]:
        sizes.append(len(events))
        if len(sizes) == 1:
            time.sleep(0.3)
        if fail_second and len(sizes) == 2:
            raise OperationalError("connection lost")
        return original(db, events)

    monkeypatch.setattr(store, "_write_any", spy)
    return sizes


@pytest.mark.django_db(transaction=True)
def test_group_commit_stores_concurrent_events_once_each(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = _slow_first_write(monkeypatch)
    bodies = [message(n) for n in range(8)]
    # Thread i stores message i; threads 8–11 redeliver messages 0–3 at the same time.
    results = _in_threads(
        12,
        lambda i: store.store_event(
            "whatsapp",
            bodies[i % 8],
            {"X-Hub-Signature-256": meta_signature(APP_SECRET, bodies[i % 8])},
            dedupe_key=store.body_key(bodies[i % 8]),
        ),
    )
    assert max(sizes) > 1  # the queued events went in one statement
    stored = [r for r in results if isinstance(r, InboundEvent)]
    assert len(stored) == 8 and results.count(None) == 4
    assert sorted(e.pk for e in stored) == sorted(InboundEvent.objects.values_list("pk", flat=True))
    assert DBTaskResult.objects.count() == 1 and drain_queued()
    run_tasks()
    assert whatsapp_account.messages.count() == 8
    assert set(InboundEvent.objects.values_list("state", flat=True)) == {EventState.PROCESSED}


@pytest.mark.django_db(transaction=True)
def test_group_commit_failure_reaches_every_event_of_the_batch(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = _slow_first_write(monkeypatch, fail_second=True)
    bodies = [message(n) for n in range(6)]
    results = _in_threads(
        6, lambda i: store.store_event("whatsapp", bodies[i], {}, dedupe_key=f"k{i}")
    )
    failed = [r for r in results if isinstance(r, DatabaseError)]
    assert len(failed) == sizes[1] > 1  # all of the failed batch, nobody else
    assert InboundEvent.objects.count() == 6 - len(failed) and drain_queued()
    # The queue is not stuck: the next event is stored by a new leader.
    assert store.store_event("whatsapp", message(9), {}, dedupe_key="after") is not None


@pytest.mark.django_db(transaction=True)
def test_acknowledged_messages_run_before_due_scheduled_tasks(
    client: Client, whatsapp_account: ChannelAccount
) -> None:
    """Weakness 7: due scheduled tasks (SLA checks, leases) used to starve processing."""
    from io import StringIO

    from django.core.management import call_command

    from posko.aduan.tasks import check_sla_deadline

    past = timezone.now() - timedelta(minutes=5)
    for n in range(5):
        check_sla_deadline.using(run_after=past).enqueue(10_000 + n, "first_response", "x")
    assert post(client, message(7)).status_code == 200
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", "--queue-name", "*",
        "--no-reload", stdout=StringIO(), stderr=StringIO(), verbosity=0,
    )  # fmt: skip
    assert whatsapp_account.messages.count() == 1  # the one task that ran was the message's
