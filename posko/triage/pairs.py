"""Pair features of many message pairs at once (numpy and scipy.sparse, no Python loop per
pair): the features `incidents.pair_features` defines for one pair, for every candidate pair
of a batch in a few array operations. Set intersections (words, facts, names, ages) are
row-wise products of sparse 0/1 matrices; places, groups and channels are integer codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .incidents import EventFeatures

# Pairs whose features are built in one go (bounds the memory of a large batch).
PAIR_BLOCK = 65_536


class _Codes:
    """Integer codes of strings (0 = None)."""

    def __init__(self) -> None:
        self.ids: dict[object, int] = {None: 0}

    def __call__(self, value: object) -> int:
        got = self.ids.get(value)
        if got is None:
            got = self.ids[value] = len(self.ids)
        return got


def _sparse(sets: Sequence[frozenset[str]], cols: _Codes) -> object:
    from scipy.sparse import csr_matrix

    ids = cols.ids
    code = ids.setdefault
    indices = [code(w, len(ids)) for s in sets for w in s]
    indptr = np.cumsum([0, *map(len, sets)])
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(sets), len(cols.ids) + 1),
    )


class MessageArrays:
    """What the pair features compare of each message, as arrays (one row per message)."""

    def __init__(self, features: Sequence[EventFeatures]) -> None:
        from .incidents import RELATED_GROUPS, URGENT_GROUPS

        self.features = features
        groups, places, channels, cats = _Codes(), _Codes(), _Codes(), _Codes()
        self.ts = np.array([f.ts for f in features], dtype=np.float64)
        self.timed = np.array([f.timed for f in features], dtype=bool)
        self.group = np.array([groups(f.group) for f in features], dtype=np.int64)
        self.category = np.array([cats(f.category) for f in features], dtype=np.int64)
        self.desa = np.array([places(f.desa or None) for f in features], dtype=np.int64)
        self.kecamatan = np.array([places(f.kecamatan or None) for f in features], dtype=np.int64)
        self.channel = np.array([channels(f.channel or None) for f in features], dtype=np.int64)
        self.neutral = np.array([f.neutral for f in features], dtype=bool)
        self.cue = np.array([f.cue or f.followup for f in features], dtype=bool)
        self.also = np.array([bool(f.also_desa) for f in features], dtype=bool)
        self.n_words = np.array([len(f.words) for f in features], dtype=np.float64)
        self.n_names = np.array([len(f.names) for f in features], dtype=np.int64)
        self.n_ages = np.array([len(f.ages) for f in features], dtype=np.int64)
        cols = _Codes()
        self.words = _sparse([f.words for f in features], cols)
        self.facts = _sparse([f.facts for f in features], cols)
        self.names = _sparse([f.names for f in features], cols)
        self.ages = _sparse([f.ages for f in features], cols)
        n_groups = len(groups.ids)
        ids = groups.ids
        self.urgent = np.zeros(n_groups, dtype=bool)
        for g in URGENT_GROUPS:
            if g in ids:
                self.urgent[ids[g]] = True
        self.related = np.zeros((n_groups, n_groups), dtype=bool)
        for pair in RELATED_GROUPS:
            if all(g in ids for g in pair):
                g1, g2 = (ids[g] for g in pair)
                self.related[g1, g2] = self.related[g2, g1] = True
        self.hoaks = ids.get("hoaks", -1)
        self.orang_hilang = ids.get("orang_hilang", -1)


def _inter(m: object, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|set a ∩ set b| per pair, from a sparse 0/1 matrix of the sets."""
    prod = m[a].multiply(m[b])  # type: ignore[index]
    return np.asarray(prod.sum(axis=1)).ravel()


def pair_matrix(
    arrays: MessageArrays, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows of the pairs (a[k] later, b[k] earlier) and a mask of the vetoed ones."""
    from .incidents import MAX_GAP_HOURS, UNTIMED_GAP_HOURS, place_relation

    m = arrays
    both_timed = m.timed[a] & m.timed[b]
    hours = np.where(both_timed, np.abs(m.ts[a] - m.ts[b]) / 3600, UNTIMED_GAP_HOURS)
    # place relation: 1 same desa, 2 same kecamatan, 3 one place, 4 none, 0 conflict
    da, db, ka, kb = m.desa[a], m.desa[b], m.kecamatan[a], m.kecamatan[b]
    place = np.where(
        (da > 0) & (db > 0),
        np.where(da == db, 1, 0),
        np.where(
            (ka > 0) & (kb > 0), np.where(ka == kb, 2, 0), np.where((ka > 0) | (kb > 0), 3, 4)
        ),
    )
    special = np.flatnonzero(m.also[a] | m.also[b])  # a message naming two desa: exact rule
    if special.size:
        codes = {"conflict": 0, "same_desa": 1, "same_kecamatan": 2, "one_place": 3, "no_place": 4}
        feats = m.features
        for k in special.tolist():
            place[k] = codes[place_relation(feats[int(a[k])], feats[int(b[k])])]
    ga, gb = m.group[a], m.group[b]
    inter_ages = _inter(m.ages, a, b)
    vetoed = (hours > MAX_GAP_HOURS) | ((place == 0) & ~((ga == m.hoaks) & (gb == m.hoaks)))
    vetoed |= (
        ((ga == m.orang_hilang) | (gb == m.orang_hilang))
        & (m.n_ages[a] > 0)
        & (m.n_ages[b] > 0)
        & (inter_ages == 0)
    )
    inter = _inter(m.words, a, b)
    n_a, n_b = m.n_words[a], m.n_words[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(
            inter > 0, inter / np.minimum(n_a, n_b) * 0.5 + inter / (n_a + n_b - inter) * 0.5, 0.0
        )
    n_shared = np.minimum(inter, 4) / 4
    inter_names = _inter(m.names, a, b)
    differ = (m.n_names[a] > 0) & (m.n_names[b] > 0) & (inter_names == 0)
    neutral = m.neutral[a] | m.neutral[b]
    cue = m.cue[a]
    same_group = (ga > 0) & (ga == gb)
    same_place = (place == 1) | (place == 2)
    ca, cb = m.channel[a], m.channel[b]
    cols = [
        np.ones(len(a)),
        (m.category[a] > 0) & (m.category[a] == m.category[b]),
        same_group,
        neutral,
        hours <= 1 / 6,
        hours <= 1,
        hours <= 6,
        np.log1p(hours),
        place == 1,
        place == 2,
        place == 3,
        place == 4,
        sim,
        n_shared,
        np.minimum(_inter(m.facts, a, b), 2) / 2,
        np.minimum(inter_names, 2) / 2,
        differ,
        differ & neutral,
        cue,
        cue * n_shared,
        neutral * n_shared,
        (ca > 0) & (cb > 0) & (ca != cb),
        same_group & m.urgent[ga] & same_place & (hours <= 3),
        same_group & (hours <= 1),
        same_group & cue & (hours <= 2),
        m.related[ga, gb],
        inter_ages > 0,
        m.neutral[a] & m.neutral[b],
    ]
    out = np.empty((len(cols), len(a)), dtype=np.float64)  # one feature per row, filled
    for k, c in enumerate(cols):
        out[k] = c
    return np.ascontiguousarray(out.T), vetoed


class PairTrees:
    """A small ensemble of regression trees over the pair features (gradient boosting,
    fitted with scikit-learn, exported to plain lists: no pickle). Leaf values already carry
    the learning rate; the score is their sum (a logit)."""

    def __init__(self, trees: Sequence[dict[str, list[float] | list[int]]]) -> None:
        self.trees = [
            (
                [int(v) for v in t["feature"]],
                [float(v) for v in t["threshold"]],
                [int(v) for v in t["left"]],
                [int(v) for v in t["right"]],
                [float(v) for v in t["value"]],
            )
            for t in trees
        ]

    @classmethod
    def from_sklearn(cls, clf: object) -> PairTrees:
        """From a fitted GradientBoostingClassifier(init="zero") (its public tree arrays)."""
        rate = float(clf.learning_rate)  # type: ignore[attr-defined]
        out = []
        for est in clf.estimators_[:, 0]:  # type: ignore[attr-defined]
            t = est.tree_
            out.append(
                {
                    "feature": t.feature.tolist(),
                    "threshold": [float(v) for v in t.threshold],
                    "left": t.children_left.tolist(),
                    "right": t.children_right.tolist(),
                    "value": [round(float(v) * rate, 6) for v in t.value[:, 0, 0]],
                }
            )
        return cls(out)

    def to_json(self) -> list[dict[str, list[float] | list[int]]]:
        return [
            {"feature": f, "threshold": th, "left": lo, "right": hi, "value": v}
            for f, th, lo, hi, v in self.trees
        ]

    def score_one(self, x: Sequence[float]) -> float:
        total = 0.0
        for feature, threshold, left, right, value in self.trees:
            node = 0
            while left[node] >= 0:
                node = left[node] if x[feature[node]] <= threshold[node] else right[node]
            total += value[node]
        return total

    def score_matrix(self, x: np.ndarray) -> np.ndarray:
        """Scores of many rows: each tree evaluated node by node on whole feature columns."""
        cols = np.ascontiguousarray(x.T)
        total = np.zeros(x.shape[0], dtype=np.float64)
        for tree in self.trees:
            total += _subtree(tree, 0, cols)
        return total


def _subtree(
    tree: tuple[list[int], list[float], list[int], list[int], list[float]],
    node: int,
    cols: np.ndarray,
) -> np.ndarray | float:
    feature, threshold, left, right, value = tree
    if left[node] < 0:
        return value[node]
    return np.where(
        cols[feature[node]] <= threshold[node],
        _subtree(tree, left[node], cols),
        _subtree(tree, right[node], cols),
    )
