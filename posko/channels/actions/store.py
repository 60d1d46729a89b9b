"""Durable storage of a raw webhook event together with its processing task.

The webhook acknowledges only after ``store_event`` has returned, i.e. after the commit that
holds both the raw event row and the task row that will process it: an acknowledged event can
be neither lost nor left unprocessed. A redelivery (same platform + dedupe key) hits the unique
constraint ``inbound_event_once`` and stores nothing.

On PostgreSQL with the database task backend this is a single statement and so a single round
trip and a single commit (the webhook's hot path)::

    WITH event AS (INSERT INTO <inbound events> … ON CONFLICT (platform, dedupe_key) DO NOTHING
                   RETURNING id),
         task AS (INSERT INTO <task results> … SELECT …, {"args": [event.id]} … FROM event)
    SELECT id FROM event

One statement is atomic: both rows or neither. The rows are exactly what the ORM would write:
every value comes from an unsaved model instance built as ``DatabaseBackend.enqueue`` builds
it, prepared by each field (``get_db_prep_save``), so model defaults stay the single source of
truth (a test compares the fast row with one written by ``enqueue``). Not sent per row: model
signals (the task template gets ``pre_save`` once, where django-tasks-db fills ``run_after``;
should any other listener appear, ``store_event`` takes the ORM path) and django-tasks'
``task_enqueued``, whose only receiver logs at DEBUG level.

Elsewhere (SQLite, other task backends) the same guarantee comes from the ORM: both inserts in
one transaction.
"""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save
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
    if _single_statement_possible(db):
        return _store_in_one_statement(db, event)
    return _store_with_orm(event)


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

    from posko.channels.tasks import process_inbound_event

    return (
        db.vendor == "postgresql"
        and isinstance(process_inbound_event.get_backend(), DatabaseBackend)
        # Model signals are not sent per row (see the module docstring): should anything
        # start listening, take the ORM path.
        and not pre_save.has_listeners(InboundEvent)
        and not post_save.has_listeners(InboundEvent)
        and not post_save.has_listeners(DBTaskResult)
    )


@dataclass(frozen=True)
class _Statement:
    """The single statement, built once from the models' metadata, and how to fill it: every
    column's value is prepared by its field from an unsaved instance; the columns that differ
    from row to row (given by the caller, or with a per-row default: ``received_at``, the task
    id, ``enqueued_at``) are prepared per row, the rest once from the template task row."""

    sql: str
    event_fields: list[Field[Any, Any]]
    task_fields: list[Field[Any, Any]]
    task_constants: list[Any]  # prepared value, or None for the per-row fields
    task_per_row: list[int]  # indexes in task_fields


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
        return _backend()._get_id()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def _backend() -> DatabaseBackend:
    from posko.channels.tasks import process_inbound_event

    backend = process_inbound_event.get_backend()
    assert isinstance(backend, DatabaseBackend)
    return backend


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
def _statement(db: BaseDatabaseWrapper) -> _Statement:
    from django_tasks_db.models import DBTaskResult

    quote = db.ops.quote_name
    event_fields = [f for f in InboundEvent._meta.concrete_fields if not f.primary_key]
    task_fields = [f for f in DBTaskResult._meta.concrete_fields if f.name != "args_kwargs"]
    template = _task_row(db)
    per_row = [i for i, f in enumerate(task_fields) if _varies(f)]
    constants = [
        None if i in per_row else f.get_db_prep_save(f.pre_save(template, True), db)
        for i, f in enumerate(task_fields)
    ]
    event_columns = ", ".join(quote(f.column) for f in event_fields)
    task_columns = ", ".join(quote(f.column) for f in task_fields)
    args_kwargs = DBTaskResult._meta.get_field("args_kwargs")
    # Only identifiers from the models' metadata are interpolated; values are parameters.
    sql = (
        f"WITH event AS ("  # noqa: S608
        f"INSERT INTO {quote(InboundEvent._meta.db_table)} ({event_columns}) "
        f"VALUES ({', '.join(['%s'] * len(event_fields))}) "
        f"ON CONFLICT ({quote('platform')}, {quote('dedupe_key')}) DO NOTHING "
        f"RETURNING {quote('id')}), "
        f"task AS ("
        f"INSERT INTO {quote(DBTaskResult._meta.db_table)} "
        f"({task_columns}, {quote(args_kwargs.column)}) "
        f"SELECT {', '.join(['%s'] * len(task_fields))}, "
        f"jsonb_build_object('args', jsonb_build_array(event.id), 'kwargs', '{{}}'::jsonb) "
        f"FROM event) "
        f"SELECT id FROM event"
    )
    return _Statement(sql, event_fields, task_fields, constants, per_row)


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


def _store_in_one_statement(db: BaseDatabaseWrapper, event: InboundEvent) -> InboundEvent | None:
    statement = _statement(db)
    params = [f.get_db_prep_save(f.pre_save(event, True), db) for f in statement.event_fields]
    task_values = list(statement.task_constants)
    for i in statement.task_per_row:
        field = statement.task_fields[i]
        task_values[i] = field.get_db_prep_save(_fresh(field), db)
    # In autocommit (the webhook) the statement is its own transaction; inside a caller's
    # transaction a savepoint keeps a failure from breaking it, as the ORM path does.
    savepoint = transaction.atomic(db.alias) if db.in_atomic_block else nullcontext()
    with savepoint, _server_binding_cursor(db) as cursor:
        cursor.execute(statement.sql, params + task_values)
        found = cursor.fetchone()
    if found is None:
        return None
    event.pk = found[0]
    event._state.adding = False
    return event
