"""How a change of an aduan reaches the world outside the aduan domain.

The aduan domain never imports the apps that act on the outside world (channels today;
publishing and metrics later). Its actions ``emit`` an event inside their transaction; each
subscriber — registered by the app that owns the effect, in its ``AppConfig.ready`` — is called
there and then, inside that same transaction, so that what it records (a delivery row, the task
that sends it, a metrics delta) commits or rolls back with the change itself. Subscribers do
their slow work after commit, through the task backend (``transaction.on_commit`` +
django-tasks): no event is kept in memory past its transaction, and nothing here is a queue.

The same ``emit`` also hands a *change notice* ``(kind, aduan_id)`` to the change listeners
(``subscribe_changes``; the metrics layer) once the transaction commits: they read the
committed state and never take part in the change. Listeners get a list of notices: one per
committed change, or — inside ``notices_held()``, as the drain of incoming messages runs —
all the notices of a batch together, so that a batch of fifty new aduan costs the metrics
layer one refresh task rather than a hundred.

Questions asked *before* a change (may a public reply go out on the origin channel now?) are
answered the same way: by gates that other apps register (``register_reply_gate``).

    aduan action ──emit(kind, aduan, data)──▶ subscribers (channels, patrol) ──on commit──▶ tasks
                                          └──on commit──▶ change listeners (metrics)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from posko.aduan.models import Aduan, AduanMessage


class EventKind(StrEnum):
    CREATED = "created"  # a new aduan (any channel)
    ASSIGNED = "assigned"  # handed to a unit (and maybe an officer)
    STATUS_CHANGED = "status_changed"  # data: old, new, reason
    PUBLIC_REPLY = "public_reply"  # an officer's reply to send on the origin channel; data: message
    INCOMING_MESSAGE = "incoming_message"  # the reporter wrote again
    LABELS_CORRECTED = "labels_corrected"  # data: changes
    RESPONDED = "responded"  # the first public response (first-response time is set)
    PRIORITY_RAISED = "priority_raised"  # its incident grew
    ESCALATED = "escalated"  # an SLA target passed
    SUBJECT_SET = "subject_set"  # the unit/member a complaint is about was recorded
    SATISFACTION = "satisfaction"  # the reporter answered the satisfaction question


@dataclass(frozen=True)
class AduanEvent:
    kind: EventKind
    aduan: Aduan
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> AduanMessage:
        """The message a ``PUBLIC_REPLY`` or ``INCOMING_MESSAGE`` event is about."""
        message: AduanMessage = self.data["message"]
        return message


Subscriber = Callable[[AduanEvent], None]
ReplyGate = Callable[["Aduan"], None]

_subscribers: dict[EventKind, list[Subscriber]] = defaultdict(list)
_reply_gates: list[ReplyGate] = []


def subscribe(kind: EventKind, subscriber: Subscriber) -> None:
    """Call ``subscriber`` for every event of ``kind`` (idempotent: once per function)."""
    if subscriber not in _subscribers[kind]:
        _subscribers[kind].append(subscriber)


def emit(kind: EventKind, aduan: Aduan, **data: Any) -> None:
    """From an action, inside its transaction: hand the event to every subscriber now, and
    the change notice to every change listener after commit."""
    event = AduanEvent(kind, aduan, data)
    for subscriber in list(_subscribers[kind]):
        subscriber(event)
    if _change_listeners:
        notice = (kind, aduan.pk)
        transaction.on_commit(lambda: _deliver(notice))


def register_reply_gate(gate: ReplyGate) -> None:
    """``gate(aduan)`` raises ``ValueError`` (with a message for the officer) when a public
    reply cannot go out on the aduan's channel now."""
    if gate not in _reply_gates:
        _reply_gates.append(gate)


def check_reply_allowed(aduan: Aduan) -> None:
    for gate in list(_reply_gates):
        gate(aduan)


ChangeNotice = tuple[EventKind, int]  # (kind, aduan id)
ChangeListener = Callable[[Sequence[ChangeNotice]], None]
_change_listeners: list[ChangeListener] = []
_held: ContextVar[list[ChangeNotice] | None] = ContextVar("held_change_notices", default=None)


def subscribe_changes(listener: ChangeListener) -> None:
    """Call ``listener(notices)`` after the commit of emitted events."""
    if listener not in _change_listeners:
        _change_listeners.append(listener)


@contextmanager
def notices_held() -> Iterator[None]:
    """Hold the change notices of the transactions committed inside, and hand them to the
    listeners together when the block ends (also when it ends with an error: what committed
    stays committed). Notices of transactions that rolled back never arrive."""
    token = _held.set([])
    try:
        yield
    finally:
        held = _held.get() or []
        _held.reset(token)
        outer = _held.get()
        if outer is not None:
            outer.extend(held)  # an enclosing block hands them over with its own
        elif held:
            _notify(held)


def _deliver(notice: ChangeNotice) -> None:
    held = _held.get()
    if held is not None:
        held.append(notice)
    else:
        _notify([notice])


def _notify(notices: Sequence[ChangeNotice]) -> None:
    for listener in list(_change_listeners):
        listener(notices)
