"""Claim matcher: lexical retrieval, re-scoring and the suggest/auto decision."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .claimpairs import PairScorer
from .claimtext import Analysed, analyse
from .rescore import DECISION_INDEX, DecisionModel, load_model
from .retrieval import ClaimIndex

RESCORE = 6  # lexical candidates re-scored per message
# A registry this large leaves millions of long-lived objects (analysed claims, views,
# typo index) that every full garbage collection walks again; they are moved out of the
# collector once, when the registry is loaded (`gc.freeze`).
FREEZE_MIN_CLAIMS = 5_000
MAX_MATCHES = 5
DECISIONS = ("auto", "suggest", "none")


BACKGROUND_FILES = ("data/background.txt",)


@lru_cache(maxsize=1)
def background_texts() -> tuple[Analysed, ...]:
    """General Indonesian claim-and-message texts (the project's own, one per line) that
    steady the IDF weights; empty when the file is missing."""
    res = resources.files("posko.patrol").joinpath(BACKGROUND_FILES[0])
    if not res.is_file():
        return ()
    return tuple(analyse(line) for line in res.read_text("utf-8").splitlines() if line.strip())


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    verdict: str = ""
    clarification: str = ""
    published_at: str | None = None


@dataclass(frozen=True)
class ScoredClaim:
    claim_id: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    matches: tuple[ScoredClaim, ...]
    decision: str

    @property
    def best(self) -> str | None:
        return self.matches[0].claim_id if self.matches else None


@dataclass(frozen=True)
class CandidateRow:
    """One (message, claim) pair with its features (for calibration and explanation)."""

    claim_index: int
    features: list[float]


def decide_rows(
    model: DecisionModel, rows: Sequence[CandidateRow]
) -> tuple[list[tuple[float, CandidateRow]], float]:
    """Candidates ranked by the ranker, and the decider's confidence in the best one."""
    ranked = sorted(
        ((model.ranker.probability(r.features), r) for r in rows),
        key=lambda t: (-t[0], t[1].claim_index),
    )
    return ranked, model.decider.probability(decision_features(ranked))


def decision_features(ranked: Sequence[tuple[float, CandidateRow]]) -> list[float]:
    p1 = ranked[0][0]
    p2 = ranked[1][0] if len(ranked) > 1 else 0.0
    feats = ranked[0][1].features
    return [*(feats[i] for i in DECISION_INDEX), p2 / p1 if p1 > 0 else 0.0]


class ClaimMatcher:
    """Matches messages against one registry; `model=None` uses the packaged calibration."""

    def __init__(
        self, claims: Sequence[Claim], model: DecisionModel | None = None, *, packaged: bool = True
    ) -> None:
        self.claims = list(claims)
        self.analysed = [analyse(c.claim) for c in self.claims]
        self.index = ClaimIndex(self.analysed, background_texts())
        self.pairs = PairScorer(self.index, self.analysed)
        self.model = model if model is not None or not packaged else load_model()
        if len(self.claims) >= FREEZE_MIN_CLAIMS:
            gc.collect()  # nothing unreachable is frozen
            gc.freeze()

    def candidate_rows(
        self, texts: Sequence[str], exclude: Sequence[int | None] | None = None
    ) -> list[tuple[Analysed, list[CandidateRow]]]:
        """Features of each message's lexical candidates; `exclude` drops one claim per
        message (calibration: the message then stands for one matching no claim)."""
        qs = [analyse(t) for t in texts]
        out: list[tuple[Analysed, list[CandidateRow]]] = []
        found = self.index.search(qs, RESCORE + (1 if exclude else 0))
        for n, (q, cands) in enumerate(zip(qs, found, strict=True)):
            if exclude:
                cands = [c for c in cands if c.row != exclude[n]][:RESCORE]
            feats = self.pairs.features(self.pairs.message(q), cands)
            rows = [CandidateRow(c.row, f) for c, f in zip(cands, feats, strict=True)]
            out.append((q, rows))
        return out

    def match(self, texts: Sequence[str]) -> list[MatchResult]:
        """Up to five claims per message, best first, and the decision on the best one."""
        model = self.model
        if model is None:
            raise RuntimeError("no calibrated matcher model; run `posko patrol calibrate`")
        results: list[MatchResult] = []
        for q, rows in self.candidate_rows(texts):
            if not rows:
                results.append(MatchResult((), "none"))
                continue
            ranked, confidence = decide_rows(model, rows)
            scores = [confidence] + [p for p, _ in ranked[1:MAX_MATCHES]]
            matches = tuple(
                ScoredClaim(self.claims[r.claim_index].id, round(min(s, confidence), 4))
                for s, (_, r) in zip(scores, ranked[:MAX_MATCHES], strict=False)
            )
            results.append(MatchResult(matches, model.decide(confidence, len(set(q.stems)))))
        return results

    def match_one(self, text: str) -> MatchResult:
        return self.match([text])[0]
