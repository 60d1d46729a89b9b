"""Reads that stay the same for the length of a batch, asked again by every item in it.

The drain of incoming messages turns fifty messages into aduan in one go; each of them asks
which satuan handles its category, which Polsek covers its kecamatan and what the SLA targets
are. Inside ``batch_memo()`` such a read is made once per batch; outside it (a request, a
command) ``memoized`` simply computes, so nothing can go stale beyond one batch.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("batch_memo", default=None)


@contextmanager
def batch_memo() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    value: T = memo[key]
    return value
