"""The features `rescore.pair_features` defines, for all candidates of a batch of messages
at once: what depends on one claim only (IDF-weighted word lists, facts, bigrams) is
analysed once per registry, what depends on one message only (its typo neighbours in the
registry's vocabulary, its weighted words) once per message, and each pair then costs a
few set operations. Same numbers, in the same summation order, as `pair_features`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from .claimtext import NUM_PREFIX, Analysed, _deletes, weighted_share
from .retrieval import Candidate, ClaimIndex


def _typo_eligible(word: str) -> bool:
    """Words `Analysed.has` matches up to one typo (long, not a number)."""
    return len(word) >= 5 and not word.startswith(NUM_PREFIX)


class _ClaimView(NamedTuple):
    stems: frozenset[str]
    keys: frozenset[str]
    words: tuple[str, ...]  # stems, sorted, with their IDF weights and total
    weights: tuple[float, ...]
    total: float
    event_words: tuple[str, ...]  # stems that are not crucial facts, likewise
    event_weights: tuple[float, ...]
    event_total: float
    unknown: frozenset[str]
    numbers: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    negated: bool


class _MessageView:
    """One message: its words, the registry stems it has (exactly or up to one typo) and,
    for its words with a typo neighbour in the registry, those neighbours."""

    def __init__(self, q: Analysed, scorer: PairScorer) -> None:
        self.q = q
        self.stems = q.stem_set
        self.words, self.weights, self.total = scorer.index.weighted(q.stem_set)
        self.numbers = frozenset(k for k in q.keys if k.startswith(NUM_PREFIX))
        self.vocab = scorer.vocab
        # registry stems p with q.has(p): the message's stems, and long stems sharing a
        # one-deletion form with one of its words
        held = set(q.stem_set)
        self.near: list[tuple[str, frozenset[str]]] = []
        self.key_near: dict[str, frozenset[str]] = {}
        for w in q.stem_set:
            reach, near = scorer.word_links(w)
            held.update(reach)
            if near:
                self.near.append((w, near))
                self.key_near[w] = near
        for w in q.keys - q.stem_set:
            near = scorer.word_links(w)[1]
            if near:
                self.key_near[w] = near
        self.held = held
        self._has: dict[str, bool] = {}

    def has(self, word: str) -> bool:
        """`q.has(word)` for a word of a claim."""
        if word in self.vocab:
            return word in self.held
        got = self._has.get(word)
        if got is None:
            got = self._has[word] = self.q.has(word)
        return got

    def hits(self, claim: frozenset[str]) -> set[str]:
        """The message's stems the claim has (`claim_analysed.has`)."""
        out = set(self.stems & claim)
        for w, near in self.near:
            if w not in out and not near.isdisjoint(claim):
                out.add(w)
        return out

    def claim_has(self, word: str, claim: frozenset[str]) -> bool:
        """`claim_analysed.has(word)` for a word of this message."""
        if word in claim:
            return True
        near = self.key_near.get(word)
        return near is not None and not near.isdisjoint(claim)


class PairScorer:
    """Pair features of (message, candidate claim) pairs against one registry."""

    def __init__(self, index: ClaimIndex, claims: Sequence[Analysed]) -> None:
        self.index = index
        self.claims = claims
        self._views: dict[int, _ClaimView] = {}
        # typo index of the registry's vocabulary: a stem and its one-letter deletions
        # (as `claimtext.fuzzy_pool` makes them) → the stems they come from
        pool: dict[str, set[str]] = {}
        for stem in {s for c in claims for s in c.stem_set}:
            pool.setdefault(stem, set()).add(stem)
            if _typo_eligible(stem):
                for d in _deletes(stem):
                    pool.setdefault(d, set()).add(stem)
        self.pool = {k: frozenset(v) for k, v in pool.items()}
        self.pool_long = {
            k: frozenset(p for p in v if _typo_eligible(p))
            for k, v in pool.items()
            if any(_typo_eligible(p) for p in v)
        }
        self._links: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self.vocab = frozenset(s for c in claims for s in c.stem_set)
        for row in range(len(claims)):
            self._view(row)

    def word_links(self, word: str) -> tuple[frozenset[str], frozenset[str]]:
        """For a word of a message: the long registry stems it has up to one typo (they
        share a one-deletion form with it), and the other registry stems that would
        have it up to one typo; memoised per word."""
        got = self._links.get(word)
        if got is None:
            reach: set[str] = set()
            near: set[str] = set()
            if _typo_eligible(word):
                for token in (word, *_deletes(word)):
                    reach.update(self.pool_long.get(token, ()))
                    near.update(self.pool.get(token, ()))
            else:
                reach.update(self.pool_long.get(word, ()))
            near.discard(word)
            got = (frozenset(reach), frozenset(near))
            if len(self._links) >= 200_000:
                self._links.clear()
            self._links[word] = got
        return got

    def _view(self, row: int) -> _ClaimView:
        got = self._views.get(row)
        if got is None:
            c = self.claims[row]
            words, ws, total = self.index.weighted(c.stem_set)
            ev_words, ev_ws, ev_total = self.index.weighted(c.stem_set - c.keys)
            got = _ClaimView(
                c.stem_set,
                c.keys,
                words,
                ws,
                total,
                ev_words,
                ev_ws,
                ev_total,
                c.unknown,
                frozenset(k for k in c.keys if k.startswith(NUM_PREFIX)),
                c.bigrams,
                c.negated,
            )
            self._views[row] = got
        return got

    def message(self, q: Analysed) -> _MessageView:
        return _MessageView(q, self)

    def features(self, m: _MessageView, cands: Sequence[Candidate]) -> list[list[float]]:
        """Features of each candidate of one message (margins to the other candidates)."""
        lexical = [c.lexical for c in cands]
        top = max(lexical, default=0.0)
        tied = lexical.count(top) > 1
        second = max((v for v in lexical if v != top), default=top)
        out: list[list[float]] = []
        for cand, lex in zip(cands, lexical, strict=True):
            # the best of the other candidates, as max(others) would give it
            if len(cands) == 1:
                best_other = 0.0
            elif lex == top:
                best_other = top if tied else second
            else:
                best_other = top
            out.append(self._pair(m, self._view(cand.row), cand, lex - best_other))
        return out

    def _pair(self, m: _MessageView, c: _ClaimView, cand: Candidate, margin: float) -> list[float]:
        q = m.q
        cs = c.stems
        c_hits = cs & m.held
        q_hits = m.hits(cs)
        missing = sum(1 for k in c.keys if k not in c_hits and not m.has(k))
        extra = sum(1 for k in q.keys if k not in q_hits and not m.claim_has(k, cs))
        cov_claim = weighted_share(c.words, c.weights, c.total, c_hits)
        cov_query = weighted_share(m.words, m.weights, m.total, q_hits)
        cov_event = weighted_share(c.event_words, c.event_weights, c.event_total, c_hits)
        cb = c.bigrams
        qn, cn = m.numbers, c.numbers
        return [
            cand.char,
            cand.word,
            margin,
            cov_claim,
            cov_query,
            cov_event,
            len(cb & q.bigrams) / len(cb) if cb else 0.0,
            float(min(missing, 3)),
            float(min(extra, 3)),
            float(min(sum(1 for u in q.unknown if u not in q_hits), 3)),
            float(min(sum(1 for u in c.unknown if u not in c_hits), 3)),
            1.0 if missing and extra else 0.0,
            1.0 if qn and cn and not qn <= cn else 0.0,
            1.0 - missing / len(c.keys) if c.keys else 1.0,
            1.0 if q.negated != c.negated else 0.0,
            1.0 if len(m.stems) <= 3 else 0.0,
            math.log1p(len(q.stems)),
            min(cov_claim, cov_query),
            cov_event * max(0.0, margin),
        ]
