"""Log-spaced duration buckets (minutes): median and p90 come from bucket counts, without
scanning aduan. Bucket 0 holds durations under one minute; bucket b ≥ 1 holds
[RATIO**(b-1), RATIO**b) minutes. The estimate is the bucket's geometric midpoint (±12 %).

A histogram is stored fixed-width: the count of bucket 0, 1, 2, … as 4-byte big-endian
integers, trailing empty buckets left out (so equal histograms are equal bytes and an empty
one is ``b""``). Readers add rows into an array of ``N_BUCKETS`` counts with numpy: the cost
of a row does not grow with the number of aduan behind it, unlike a decoded mapping per row.
Big-endian is PostgreSQL's own ``int4send``, so a bulk build in SQL can write the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

RATIO = 1.25
MAX_BUCKET = 99
N_BUCKETS = MAX_BUCKET + 1
STORED = np.dtype(">i4")

Counts = npt.NDArray[np.int64]


def bucket_of(duration: timedelta) -> int:
    minutes = duration.total_seconds() / 60
    if minutes < 1:
        return 0
    return min(MAX_BUCKET, 1 + int(math.log(minutes) / math.log(RATIO)))


def bucket_minutes(bucket: int) -> float:
    """A representative duration (minutes) of a bucket."""
    if bucket <= 0:
        return 0.5
    return float(RATIO ** (bucket - 0.5))


def empty_counts() -> Counts:
    return np.zeros(N_BUCKETS, dtype=np.int64)


def add_stored(target: Counts, stored: Any) -> None:
    """Add one stored histogram (bytes, or the memoryview a driver returns) into ``target``."""
    if stored:
        counts = np.frombuffer(stored, dtype=STORED)
        target[: len(counts)] += counts


def decode(stored: Any) -> Counts:
    counts = empty_counts()
    add_stored(counts, stored)
    return counts


def encode(counts: Counts) -> bytes:
    """The stored form of ``counts`` (trailing zeros dropped)."""
    used = np.flatnonzero(counts)
    if not len(used):
        return b""
    return counts[: used[-1] + 1].astype(STORED).tobytes()


def encode_mapping(counts: Mapping[int, int]) -> bytes:
    """The stored form of {bucket: count}."""
    array = empty_counts()
    for bucket, n in counts.items():
        array[bucket] += n
    return encode(array)


def stored_sum(parts: Iterable[Any]) -> bytes:
    total = empty_counts()
    for part in parts:
        add_stored(total, part)
    return encode(total)


def quantile_minutes(counts: Counts | None, q: float) -> float | None:
    """The q-quantile (0 < q ≤ 1) of bucket counts, or None when empty."""
    if counts is None:
        return None
    cumulative = np.cumsum(counts)
    total = int(cumulative[-1])
    if total <= 0:
        return None
    rank = max(1, math.ceil(q * total))
    return bucket_minutes(int(np.searchsorted(cumulative, rank)))


class HistogramSums:
    """Many stored histograms summed per target (an index) in a few numpy calls, whatever
    their number: the bytes are joined and decoded at once, each count added to its target's
    bucket by one ``bincount``."""

    def __init__(self) -> None:
        self._parts: list[Any] = []
        self._targets: list[int] = []

    def add(self, target: int, stored: Any) -> None:
        if stored:
            self._parts.append(stored)
            self._targets.append(target)

    def add_all(self, targets: list[int], stored: list[Any]) -> None:
        """``add`` of ``stored[k]`` to ``targets[k]`` for every k."""
        pairs = [(t, part) for t, part in zip(targets, stored, strict=True) if part]
        self._parts.extend(part for _, part in pairs)
        self._targets.extend(t for t, _ in pairs)

    def sums(self, targets: int) -> Counts:
        """A (``targets``, ``N_BUCKETS``) array: row i is the sum of target i's histograms."""
        if not self._parts:
            return np.zeros((targets, N_BUCKETS), dtype=np.int64)
        counts = np.frombuffer(b"".join(self._parts), dtype=STORED)
        lengths = np.fromiter((len(p) for p in self._parts), np.int64, len(self._parts)) // 4
        if lengths.max() > N_BUCKETS:
            raise ValueError("a stored histogram has more than N_BUCKETS buckets")
        starts = np.cumsum(lengths) - lengths
        slot = np.repeat(np.asarray(self._targets, dtype=np.int64) * N_BUCKETS - starts, lengths)
        slot += np.arange(len(counts))
        summed = np.bincount(slot, weights=counts, minlength=targets * N_BUCKETS)
        return np.rint(summed).astype(np.int64).reshape(targets, N_BUCKETS)
