"""Durable storage of a raw webhook event together with its processing task.

The webhook acknowledges only after ``store_event`` has returned, i.e. after the commit that
holds both the raw event row and the task row that will process it: an acknowledged event can
be neither lost nor left unprocessed. A redelivery (same platform + dedupe key) hits the unique
constraint ``inbound_event_once`` and stores nothing.

On PostgreSQL with the database task backend this is a single statement (``_statement``) and
so a single round trip and a single commit (the webhook's hot path)::

    WITH event AS (INSERT INTO <inbound events> … ON CONFLICT (platform, dedupe_key) DO NOTHING
                   RETURNING id, …),
         task AS (INSERT INTO <task results> … SELECT …, {"args": [event.id]} … FROM event …)
    SELECT id, … FROM event

One statement is atomic: both rows or neither. Under load, the events that the threads of one
gunicorn worker store at the same moment share that statement and its commit (``GroupCommit``):
each request still returns only after the commit holding its own event.

The rows are exactly what the ORM would write: every value is prepared by its field
(``get_db_prep_save``) from an unsaved instance — the event as given, the task row built as
``DatabaseBackend.enqueue`` builds it — so model defaults stay the single source of truth (a
test compares the rows with ones written by ``save()`` and ``enqueue``). Not sent per row:
model signals (the task template gets ``pre_save`` once, where django-tasks-db fills
``run_after``; should any other listener appear, ``store_event`` takes the ORM path) and
django-tasks' ``task_enqueued``, whose only receiver logs at DEBUG level.

Elsewhere (SQLite, other task backends) the same guarantee comes from the ORM: both inserts in
one transaction (per batch of the group commit, with a savepoint per event).
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django_tasks_db import DatabaseBackend

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
    if _single_statement_possible(db):
        return _write(db, events)
    # SQLite (or another task backend): the ORM, all the events in one transaction — on SQLite
    # one write lock and one commit for the batch instead of one per event.
    results: dict[int, InboundEvent | None] = {}
    with transaction.atomic(using=db.alias):
        for event in sorted(events, key=lambda event: (event.platform, event.dedupe_key)):
            results[id(event)] = _store_with_orm(event)
    return [results[id(event)] for event in events]


def _store_with_orm(event: InboundEvent) -> InboundEvent | None:
    from posko.channels.tasks import process_inbound_event

    try:
        with transaction.atomic():
            event.save(force_insert=True)
            process_inbound_event.enqueue(event.pk)
    except IntegrityError:
        if InboundEvent.objects.filter(
            platform=event.platform, dedupe_key=event.dedupe_key
        ).exists():
            return None
        raise
    return event


def _single_statement_possible(db: BaseDatabaseWrapper) -> bool:
    from django_tasks_db.models import DBTaskResult

    return (
        db.vendor == "postgresql"
        and _database_backend() is not None
        # Model signals are not sent per row (see the module docstring): should anything
        # start listening, take the ORM path.
        and not pre_save.has_listeners(InboundEvent)
        and not post_save.has_listeners(InboundEvent)
        and not post_save.has_listeners(DBTaskResult)
    )


# The event columns that store_event fills; the others take their model default.
GIVEN = ("platform", "account_id", "dedupe_key", "body", "headers")


@dataclass(frozen=True)
class _Shape:
    """How the statement is filled, worked out once from the models' metadata. Every value is
    prepared by its field (``get_db_prep_save``) from an unsaved instance. Per row (parameters):
    the event columns given to ``store_event`` or with a per-row default (``received_at``), and
    the task's id and ``enqueued_at``. The same in every row (SQL literals, quoted by psycopg):
    the other event defaults (state, attempts …) and the task row built as ``enqueue`` builds
    it (task path, queue, priority, ``run_after`` …)."""

    event_per_row: list[Field[Any, Any]]
    task_per_row: list[Field[Any, Any]]
    event_columns: str  # "col, col, …"
    event_select: str  # "d.e_platform, 'received', 0, …"
    task_columns: str
    task_select: str
    row: str  # "(%s::varchar(12), %s::bigint, …)"
    data_columns: str  # "e_platform, …, t_id, t_enqueued_at"


def _varies(field: Field[Any, Any]) -> bool:
    return bool(
        field.primary_key
        or (field.has_default() and callable(field.default))
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    )


def _fresh(field: Field[Any, Any]) -> Any:
    """A per-row value of the task row, as ``enqueue`` + ``save()`` would give it."""
    if field.primary_key:
        return _backend()._get_id()  # as enqueue: the backend's id_function
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


_backends: list[DatabaseBackend | None] = []  # the task's backend if a DatabaseBackend


def _database_backend() -> DatabaseBackend | None:
    if not _backends:
        from posko.channels.tasks import process_inbound_event

        backend = process_inbound_event.get_backend()
        _backends.append(backend if isinstance(backend, DatabaseBackend) else None)
    return _backends[0]


def _backend() -> DatabaseBackend:
    backend = _database_backend()
    assert backend is not None
    return backend


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs: Any) -> None:
    if setting in ("TASKS", "DATABASES"):
        _backends.clear()
        _shape.cache_clear()
        _statement.cache_clear()


def _task_row(db: BaseDatabaseWrapper) -> Model:
    """The task row as ``DatabaseBackend.enqueue`` builds it (``args_kwargs`` comes from the
    SQL), after the ``pre_save`` handlers (django-tasks-db's fills ``run_after``)."""
    from django_tasks_db.models import DBTaskResult

    from posko.channels.tasks import process_inbound_event as task

    backend = _backend()
    row: Any = DBTaskResult(
        id=backend._get_id(),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,  # type: ignore[misc]  # None: pre_save fills it
        backend_name=backend.alias,
    )
    pre_save.send(DBTaskResult, instance=row, raw=False, using=db.alias)
    return row


@cache
def _shape(db: BaseDatabaseWrapper) -> _Shape:
    import psycopg.sql
    from django_tasks_db.models import DBTaskResult

    db.ensure_connection()
    quote = db.ops.quote_name

    def literal(field: Field[Any, Any], instance: Model) -> str:
        value = field.get_db_prep_save(field.pre_save(instance, True), db)
        return psycopg.sql.Literal(value).as_string(db.connection)

    events = [f for f in InboundEvent._meta.concrete_fields if not f.primary_key]
    tasks = [f for f in DBTaskResult._meta.concrete_fields if f.name != "args_kwargs"]
    event_per_row = [f for f in events if f.attname in GIVEN or _varies(f)]
    task_per_row = [f for f in tasks if _varies(f)]
    fixed, template = InboundEvent(), _task_row(db)
    event_select = [f"d.e_{f.column}" if f in event_per_row else literal(f, fixed) for f in events]
    task_select = [f"d.t_{f.column}" if f in task_per_row else literal(f, template) for f in tasks]
    args_kwargs = DBTaskResult._meta.get_field("args_kwargs")
    per_row = event_per_row + task_per_row
    return _Shape(
        event_per_row=event_per_row,
        task_per_row=task_per_row,
        event_columns=", ".join(quote(f.column) for f in events),
        event_select=", ".join(event_select),
        task_columns=", ".join(quote(f.column) for f in [*tasks, args_kwargs]),
        task_select=", ".join(task_select),
        row="(" + ", ".join(f"%s::{f.db_type(db)}" for f in per_row) + ")",
        data_columns=", ".join(
            [f"e_{f.column}" for f in event_per_row] + [f"t_{f.column}" for f in task_per_row]
        ),
    )


@cache
def _statement(db: BaseDatabaseWrapper, rows: int) -> str:
    """The statement for ``rows`` events; the parameters are, row by row, the event's per-row
    values then its task's::

        WITH d (…) AS (VALUES (…), (…)),
             event AS (INSERT INTO <events> (…) SELECT … FROM d
                       ON CONFLICT (platform, dedupe_key) DO NOTHING
                       RETURNING id, platform, dedupe_key),
             task AS (INSERT INTO <tasks> (…, args_kwargs)
                      SELECT …, {"args": [event.id], "kwargs": {}}
                      FROM event JOIN d ON (platform, dedupe_key))
        SELECT id, platform, dedupe_key FROM event
    """
    from django_tasks_db.models import DBTaskResult

    shape = _shape(db)
    quote = db.ops.quote_name
    # Identifiers from the models' metadata and literals quoted by psycopg; values are
    # parameters.
    return (
        f"WITH d ({shape.data_columns}) AS (VALUES {', '.join([shape.row] * rows)}), "  # noqa: S608
        f"event AS ("
        f"INSERT INTO {quote(InboundEvent._meta.db_table)} ({shape.event_columns}) "
        f"SELECT {shape.event_select} FROM d "
        f"ON CONFLICT ({quote('platform')}, {quote('dedupe_key')}) DO NOTHING "
        f"RETURNING {quote('id')}, {quote('platform')}, {quote('dedupe_key')}), "
        f"task AS ("
        f"INSERT INTO {quote(DBTaskResult._meta.db_table)} ({shape.task_columns}) "
        f"SELECT {shape.task_select}, "
        f"jsonb_build_object('args', jsonb_build_array(event.id), 'kwargs', '{{}}'::jsonb) "
        f"FROM event JOIN d ON d.e_platform = event.platform "
        f"AND d.e_dedupe_key = event.dedupe_key) "
        f"SELECT id, platform, dedupe_key FROM event"
    )


def _server_binding_cursor(db: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor that sends the values apart from the SQL (extended protocol, binary bytea)
    instead of Django's default client-side binding, which escapes the raw body in Python;
    wrapped like ``connection.cursor()``: database errors, execute wrappers, query logging.
    Prepared statements follow the connection's ``prepare_threshold`` (Django: off)."""
    import psycopg

    db.ensure_connection()
    with db.wrap_database_errors:
        raw = psycopg.Cursor(db.connection)
    # (django-stubs type the argument as a CursorWrapper; Django passes the DB-API cursor.)
    if db.queries_logged:
        return db.make_debug_cursor(raw)  # type: ignore[arg-type]
    return db.make_cursor(raw)  # type: ignore[arg-type]


def _write(db: BaseDatabaseWrapper, events: list[InboundEvent]) -> list[InboundEvent | None]:
    """Store events (distinct platform + dedupe key) with their tasks in one statement; for
    each, the event with its id, or None when it was already stored (redelivery)."""
    shape = _shape(db)
    # A fixed order (the unique key's) so that two batches never wait for each other crosswise.
    ordered = sorted(events, key=lambda event: (event.platform, event.dedupe_key))
    params: list[Any] = []
    for event in ordered:
        params += [f.get_db_prep_save(f.pre_save(event, True), db) for f in shape.event_per_row]
        params += [f.get_db_prep_save(_fresh(f), db) for f in shape.task_per_row]
    # In autocommit (the webhook) the statement is its own transaction; inside a caller's
    # transaction a savepoint keeps a failure from breaking it, as the ORM path does.
    savepoint = transaction.atomic(db.alias) if db.in_atomic_block else nullcontext()
    with savepoint, _server_binding_cursor(db) as cursor:
        cursor.execute(_statement(db, len(events)), params)
        stored = {(platform, key): pk for pk, platform, key in cursor.fetchall()}
    results: list[InboundEvent | None] = []
    for event in events:
        pk = stored.get((event.platform, event.dedupe_key))
        if pk is None:
            results.append(None)
            continue
        event.pk = pk
        event._state.adding = False
        results.append(event)
    return results


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
