"""Spike detector: per (topic, place) key, a rolling baseline of posts per minute and an
alert when the last 1–5 minutes are far above it; one alert per spike.

Baseline: exponentially weighted mean and variance of the per-minute count (half-life
`half_life_min`), frozen while the key is in a spike, each minute's update clipped at
`clip_sd` standard deviations (so a slow ramp does not inflate the variance that should
reveal it). Test: for each window w in `windows`,
z = (sum of last w minutes − w·mean) / sqrt(w·max(var, mean) + 1); the key
alerts when any z ≥ `z_threshold`, the window sum ≥ `min_count` and ≥ `min_ratio`×
its expectation. The spike lasts until `quiet_minutes` consecutive minutes fall back
under `end_ratio`× the baseline; no second alert is raised for it. Vectorised over keys
with numpy, one step per minute.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SpikePolicy:
    """Thresholds (per Polres in the database; these are the defaults)."""

    half_life_min: float = 30.0
    windows: tuple[int, ...] = (1, 2, 3, 5)
    z_threshold: float = 6.5
    min_count: int = 8
    min_ratio: float = 3.0
    end_ratio: float = 1.5
    quiet_minutes: int = 10
    clip_sd: float = 3.0  # a minute moves the baseline by at most this many std devs
    warmup_minutes: int = 60


@dataclass(frozen=True)
class Spike:
    key: Hashable
    minute: int  # bucket index when the alert was raised
    count: int  # posts in the detecting window
    expected: float  # baseline posts for that window
    window: int  # minutes
    z: float


class SpikeDetector:
    """Streaming detector over a fixed or growing set of keys."""

    def __init__(self, policy: SpikePolicy | None = None) -> None:
        self.policy = policy or SpikePolicy()
        self.keys: dict[Hashable, int] = {}
        self._grow(64)
        self.n = 0
        self.minute: int | None = None
        self._pending = np.zeros(self.cap)

    def _grow(self, cap: int) -> None:
        depth = max(self.policy.windows)
        self.cap = cap
        self.mean = np.zeros(cap)
        self.var = np.zeros(cap)
        self.seen = np.zeros(cap, dtype=np.int64)
        self.ring = np.zeros((depth, cap))
        self.active = np.zeros(cap, dtype=bool)
        self.quiet = np.zeros(cap, dtype=np.int64)

    def _index(self, key: Hashable) -> int:
        i = self.keys.get(key)
        if i is None:
            i = self.keys[key] = len(self.keys)
            if i >= self.cap:
                self._resize(self.cap * 2)
        return i

    def _resize(self, cap: int) -> None:
        old = (self.mean, self.var, self.seen, self.ring, self.active, self.quiet, self._pending)
        n = self.cap
        self._grow(cap)
        self.mean[:n], self.var[:n], self.seen[:n] = old[0], old[1], old[2]
        self.ring[:, :n], self.active[:n], self.quiet[:n] = old[3], old[4], old[5]
        pending = np.zeros(cap)
        pending[:n] = old[6]
        self._pending = pending

    def add(self, minute: int, key: Hashable, count: int = 1) -> list[Spike]:
        """Count posts of `key` in bucket `minute` (non-decreasing); returns alerts of
        the buckets this closes."""
        alerts: list[Spike] = []
        if self.minute is None:
            self.minute = minute
        while minute > self.minute:
            alerts.extend(self.close_minute())
        i = self._index(key)  # may grow the arrays
        self._pending[i] += count
        return alerts

    def add_counts(self, minute: int, counts: dict[Hashable, int]) -> list[Spike]:
        alerts: list[Spike] = []
        for key, c in counts.items():
            alerts.extend(self.add(minute, key, c))
        return alerts

    def close_minute(self) -> list[Spike]:
        """Close the current bucket: test every key, update baselines, move on."""
        p = self.policy
        x = self._pending
        self.ring = np.roll(self.ring, 1, axis=0)
        self.ring[0] = x
        alpha = 1.0 - 0.5 ** (1.0 / p.half_life_min)
        ready = self.n >= p.warmup_minutes  # a new key's baseline is zero posts
        best_z = np.full(self.cap, -np.inf)
        best_w = np.ones(self.cap, dtype=np.int64)
        best_sum = np.zeros(self.cap)
        fire = np.zeros(self.cap, dtype=bool)
        for w in p.windows:
            s = self.ring[:w].sum(axis=0)
            exp = w * self.mean
            z = (s - exp) / np.sqrt(w * np.maximum(self.var, self.mean) + 1.0)
            ok = (z >= p.z_threshold) & (s >= p.min_count) & (s >= p.min_ratio * exp)
            better = z > best_z
            best_z = np.where(better, z, best_z)
            best_w = np.where(better, w, best_w)
            best_sum = np.where(better, s, best_sum)
            fire |= ok
        new = fire & ready & ~self.active
        # spike end: quiet minutes under end_ratio × baseline
        calm = x <= p.end_ratio * self.mean + 1.0
        self.quiet = np.where(self.active & calm, self.quiet + 1, 0)
        self.active = (self.active | new) & ~(self.quiet >= p.quiet_minutes)
        upd = ~self.active
        # Huber-clipped update: a burst that ramps up slowly must not teach the baseline
        # its own growth (an unclipped EWMA variance swells with the ramp and hides it).
        sd = np.sqrt(np.maximum(self.var, self.mean) + 1.0)
        d = np.clip(x - self.mean, -p.clip_sd * sd, p.clip_sd * sd)
        self.mean = np.where(upd, self.mean + alpha * d, self.mean)
        self.var = np.where(upd, (1 - alpha) * (self.var + alpha * d * d), self.var)
        self.seen += 1
        self.n += 1
        assert self.minute is not None
        minute = self.minute
        self.minute += 1
        self._pending = np.zeros(self.cap)
        names: dict[int, Hashable] = {i: k for k, i in self.keys.items()} if new.any() else {}
        return [
            Spike(
                names[i],
                minute,
                int(best_sum[i]),
                float(best_w[i] * self.mean[i]),
                int(best_w[i]),
                float(best_z[i]),
            )
            for i in np.flatnonzero(new).tolist()
            if i in names
        ]

    def run(self, minutes: Iterable[tuple[int, dict[Hashable, int]]]) -> list[Spike]:
        out: list[Spike] = []
        for minute, counts in minutes:
            out.extend(self.add_counts(minute, counts))
        return out
