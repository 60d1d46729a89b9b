"""Ramp detectors compared offline on replayed days that are not the spike bench's
(seeds 100-105 of the same generator): per (minute, key) scores on one clipped EWMA
baseline (the shipped detector's, without its freeze, which only acts after an alert),
false alarms per day (threshold crossings, one per key per 30 minutes) on each day without
a burst, and for 10 ramps per day (to 10x within 15 min, as in `patrol_spike_bench`) the
delay of the first crossing. Ends with an oracle that knows the generator's true rate of
every key and minute (exact Poisson tail): the bound any baseline can reach on this stream.

    .venv/bin/python bench/patrol_spike_frontier.py
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from patrol_spike_bench import day_rates, popularity
from scipy.special import pdtrc

SEEDS = (100, 101, 102, 103, 104, 105)
DEPTH = 10  # minutes of counts kept per key
Score = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def make_day(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Warm-up day, true rates, the day without a burst, and 10 ramps (key, start)."""
    rng = np.random.default_rng(seed)
    pop = popularity(rng)
    warm = rng.poisson(day_rates(rng, pop))
    rates = day_rates(rng, pop)
    base = rng.poisson(rates)
    order = np.argsort(rates.mean(axis=0))
    plan = [
        (int(order[int(len(order) * (0.70 + 0.025 * r))]), int(rng.integers(420, 1320)))
        for r in range(10)
    ]
    return warm, rates, base, plan


def with_ramps(seed: int, rates: np.ndarray, base: np.ndarray, plan: list) -> np.ndarray:
    rng = np.random.default_rng(seed + 10_000)
    counts = base.copy()
    for key, start in plan:  # distinct keys: each key's score depends on its column only
        grow = 1 + 9 * np.minimum(1.0, (np.arange(45) + 1) / 15)
        counts[start : start + 45, key] = rng.poisson(rates[start : start + 45, key] * grow)
    return counts


def baseline(
    warm: np.ndarray, day: np.ndarray, clip_sd: float = 3.0, half_life: float = 30.0
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """(minute of the day, last DEPTH minutes newest first, mean, var) before each update."""
    alpha = 1 - 0.5 ** (1 / half_life)
    k = day.shape[1]
    mean, var, ring = np.zeros(k), np.zeros(k), np.zeros((DEPTH, k))
    for t, x in enumerate(np.vstack([warm, day]).astype(float)):
        ring = np.roll(ring, 1, axis=0)
        ring[0] = x
        yield t - len(warm), ring, mean, var
        sd = np.sqrt(np.maximum(var, mean) + 1.0)
        d = np.clip(x - mean, -clip_sd * sd, clip_sd * sd)
        mean = mean + alpha * d
        var = (1 - alpha) * (var + alpha * d * d)


def scores(warm: np.ndarray, day: np.ndarray, score: Score) -> np.ndarray:
    out = np.full(day.shape, -np.inf)
    state = np.zeros(day.shape[1])
    for m, ring, mean, var in baseline(warm, day):
        s = score(ring, mean, var, state)
        if m >= 0:
            out[m] = s
    return out


def windowed(windows=(1, 2, 3, 5), min_count=8, min_ratio=3.0) -> Score:
    """The shipped test: max over windows of (sum − w·mean)/sqrt(w·max(var, mean) + 1)."""

    def f(ring, mean, var, state):
        best = np.full(mean.shape, -np.inf)
        for w in windows:
            s, e = ring[:w].sum(0), w * mean
            z = (s - e) / np.sqrt(w * np.maximum(var, mean) + 1.0)
            best = np.maximum(best, np.where((s >= min_count) & (s >= min_ratio * e), z, -np.inf))
        return best

    return f


def cusum(k: float, min_count=8, min_ratio=2.0) -> Score:
    """Page's CUSUM of the standardised rate, reset at 0; ≥ min_count, ≥ min_ratio× over 5 min."""

    def f(ring, mean, var, state):
        state[:] = np.maximum(
            0.0, state + (ring[0] - mean) / np.sqrt(np.maximum(var, mean) + 1) - k
        )
        s = ring[:5].sum(0)
        return np.where((s >= min_count) & (s >= min_ratio * 5 * mean), state, -np.inf)

    return f


def ramp_matched(rel=0.15, windows=(3, 4, 5, 6, 8, 10), min_count=8, min_ratio=2.0) -> Score:
    """Max over onsets w of Σ j·(x_j − mean) (weights growing to the newest minute), with a
    relative uncertainty `rel` of the baseline level."""

    def f(ring, mean, var, state):
        v = np.maximum(var, mean)
        best = np.full(mean.shape, -np.inf)
        for w in windows:
            j = np.arange(w, 0, -1.0)[:, None]
            num = (j * (ring[:w] - mean)).sum(0)
            den = np.sqrt((j**2).sum() * v + (rel * mean * j.sum()) ** 2 + 1.0)
            s = ring[:w].sum(0)
            ok = (s >= min_count) & (s >= min_ratio * w * mean)
            best = np.maximum(best, np.where(ok, num / den, -np.inf))
        return best

    return f


def two_windows(a=5.0, b=4.0, ratio=3.0, min_count=8) -> Score:
    """Both the 5-minute z ≥ a·h and the 2-minute z ≥ b·h; the last 2 minutes ≥ ratio×."""

    def f(ring, mean, var, state):
        v = np.maximum(var, mean)
        s5, s2 = ring[:5].sum(0), ring[:2].sum(0)
        z5 = (s5 - 5 * mean) / np.sqrt(5 * v + 1.0)
        z2 = (s2 - 2 * mean) / np.sqrt(2 * v + 1.0)
        ok = (s5 >= min_count) & (s2 >= ratio * 2 * mean)
        return np.where(ok, np.minimum(z5 / a, z2 / b), -np.inf)

    return f


def oracle(rates: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """−log10 of the exact Poisson tail of the last 1–5 minutes against the true rates."""
    out = np.full(counts.shape, -np.inf)
    cs = np.vstack([np.zeros((1, counts.shape[1])), np.cumsum(counts, 0)])
    cr = np.vstack([np.zeros((1, counts.shape[1])), np.cumsum(rates, 0)])
    for w in range(1, 6):
        s, e = cs[w:] - cs[:-w], cr[w:] - cr[:-w]
        p = -np.log10(np.maximum(pdtrc(s - 1, e), 1e-300))
        out[w - 1 :] = np.maximum(out[w - 1 :], np.where(s >= 8, p, -np.inf))
    return out


def false_alarms(score: np.ndarray, h: float, gap: int = 30) -> int:
    n = 0
    for k in range(score.shape[1]):
        last = -(10**9)
        for i in np.flatnonzero(score[:, k] >= h).tolist():
            n += i - last > gap
            last = i
    return n


def delays(score: np.ndarray, plan: list, h: float) -> list[int | None]:
    out: list[int | None] = []
    for key, start in plan:
        hit = np.flatnonzero(score[start : start + 30, key] >= h)
        out.append(int(hit[0]) + 1 if len(hit) else None)
    return out


def report(label: str, h: float, pairs: list[tuple[np.ndarray, np.ndarray, list]]) -> None:
    fas = [false_alarms(s0, h) for s0, _, _ in pairs]
    ds = [d for _, s1, plan in pairs for d in delays(s1, plan, h)]
    ok = sorted(d for d in ds if d is not None)
    print(
        f"{label}: within 5 min {sum(d <= 5 for d in ok)}/{len(ds)}, within 9 "
        f"{sum(d <= 9 for d in ok)}, never (30 min) {len(ds) - len(ok)}, median "
        f"{ok[len(ok) // 2] if ok else None}; false alarms per day {fas}"
    )


def main() -> None:
    days = []
    for seed in SEEDS:
        warm, rates, base, plan = make_day(seed)
        days.append((warm, rates, base, with_ramps(seed, rates, base, plan), plan))
    candidates: list[tuple[str, Score, list[float]]] = [
        ("shipped (z over 1/2/3/5 min, >= 8 posts, >= 3x)", windowed(), [6.5, 7.0]),
        ("CUSUM k 1.0", cusum(1.0), [10.0]),
        ("CUSUM k 1.5", cusum(1.5), [10.0]),
        ("ramp-matched score, 15 % level uncertainty", ramp_matched(), [6.5, 7.0]),
        ("two windows (5-min z >= 5h and 2-min z >= 4h, 2-min >= 3x)", two_windows(), [1.1]),
    ]
    for label, score, hs in candidates:
        pairs = [(scores(w, b, score), scores(w, r, score), p) for w, _, b, r, p in days]
        for h in hs:
            report(f"{label}, h {h}", h, pairs)
    pairs = [(oracle(rt, b), oracle(rt, r), p) for _, rt, b, r, p in days]
    for h in (6.5, 7.0):
        report(f"oracle (true rates, exact Poisson tail), -log10 p >= {h}", h, pairs)


if __name__ == "__main__":
    main()
