"""Self-re-enqueueing task chains, kept alive without reading the task backend's tables.

A *chain* is a task that, at the end of each run, enqueues its next run (``run_after``): a
feed's poll every few minutes, the monthly reports on the 1st. Such a chain is lost when its
one waiting link is lost (a worker killed between commit and enqueue on RQ, a Redis flush, a
database restored from a backup). Each chain has a Posko-owned row (``core.TaskChain``) with
the token of its current link and when that link is due; every run checks its token
(``begin``), and enqueues the next link with the same transaction that moves the row
(``advance``). ``ensure_chains`` — run at worker start (``posko chains ensure``, which
``posko serve`` runs) and by a periodic chain of its own — restarts, exactly once, every
registered chain whose link is overdue by more than its margin: the restart is a
compare-and-swap on the token, so two ensure runs at the same time start one chain, and a
lost link that turns up later is stale and stops.

Works on every task backend: on the database backend the link is enqueued inside the
transaction (``core.outbox``), on RQ once it commits. Apps register their chains in
``AppConfig.ready`` with ``register_chains(prefix, provider)``: the provider lists the chains
that should exist now (e.g. one per enabled feed)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from posko.core.models import TaskChain
from posko.core.outbox import enqueue_with_transaction

# (token, run_after) -> the enqueued TaskResult (its ``id`` is kept on the row)
Starter = Callable[[str, datetime], object]
DEFAULT_MARGIN = timedelta(minutes=10)
# While a link runs, its chain counts as alive until now + this (the heartbeat).
RUN_LEASE = timedelta(minutes=30)
ENSURE_KEY = "core.ensure_chains"
ENSURE_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class ChainSpec:
    key: str
    start: Starter
    first_run: Callable[[], datetime]  # when a (re)started chain's first link runs
    margin: timedelta = DEFAULT_MARGIN


_providers: dict[str, Callable[[], Iterable[ChainSpec]]] = {}


def register_chains(prefix: str, provider: Callable[[], Iterable[ChainSpec]]) -> None:
    _providers[prefix] = provider


def registered_chains(prefix: str = "") -> list[ChainSpec]:
    specs = [
        spec for name, p in sorted(_providers.items()) if name.startswith(prefix) for spec in p()
    ]
    return specs


def _new_token() -> str:
    return uuid.uuid4().hex


def _enqueue(key: str, token: str, start: Starter, run_at: datetime) -> None:
    def enqueue() -> None:
        result = start(token, run_at)
        task_id = str(getattr(result, "id", "") or "")[:200]
        TaskChain.objects.filter(key=key, token=token).update(task_id=task_id)

    enqueue_with_transaction(enqueue)


def _row(key: str) -> TaskChain:
    try:
        with transaction.atomic():
            row, _ = TaskChain.objects.get_or_create(key=key)
    except IntegrityError:  # created by a concurrent ensure between the get and the create
        row = TaskChain.objects.get(key=key)
    return row


def _swap(row: TaskChain, run_at: datetime, *, restart: bool) -> str | None:
    """Compare-and-swap the chain's token; the new token, or None when another run won."""
    token = _new_token()
    fields: dict[str, object] = {"token": token, "next_run_at": run_at, "task_id": ""}
    if restart:
        fields["restarts"] = row.restarts + 1
    won = TaskChain.objects.filter(pk=row.pk, token=row.token).update(**fields)
    return token if won else None


def ensure_chain(spec: ChainSpec, now: datetime | None = None) -> bool:
    """Start the chain when it has no link or its link is overdue by more than its margin.
    Idempotent and safe to run concurrently. True when this call started it."""
    now = now or timezone.now()
    row = _row(spec.key)
    if row.token and row.next_run_at is not None and row.next_run_at >= now - spec.margin:
        return False
    with transaction.atomic():
        run_at = spec.first_run()
        token = _swap(row, run_at, restart=bool(row.token))
        if token is None:
            return False
        _enqueue(spec.key, token, spec.start, run_at)
    return True


def ensure_chains(prefix: str = "") -> list[str]:
    """Every registered chain (whose key starts with ``prefix``) alive; the keys restarted."""
    return [spec.key for spec in registered_chains(prefix) if ensure_chain(spec)]


def restart_chain(spec: ChainSpec) -> None:
    """Start the chain now whatever its state (a feed saved with new settings): the current
    link, if any, becomes stale and stops at its next run."""
    with transaction.atomic():
        row = TaskChain.objects.select_for_update().filter(pk=_row(spec.key).pk).get()
        run_at = spec.first_run()
        token = _swap(row, run_at, restart=False)
        assert token is not None  # the row is locked
        _enqueue(spec.key, token, spec.start, run_at)


def begin(key: str, token: str, *, lease: timedelta = RUN_LEASE) -> bool:
    """At the start of a link: True when it is the chain's current link (its heartbeat is
    moved to now + ``lease``); False for a stale or unknown link, which must stop."""
    if not token:
        return False
    now = timezone.now()
    return bool(
        TaskChain.objects.filter(key=key, token=token).update(
            last_run_at=now, next_run_at=now + lease
        )
    )


def advance(key: str, token: str, start: Starter, run_at: datetime, result: str = "") -> bool:
    """At the end of a link: enqueue the next one (with the transaction) unless the chain was
    restarted meanwhile. True when the chain goes on."""
    with transaction.atomic():
        new = _new_token()
        moved = TaskChain.objects.filter(key=key, token=token).update(
            token=new, next_run_at=run_at, last_result=result[:300], task_id=""
        )
        if moved:
            _enqueue(key, new, start, run_at)
    return bool(moved)


def stop(key: str, token: str, result: str = "") -> None:
    """The chain's work is gone (a feed switched off): no next link; ``ensure`` leaves it."""
    TaskChain.objects.filter(key=key, token=token).update(
        token="", next_run_at=None, last_result=result[:300], task_id=""
    )


def _start_ensure(token: str, run_at: datetime) -> object:
    from posko.core.tasks import ensure_task_chains

    return ensure_task_chains.using(run_after=run_at).enqueue(token)


def do_periodic_ensure(token: str) -> str:
    """The periodic check (its own chain): ensure every chain, then come back."""
    if not begin(ENSURE_KEY, token):
        return "stale"
    restarted = ensure_chains()
    result = f"{len(restarted)} rantai dimulai" + (f": {', '.join(restarted)}" if restarted else "")
    advance(ENSURE_KEY, token, _start_ensure, timezone.now() + ENSURE_EVERY, result)
    return result


def ensure_spec() -> Iterable[ChainSpec]:
    yield ChainSpec(ENSURE_KEY, _start_ensure, timezone.now, margin=ENSURE_EVERY)
