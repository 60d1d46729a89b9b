"""The one audit trail, reachable from the layers below aduan.

The registry of audit kinds and the ``AuditEvent`` table live in ``posko.aduan.audit``. Domains
that sit below aduan in the layers of ``docs/architecture.md`` (core's login security,
triage_store's landmarks and models) cannot import it; they register their kinds and write
their rows through this port, which aduan connects in its ``AppConfig.ready``. The rows are
the same rows, in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

if TYPE_CHECKING:  # core sits below org: the Polres is only passed through
    from posko.org.models import Unit

Details = Mapping[str, Callable[[Mapping[str, Any]], str]]


class Writer(Protocol):
    def __call__(
        self, polres: Unit | None, action: str, *, actor: User | None, target: str, **data: Any
    ) -> object: ...


Register = Callable[[Mapping[str, Promise], Details | None], None]

_pending: list[tuple[Mapping[str, Promise], Details | None]] = []
_register: Register | None = None
_writer: Writer | None = None


def register_kinds(kinds: Mapping[str, Promise], details: Details | None = None) -> None:
    """Kinds of audit rows (code → label) of a domain below aduan, in its ``AppConfig.ready``."""
    if _register is None:
        _pending.append((kinds, details))
    else:
        _register(kinds, details)


def connect(*, register: Register, writer: Writer) -> None:
    """Called once by aduan's ``AppConfig.ready``."""
    global _register, _writer
    _register, _writer = register, writer
    while _pending:
        register(*_pending.pop(0))


def record_change(
    polres: Unit | None, action: str, *, actor: User | None, target: str, **data: Any
) -> None:
    """One audit row about a configuration object or a security event (``target``: what)."""
    if _writer is None:
        raise ImproperlyConfigured("the audit trail is not connected (posko.aduan not ready)")
    _writer(polres, action, actor=actor, target=target, **data)
