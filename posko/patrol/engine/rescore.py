"""The decision step: features of a (message, claim) pair and the logistic re-scorer.

Features are registry-independent (cosines, coverage, crucial-fact agreement), so one
calibrated model serves any registry. The model (weights, scaling) and the "suggest" /
"auto" thresholds are data: `posko/patrol/data/matcher.json`, written by
`posko patrol calibrate`.
"""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .claimtext import NUM_PREFIX, Analysed, weighted_share

FEATURES = (
    "char",
    "word",
    "margin",
    "cov_claim",
    "cov_query",
    "cov_event",
    "bigram",
    "key_missing",
    "key_extra",
    "unknown_extra",
    "unknown_missing",
    "key_conflict",
    "num_conflict",
    "key_cov",
    "neg_mismatch",
    "short",
    "qlen",
    "cov_min",
    "event_margin",
)


def _share(src: frozenset[str], hits: set[str], weighted: Any) -> float:
    """IDF-weighted share of `src` found in `hits`; `weighted(src)` gives the words in a
    fixed order (the same sums in every process), their weights and total."""
    words, ws, total = weighted(src)
    return weighted_share(words, ws, total, hits)


def pair_features(
    q: Analysed, c: Analysed, *, word: float, char: float, margin: float, weighted: Any
) -> list[float]:
    qs, cs = q.stem_set, c.stem_set
    c_hits = {s for s in cs if q.has(s)}  # claim words the message has
    q_hits = {s for s in qs if c.has(s)}  # message words the claim has
    missing = [k for k in c.keys if k not in c_hits and not q.has(k)]
    extra = [k for k in q.keys if k not in q_hits and not c.has(k)]
    qn = {k for k in q.keys if k.startswith(NUM_PREFIX)}
    cn = {k for k in c.keys if k.startswith(NUM_PREFIX)}
    cb = c.bigrams
    cov_claim = _share(cs, c_hits, weighted)
    cov_query = _share(qs, q_hits, weighted)
    cov_event = _share(cs - c.keys, c_hits, weighted)
    return [
        char,
        word,
        margin,
        cov_claim,
        cov_query,
        cov_event,
        len(cb & q.bigrams) / len(cb) if cb else 0.0,
        float(min(len(missing), 3)),
        float(min(len(extra), 3)),
        float(min(sum(1 for u in q.unknown if u not in q_hits), 3)),
        float(min(sum(1 for u in c.unknown if u not in c_hits), 3)),
        1.0 if missing and extra else 0.0,
        1.0 if qn and cn and not qn <= cn else 0.0,
        1.0 - len(missing) / len(c.keys) if c.keys else 1.0,
        1.0 if q.negated != c.negated else 0.0,
        1.0 if len(qs) <= 3 else 0.0,
        math.log1p(len(q.stems)),
        min(cov_claim, cov_query),
        cov_event * max(0.0, margin),
    ]


# The decider sees absolute features only (no margins: in a registry of a few claims
# every margin is large) plus how close the runner-up comes (ranker probability ratio).
RELATIVE = frozenset({"margin", "event_margin"})
DECISION_FEATURES = (*(f for f in FEATURES if f not in RELATIVE), "tie")
DECISION_INDEX = tuple(i for i, f in enumerate(FEATURES) if f not in RELATIVE)


@dataclass
class Logistic:
    """A standardised logistic regression, stored as plain numbers."""

    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    def __post_init__(self) -> None:
        # standardisation folded into the weights: z = b + sum(w_i * x_i)
        self._w = [w / s for w, s in zip(self.coef, self.scale, strict=True)]
        self._b = self.intercept - sum(w * m for w, m in zip(self._w, self.mean, strict=True))

    def probability(self, x: list[float]) -> float:
        if len(x) != len(self._w):
            raise ValueError("feature vector of the wrong length")
        z = self._b + sum(map(operator.mul, self._w, x))  # left to right, as a generator
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "scale": self.scale,
            "coef": self.coef,
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Logistic:
        return cls(
            [float(v) for v in data["mean"]],
            [float(v) for v in data["scale"]],
            [float(v) for v in data["coef"]],
            float(data["intercept"]),
        )


@dataclass
class DecisionModel:
    """Ranker (which claim) and decider (is the best one really it), plus thresholds.

    The ranker scores every (message, candidate) pair; the decider sees the best pair's
    features plus the ranker's probability and its gap to the runner-up, and gives the
    probability that the best claim is the right one. Stored as JSON.
    """

    ranker: Logistic
    decider: Logistic
    t_auto: float = 0.9
    t_suggest: float = 0.5
    auto_min_words: int = 4
    meta: dict[str, Any] = field(default_factory=dict)

    def decide(self, p: float, content_words: int) -> str:
        if p >= self.t_auto and content_words >= self.auto_min_words:
            return "auto"
        return "suggest" if p >= self.t_suggest else "none"

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "decision_features": list(DECISION_FEATURES),
            "ranker": self.ranker.to_json(),
            "decider": self.decider.to_json(),
            "t_auto": self.t_auto,
            "t_suggest": self.t_suggest,
            "auto_min_words": self.auto_min_words,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DecisionModel:
        if list(data["features"]) != list(FEATURES):
            raise ValueError("matcher model was calibrated for other features; recalibrate")
        return cls(
            ranker=Logistic.from_json(data["ranker"]),
            decider=Logistic.from_json(data["decider"]),
            t_auto=float(data["t_auto"]),
            t_suggest=float(data["t_suggest"]),
            auto_min_words=int(data["auto_min_words"]),
            meta=dict(data.get("meta", {})),
        )


MODEL_FILE = "data/matcher.json"


def load_model(path: str | Path | None = None) -> DecisionModel | None:
    """The calibrated model (the packaged one by default); None when none exists yet."""
    if path is not None:
        return DecisionModel.from_json(json.loads(Path(path).read_text("utf-8")))
    res = resources.files("posko.patrol").joinpath(MODEL_FILE)
    if not res.is_file():
        return None
    return DecisionModel.from_json(json.loads(res.read_text("utf-8")))
