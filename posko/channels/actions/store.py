"""Durable storage of a raw webhook event, with a drain armed to process it.

The webhook acknowledges only after ``store_event`` has returned, i.e. after the commit that
holds the raw event row and arms a drain (``actions/drain.py``: either this transaction
enqueues one, or a queued drain that has not started yet must wait for this commit before it
reads): an acknowledged event can be neither lost nor left unprocessed. A redelivery (same
platform + dedupe key) hits the unique constraint ``inbound_event_once`` and stores nothing.

Everything is written through public APIs only: the event with the ORM, a drain task (when
one is needed) with django-tasks' ``enqueue`` (the database backend writes it in the same
transaction), so a
library upgrade cannot silently break ingest. Under load, the events that the threads of one
gunicorn worker store at the same moment share one transaction and its commit
(``GroupCommit``): each request still returns only after the commit holding its own event.
"""

from __future__ import annotations

import hashlib
import threading

from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from posko.channels.actions.drain import arm_drain
from posko.channels.models import ChannelAccount, InboundEvent

KEEP_HEADERS = (
    "Content-Type",
    "User-Agent",
    "X-Hub-Signature-256",
    "X-Telegram-Bot-Api-Secret-Token",
    "X-Posko-Signature",
    "X-Twitter-Webhooks-Signature",
)


def body_key(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def store_event(
    platform: str,
    body: bytes,
    headers: dict[str, str],
    *,
    dedupe_key: str,
    account: ChannelAccount | None = None,
) -> InboundEvent | None:
    """Durably store a raw event and enqueue its processing, atomically. None = duplicate."""
    kept = {k: v for k, v in headers.items() if k in KEEP_HEADERS}
    event = InboundEvent(
        platform=platform,
        account_id=account.pk if account is not None else None,
        dedupe_key=dedupe_key[:100],
        body=body,
        headers=kept,
    )
    db = connections[DEFAULT_DB_ALIAS]  # once: the ``connection`` proxy costs per access
    if db.in_atomic_block:  # part of the caller's transaction: not shared with other threads
        return _write_any(db, [event])[0]
    return group_commit.store(event)


def _write_any(db: BaseDatabaseWrapper, events: list[InboundEvent]) -> list[InboundEvent | None]:
    """Store a batch in one transaction (one commit; on SQLite one write lock), each event
    with its processing task in a savepoint of its own."""
    results: dict[int, InboundEvent | None] = {}
    with transaction.atomic(using=db.alias):
        for event in sorted(events, key=lambda event: (event.platform, event.dedupe_key)):
            results[id(event)] = _store_with_orm(event)
        if any(results.values()):
            arm_drain()  # last: holds the arm's row lock only until this commit
    return [results[id(event)] for event in events]


def _store_with_orm(event: InboundEvent) -> InboundEvent | None:
    try:
        with transaction.atomic():
            event.save(force_insert=True)
    except IntegrityError:
        if InboundEvent.objects.filter(
            platform=event.platform, dedupe_key=event.dedupe_key
        ).exists():
            return None
        raise
    return event


class _Waiting:
    __slots__ = ("error", "event", "lead", "result", "wake")

    def __init__(self, event: InboundEvent) -> None:
        self.event = event
        self.wake = threading.Event()
        self.lead = False
        self.result: InboundEvent | None = None
        self.error: BaseException | None = None


class GroupCommit:
    """Events stored at the same time by the threads of one process share one transaction
    (on PostgreSQL one statement) and one commit. A thread that finds no write in progress
    writes its event at once; events arriving meanwhile queue up, and when that write has
    committed the first of them writes the whole queue (up to ``MAX_BATCH``), its own
    included. Every thread returns only after the commit that holds its event (or raises its
    error), so the webhook still acknowledges only what is durably stored; with one request at
    a time nothing waits. Under load this saves round trips, commits (WAL flushes, SQLite write
    locks) and PostgreSQL's per-statement work."""

    MAX_BATCH = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Waiting] = []
        self._writing = False

    def store(self, event: InboundEvent) -> InboundEvent | None:
        me = _Waiting(event)
        with self._lock:
            self._queue.append(me)
            lead = not self._writing
            self._writing = True
        if not lead:
            me.wake.wait()
        if lead or me.lead:
            self._lead(me)
        if me.error is not None:
            raise me.error
        return me.result

    def _lead(self, me: _Waiting) -> None:
        batch: list[_Waiting] = []
        try:
            with self._lock:
                batch, self._queue = self._queue[: self.MAX_BATCH], self._queue[self.MAX_BATCH :]
            db = connections[DEFAULT_DB_ALIAS]  # this thread's connection
            try:
                unique: dict[tuple[str, str], InboundEvent] = {}
                for waiting in batch:  # the same event twice in a batch: stored once
                    unique.setdefault(
                        (waiting.event.platform, waiting.event.dedupe_key), waiting.event
                    )
                events = list(unique.values())
                written = dict(zip(map(id, events), _write_any(db, events), strict=True))
                for waiting in batch:
                    waiting.result = written.get(id(waiting.event))
            except BaseException as exc:
                for waiting in batch:
                    waiting.error = exc if waiting is me else _shared_failure(exc)
                raise
        finally:
            with self._lock:
                if self._queue:
                    following = self._queue[0]
                    following.lead = True
                    following.wake.set()
                else:
                    self._writing = False
            for waiting in batch:
                waiting.wake.set()


def _shared_failure(exc: BaseException) -> BaseException:
    """The error of a batch, for the other threads whose event was in it."""
    if isinstance(exc, DatabaseError):
        error = type(exc)(*exc.args)
    else:
        error = DatabaseError(f"the batch holding this event failed: {exc!r}")
    error.__cause__ = exc
    return error


group_commit = GroupCommit()
