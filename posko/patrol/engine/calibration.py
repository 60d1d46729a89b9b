"""Fitting the re-scorer and choosing the suggest/auto thresholds on labelled data;
evaluation figures (R@1, auto precision, coverage, look-alike false alarms)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from .matcher import CandidateRow, Claim, ClaimMatcher, MatchResult, decide_rows, decision_features
from .rescore import DecisionModel, Logistic

AUTO_PRECISION = 0.993  # target on out-of-fold data (the goal is ≥ 0.98 on unseen data)
LOOKALIKE_ALARMS = 0.04  # target on out-of-fold data (the goal is ≤ 0.05)


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    claim_id: str | None
    kind: str = ""


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def claims_from_rows(rows: Iterable[dict[str, Any]]) -> list[Claim]:
    return [
        Claim(
            str(r["id"]),
            str(r["claim"]),
            str(r.get("verdict") or ""),
            str(r.get("clarification") or ""),
            r.get("published_at"),
        )
        for r in rows
    ]


LABEL_KEYS = ("claim_id", "expected", "expected_claim_id", "label", "match", "gold")


def labelled_from_rows(rows: Iterable[dict[str, Any]]) -> list[Labelled]:
    out: list[Labelled] = []
    for r in rows:
        gold: Any = None
        for key in LABEL_KEYS:
            if key in r:
                gold = r[key]
                break
        if isinstance(gold, list):
            gold = gold[0] if gold else None
        if gold in ("", "none", "null"):
            gold = None
        out.append(
            Labelled(
                str(r["id"]),
                str(r["text"]),
                None if gold is None else str(gold),
                str(r.get("kind", "")),
            )
        )
    return out


def _pairs(
    matcher: ClaimMatcher, data: Sequence[Labelled]
) -> list[tuple[Labelled, int, list[CandidateRow]]]:
    """Every message as labelled, plus every message with a claim once more with that
    claim left out of the registry: a hard look-alike (its near-duplicates stay)."""
    texts = [d.text for d in data]
    out = [
        (item, len(set(q.stems)), rows)
        for item, (q, rows) in zip(data, matcher.candidate_rows(texts), strict=True)
    ]
    where = {c.id: i for i, c in enumerate(matcher.claims)}
    held = [d for d in data if d.claim_id in where]
    dropped = matcher.candidate_rows([d.text for d in held], [where[str(d.claim_id)] for d in held])
    for item, (q, rows) in zip(held, dropped, strict=True):
        out.append((Labelled(item.id + "~", item.text, None, "dropped"), len(set(q.stems)), rows))
    return out


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> Logistic:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit((x - mean) / scale, y)
    return Logistic(mean.tolist(), scale.tolist(), lr.coef_[0].tolist(), float(lr.intercept_[0]))


def _is(matcher: ClaimMatcher, row: CandidateRow, item: Labelled) -> bool:
    return matcher.claims[row.claim_index].id == item.claim_id


def fit(
    matcher: ClaimMatcher, pairs: Sequence[tuple[Labelled, int, list[CandidateRow]]]
) -> DecisionModel:
    """Ranker on every candidate pair; decider on the ranker's best pair of each message."""
    xs = [r.features for item, _, rows in pairs for r in rows]
    ys = [int(_is(matcher, r, item)) for item, _, rows in pairs for r in rows]
    ranker = _fit(np.array(xs), np.array(ys), 1.0)
    model = DecisionModel(ranker, ranker)
    dx: list[list[float]] = []
    dy: list[int] = []
    for item, _, rows in pairs:
        if rows:
            ranked = sorted(
                ((ranker.probability(r.features), r) for r in rows), key=lambda t: -t[0]
            )
            dx.append(decision_features(ranked))
            dy.append(int(_is(matcher, ranked[0][1], item)))
    model.decider = _fit(np.array(dx), np.array(dy), 0.5)
    return model


def _oof_top(
    model: DecisionModel,
    matcher: ClaimMatcher,
    pairs: Sequence[tuple[Labelled, int, list[CandidateRow]]],
) -> list[tuple[float, bool, bool, int]]:
    """(confidence in the best claim, best is right, message has a claim, content words)."""
    out: list[tuple[float, bool, bool, int]] = []
    for item, words, rows in pairs:
        if not rows:
            out.append((0.0, False, item.claim_id is not None, words))
            continue
        ranked, p = decide_rows(model, rows)
        out.append((p, _is(matcher, ranked[0][1], item), item.claim_id is not None, words))
    return out


def choose_thresholds(
    tops: Sequence[tuple[float, bool, bool, int]], auto_min_words: int
) -> tuple[float, float]:
    """Lowest "suggest" threshold keeping look-alike alarms under target; lowest "auto"
    threshold above which every higher one keeps the auto precision target."""
    grid = [i / 1000 for i in range(1000)]
    t_suggest = 0.999
    negatives = [t for t in tops if not t[2]]
    for t in grid:
        wrong = sum(1 for p, right, has, _ in tops if p >= t and has and not right)
        alarms = sum(1 for p, *_ in negatives if p >= t) / max(1, len(negatives))
        if alarms <= LOOKALIKE_ALARMS and wrong <= 0.05 * max(1, sum(1 for x in tops if x[0] >= t)):
            t_suggest = t
            break
    t_auto = 0.999
    for t in reversed(grid):
        if t < t_suggest:
            break
        chosen = [x for x in tops if x[0] >= t and x[3] >= auto_min_words]
        wrong = sum(1 for x in chosen if not x[1])
        if chosen and wrong / len(chosen) > 1 - AUTO_PRECISION:
            break
        t_auto = t
    return max(t_auto, t_suggest), t_suggest


def calibrate(
    claims: Sequence[Claim],
    train: Sequence[Labelled],
    calib: Sequence[Labelled],
    auto_min_words: int = 4,
) -> DecisionModel:
    """Two-fold (train→calib, calib→train) out-of-fold thresholds; final fit on both."""
    matcher = ClaimMatcher(claims, packaged=False)
    pa, pb = _pairs(matcher, train), _pairs(matcher, calib)
    real_b = [p for p in pb if p[0].kind != "dropped"]
    real_a = [p for p in pa if p[0].kind != "dropped"]
    tops = _oof_top(fit(matcher, pa), matcher, real_b) + _oof_top(fit(matcher, pb), matcher, real_a)
    final = fit(matcher, pa + pb)
    final.auto_min_words = auto_min_words
    final.t_auto, final.t_suggest = choose_thresholds(tops, auto_min_words)
    final.meta = {"train_messages": len(train), "calib_messages": len(calib), "claims": len(claims)}
    return final


def evaluate(results: Sequence[MatchResult], data: Sequence[Labelled]) -> dict[str, Any]:
    """R@1 (on messages with a claim), auto precision, coverage, look-alike false alarms."""
    pos = [(r, d) for r, d in zip(results, data, strict=True) if d.claim_id is not None]
    neg = [r for r, d in zip(results, data, strict=True) if d.claim_id is None]
    r1 = sum(1 for r, d in pos if r.best == d.claim_id)
    r5 = sum(1 for r, d in pos if d.claim_id in {m.claim_id for m in r.matches})
    autos = [(r, d) for r, d in zip(results, data, strict=True) if r.decision == "auto"]
    auto_right = sum(1 for r, d in autos if r.best == d.claim_id)
    caught = sum(1 for r, d in pos if r.decision != "none" and r.best == d.claim_id)
    caught_auto = sum(1 for r, d in pos if r.decision == "auto" and r.best == d.claim_id)
    suggests = [(r, d) for r, d in zip(results, data, strict=True) if r.decision == "suggest"]
    return {
        "messages": len(data),
        "with_claim": len(pos),
        "lookalikes": len(neg),
        "r_at_1": r1 / len(pos) if pos else None,
        "r_at_5": r5 / len(pos) if pos else None,
        "auto": len(autos),
        "auto_precision": auto_right / len(autos) if autos else None,
        "auto_coverage": caught_auto / len(pos) if pos else None,
        "coverage": caught / len(pos) if pos else None,
        "suggest_precision": (
            sum(1 for r, d in suggests if r.best == d.claim_id) / len(suggests)
            if suggests
            else None
        ),
        "lookalike_false_alarms": sum(1 for r in neg if r.decision != "none") / len(neg)
        if neg
        else None,
    }


def format_report(fig: dict[str, Any]) -> str:
    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.3f}"

    return (
        f"messages {fig['messages']} ({fig['with_claim']} with a claim, "
        f"{fig['lookalikes']} look-alikes)\n"
        f"R@1 {pct(fig['r_at_1'])}  R@5 {pct(fig['r_at_5'])}\n"
        f"auto: {fig['auto']} decisions, precision {pct(fig['auto_precision'])}, "
        f"catches {pct(fig['auto_coverage'])} of real matches\n"
        f"auto+suggest catch {pct(fig['coverage'])} of real matches "
        f"(suggest precision {pct(fig['suggest_precision'])})\n"
        f"look-alike false alarms (decision != none) {pct(fig['lookalike_false_alarms'])}\n"
    )
