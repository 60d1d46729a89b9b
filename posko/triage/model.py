"""Learned part of the triager: linear models over word + character n-gram TF-IDF features.

Features are binary (present or not), idf-weighted and L2-normalised. Training uses
scikit-learn; the result is exported to plain numpy arrays (one `.npz` file,
no pickle) and scored with numpy at run time, so loading takes milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .text import stem
from .types import CATEGORIES, PRIORITIES, TONES

HEADS: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "priority": PRIORITIES,
    "tone": TONES,
}
SHIPPED_PATH = Path(__file__).parent / "data" / "model.npz"
FORMAT_VERSION = 1
# bump when features() changes, so the shipped model is reported stale
FEATURE_VERSION = 4


def token_features(tok: str) -> list[str]:
    """Features of one token: the word, its stem, and character 3-5-grams."""
    out = ["w:" + tok]
    st = stem(tok)
    if st != tok:
        out.append("s:" + st)
    padded = " " + tok + " "
    n = len(padded)
    if n > 4:
        for size in (3, 4, 5):
            out.extend(padded[i : i + size] for i in range(n - size + 1))
    return out


def features(tokens: Sequence[str]) -> list[str]:
    """Feature strings of a (normalised, place-masked) token list."""
    out: list[str] = []
    prev = "<s>"
    for tok in tokens:
        out.extend(token_features(tok))
        st = stem(tok)
        out.append("b:" + prev + "_" + st)
        prev = st
    return out


# Messages scored per sparse product in batch mode (bounds the memory a large batch takes).
BATCH_BLOCK = 1024
MIN_DF = 2  # a feature must occur in at least this many training messages
_STEM_BITS = 21  # a stem bigram key: previous stem id << _STEM_BITS | stem id
_STEM_MASK = (1 << _STEM_BITS) - 1
_MAX_STEMS = 100_000  # caches are cleared past this (a block adds at most its tokens)


@dataclass
class ModelBundle:
    vocab: dict[str, int]
    idf: np.ndarray  # (n_features,)
    weights: np.ndarray  # (n_features, n_outputs) float32, heads side by side
    bias: np.ndarray  # (n_outputs,)
    heads: dict[str, tuple[str, ...]]
    meta: dict[str, Any] = field(default_factory=dict)
    # How much the rules count next to the model (chosen by cross-validation across writers,
    # docs/triage.md); a retrain from corrections uses the same values.
    rule_weight: float = 0.2
    priority_rule_weight: float = 1.0
    tone_rule_weight: float = 0.8
    darurat_bias: float = 0.0  # added to the model's darurat score (0: not needed, see docs)
    # the rules' darurat stands unless the model prefers another priority by more than this
    darurat_veto: float = 3.0

    def __post_init__(self) -> None:
        self._slices: dict[str, slice] = {}
        start = 0
        for head, labels in self.heads.items():
            self._slices[head] = slice(start, start + len(labels))
            start += len(labels)
        self.rule_weight = float(self.meta.get("rule_weight", self.rule_weight))
        self.priority_rule_weight = float(
            self.meta.get("priority_rule_weight", self.priority_rule_weight)
        )
        self.tone_rule_weight = float(self.meta.get("tone_rule_weight", self.tone_rule_weight))
        self.darurat_bias = float(self.meta.get("darurat_bias", self.darurat_bias))
        self.darurat_veto = float(self.meta.get("darurat_veto", self.darurat_veto))
        # per token: its feature indices (token_features in the vocabulary) and the id of
        # its stem; the one token cache of both scoring paths
        self._tokens: dict[str, tuple[np.ndarray, int]] = {}
        # stems by id (id 0 is "<s>", before the first token) and the stem-bigram feature
        # index by (previous stem id << _STEM_BITS | stem id); -1: not a feature
        self._stem_ids: dict[str, int] = {}
        self._stem_names: list[str] = []
        self._bigrams: dict[int, int] = {}
        self._reset_stems()

    def _reset_stems(self) -> None:
        self._tokens.clear()
        self._stem_ids.clear()
        self._stem_names.clear()
        self._bigrams.clear()
        self._stem_id("<s>")

    def _stem_id(self, st: str) -> int:
        got = self._stem_ids.get(st)
        if got is None:
            got = self._stem_ids[st] = len(self._stem_names)
            self._stem_names.append(st)
        return got

    def _token(self, tok: str) -> tuple[np.ndarray, int]:
        hit = self._tokens.get(tok)
        if hit is None:
            vocab = self.vocab
            idx = [i for f in token_features(tok) if (i := vocab.get(f)) is not None]
            hit = self._tokens[tok] = (np.array(idx, dtype=np.int32), self._stem_id(stem(tok)))
        return hit

    def _bigram_cols(self, keys: list[int]) -> list[int]:
        """The feature index of each stem bigram key (prev id << _STEM_BITS | id), -1 for none."""
        get = self._bigrams.get
        cols = [get(k, -2) for k in keys]
        if -2 in cols:
            names, vocab = self._stem_names, self.vocab
            for i, col in enumerate(cols):
                if col == -2:
                    k = keys[i]
                    name = "b:" + names[k >> _STEM_BITS] + "_" + names[k & _STEM_MASK]
                    cols[i] = self._bigrams[k] = vocab.get(name, -1)
        return cols

    def _check_size(self) -> None:
        """Caches are bounded: cleared together (stem ids are in the bigram keys) between
        blocks, before they pass 100,000 stems or tokens."""
        if len(self._stem_names) > _MAX_STEMS or len(self._tokens) > _MAX_STEMS:
            self._reset_stems()

    def _present(self, tokens: Sequence[str]) -> np.ndarray:
        """Indices of the features (token features and stem bigrams) present in a message,
        each once, in increasing order."""
        self._check_size()
        records = [self._token(tok) for tok in tokens]
        sids = [sid for _, sid in records]
        keys = [(p << _STEM_BITS) | c for p, c in zip([0, *sids], sids, strict=False)]
        bigrams = [c for c in self._bigram_cols(keys) if c >= 0]
        parts = [idx for idx, _ in records]
        parts.append(np.array(bigrams, dtype=np.int32))
        return np.unique(np.concatenate(parts))

    def raw(self, tokens: Sequence[str]) -> np.ndarray:
        """Unnormalised scores of every head side by side (argmax-equivalent to log-probs).

        Features are binary, weighted by idf and L2-normalised, as in training."""
        uniq = self._present(tokens)
        if not len(uniq):
            return self.bias.copy()
        vals = self.idf.take(uniq)
        vals = vals / math.sqrt(float(vals @ vals))
        return vals @ self.weights.take(uniq, axis=0) + self.bias

    def raw_batch(self, messages: Sequence[Sequence[str]]) -> np.ndarray:
        """``raw()`` of many messages at once: one sparse product per block of messages
        instead of one small dense product per message (the same numbers, in float64)."""
        if not messages:
            return np.zeros((0, len(self.bias)))
        blocks = [
            self._raw_block(messages[start : start + BATCH_BLOCK])
            for start in range(0, len(messages), BATCH_BLOCK)
        ]
        return np.vstack(blocks)

    def _block_features(self, messages: Sequence[Sequence[str]]) -> Any:
        """The 0/1 matrix of the features present in each of many messages (messages x
        features, each feature once per row), as the product of two sparse matrices: which
        of the block's distinct tokens and stem bigrams each message has, and the features
        of each of those (so each distinct token's features are listed once per block).
        Python touches each token once (a dict look-up); the rest is array operations."""
        from scipy.sparse import csr_matrix

        self._check_size()
        local: dict[str, int] = {}  # a distinct token of the block -> its row of `parts`
        rows = np.array(
            [local.setdefault(t, len(local)) for tokens in messages for t in tokens],
            dtype=np.int64,
        )
        records = [self._token(t) for t in local]
        parts = [idx for idx, _ in records]
        sids = np.array([sid for _, sid in records], dtype=np.int64)
        lens = np.fromiter(map(len, messages), dtype=np.int64, count=len(messages))
        ends = np.cumsum(lens)
        cur = sids[rows] if len(rows) else np.zeros(0, dtype=np.int64)
        prev = np.empty_like(cur)
        prev[1:] = cur[:-1]
        prev[(ends - lens)[lens > 0]] = 0  # "<s>" before each message's first token
        bcols = np.array(self._bigram_cols(((prev << _STEM_BITS) | cur).tolist()), np.int64)
        # each distinct bigram column is one more row of `feats` (-1: a row without features)
        ub, binv = np.unique(bcols, return_inverse=True)
        n_tok = len(parts)
        known = ub[ub >= 0]
        part_lens = np.fromiter(map(len, parts), dtype=np.int64, count=n_tok)
        feat_lens = np.concatenate([part_lens, (ub >= 0).astype(np.int64)])
        feats = csr_matrix(
            (
                np.ones(int(feat_lens.sum())),
                np.concatenate([*parts, known.astype(np.int32)]),
                np.concatenate([[0], np.cumsum(feat_lens)]),
            ),
            shape=(n_tok + len(ub), self.weights.shape[0]),
        )
        cols = np.empty(2 * len(rows), dtype=np.int64)
        cols[0::2] = rows
        cols[1::2] = n_tok + binv.ravel()
        has = csr_matrix(
            (np.ones(len(cols)), cols, np.concatenate([[0], 2 * ends])),
            shape=(len(messages), n_tok + len(ub)),
        )
        return has @ feats  # counts; each (message, feature) entry once

    def _raw_block(self, messages: Sequence[Sequence[str]]) -> np.ndarray:
        matrix = self._block_features(messages)
        n = len(messages)
        data = self.idf.take(matrix.indices)  # binary features: idf whatever the count
        counts = np.diff(matrix.indptr)
        norms = np.sqrt(np.bincount(np.repeat(np.arange(n), counts), data * data, minlength=n))
        norms[norms == 0] = 1.0  # a message without features scores the bias alone
        matrix.data = data / np.repeat(norms, counts)
        return np.asarray(matrix @ self.weights) + self.bias

    @property
    def head_slices(self) -> dict[str, slice]:
        """Where each head's labels sit in the output of raw()."""
        return self._slices

    def head(self, raw: np.ndarray, head: str) -> np.ndarray:
        return raw[self._slices[head]]

    def scores(self, tokens: Sequence[str]) -> dict[str, dict[str, float]]:
        """Log-probabilities per head and label."""
        raw = self.raw(tokens)
        out: dict[str, dict[str, float]] = {}
        for head, labels in self.heads.items():
            z = raw[self._slices[head]]
            z = z - z.max()
            logp = z - math.log(float(np.exp(z).sum()))
            out[head] = dict(zip(labels, logp.tolist(), strict=True))
        return out

    def save(self, path: str | Path) -> None:
        names = np.array(sorted(self.vocab, key=self.vocab.__getitem__))
        meta = dict(self.meta, heads={h: list(v) for h, v in self.heads.items()})
        meta["format_version"] = FORMAT_VERSION
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                features=names,
                idf=self.idf.astype(np.float32),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                meta=np.array(json.dumps(meta, sort_keys=True)),
            )

    @classmethod
    def load(cls, path: str | Path) -> ModelBundle:
        with np.load(path, allow_pickle=False) as data:
            names = data["features"].tolist()
            meta = json.loads(str(data["meta"]))
            heads = {h: tuple(v) for h, v in meta.pop("heads").items()}
            return cls(
                vocab={n: i for i, n in enumerate(names)},
                idf=data["idf"].astype(np.float64),
                weights=data["weights"].astype(np.float64),
                bias=data["bias"].astype(np.float64),
                heads=heads,
                meta=meta,
            )


@lru_cache(maxsize=1)
def load_shipped() -> ModelBundle | None:
    if not SHIPPED_PATH.exists():
        return None
    return ModelBundle.load(SHIPPED_PATH)


def examples_hash(examples: Iterable[dict[str, Any]]) -> str:
    h = hashlib.sha256()
    for ex in examples:
        h.update(json.dumps(ex, sort_keys=True, ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


def train(
    examples: Sequence[dict[str, Any]],
    tokenize: Callable[[str], list[str]],
    c: float = 8.0,
    meta: dict[str, Any] | None = None,
) -> ModelBundle:
    """Fit one logistic regression per head on examples with text + gold labels."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [features(tokenize(ex["text"])) for ex in examples]
    # features seen in one training message only are dropped: they do not generalise, and
    # the model loads faster (docs/triage.md, round 6)
    min_df = MIN_DF if len(docs) >= 500 else 1  # a toy training set keeps every feature
    vec = TfidfVectorizer(analyzer=lambda d: d, binary=True, min_df=min_df, dtype=np.float64)
    x = vec.fit_transform(docs)
    vocab = {str(k): int(v) for k, v in vec.vocabulary_.items()}
    blocks: list[np.ndarray] = []
    biases: list[np.ndarray] = []
    for head, labels in HEADS.items():
        y = [ex[head] for ex in examples]
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        clf.fit(x, y)
        w = np.full((x.shape[1], len(labels)), 0.0)
        b = np.full(len(labels), -30.0)  # labels never seen in training are never chosen
        for k, label in enumerate(clf.classes_):
            j = labels.index(str(label))
            if len(clf.classes_) == 2:
                sign = 1.0 if k == 1 else -1.0
                w[:, j] = sign * clf.coef_[0] / 2
                b[j] = sign * clf.intercept_[0] / 2
            else:
                w[:, j] = clf.coef_[k]
                b[j] = clf.intercept_[k]
        blocks.append(w)
        biases.append(b)
    return ModelBundle(
        vocab=vocab,
        idf=np.asarray(vec.idf_, dtype=np.float64),
        weights=np.hstack(blocks).astype(np.float32),
        bias=np.concatenate(biases),
        heads=dict(HEADS),
        meta=dict(meta or {}, examples=len(examples), c=c),
    )
