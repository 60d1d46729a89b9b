"""Log-spaced duration buckets (minutes): median and p90 come from bucket counts, without
scanning aduan. Bucket 0 holds durations under one minute; bucket b ≥ 1 holds
[RATIO**(b-1), RATIO**b) minutes. The estimate is the bucket's geometric midpoint (±12 %)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta

RATIO = 1.25
MAX_BUCKET = 99


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


def quantile_minutes(hist: Mapping[str, int], q: float) -> float | None:
    """The q-quantile (0 < q ≤ 1) of a histogram {bucket: count}, or None when empty."""
    items = sorted((int(b), n) for b, n in hist.items() if n > 0)
    total = sum(n for _, n in items)
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for bucket, n in items:
        seen += n
        if seen >= rank:
            return bucket_minutes(bucket)
    return bucket_minutes(items[-1][0])  # pragma: no cover - unreachable
