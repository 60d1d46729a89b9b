"""Lexical retrieval over a claim registry: word (stem) TF-IDF and char 3–5-gram TF-IDF.

Both views are scikit-learn TF-IDF matrices; a batch of queries is scored with one
sparse product per view (the transposed claim matrix is the inverted index). Small
registries are scored exhaustively in both views; large ones (> `EXHAUSTIVE_LIMIT`
claims) take a shortlist from the word view and score the char view on it only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .claimtext import Analysed

EXHAUSTIVE_LIMIT = 20_000
SHORTLIST = 24
CHUNK = 256  # queries scored densely at once in the exhaustive path


def _word_features(doc: Analysed) -> list[str]:
    return list(doc.stems)


class Candidate(NamedTuple):
    row: int  # the claim's position in the registry
    word: float
    char: float

    @property
    def lexical(self) -> float:
        return 0.5 * (self.word + self.char)


class ClaimIndex:
    """TF-IDF index of the analysed claims of one registry."""

    def __init__(self, claims: Sequence[Analysed], background: Sequence[Analysed] = ()) -> None:
        """`background` texts only shape the IDF weights, so that a word is as rare in a
        registry of 5 claims as in one of 5,000 (the re-scorer's features stay comparable)."""
        self.size = len(claims)
        self.word_vec = TfidfVectorizer(analyzer=_word_features, sublinear_tf=True)
        self.char_vec = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
        )
        docs = list(claims) or [Analysed((), (), frozenset(), False)]
        contents = [c.content or "_" for c in docs]
        bg = list(background)
        self.word_vec.fit(docs + bg)
        self.char_vec.fit(contents + [b.content or "_" for b in bg])
        self.word_t = sp.csr_matrix(self.word_vec.transform(docs).T, dtype=np.float32)
        self.char_m = sp.csr_matrix(self.char_vec.transform(contents), dtype=np.float32)
        self.char_t = sp.csr_matrix(self.char_m.T)
        self.word_m = sp.csr_matrix(self.word_t.T)
        # Shortlist index: terms in more than 1 % of a large registry barely rank, and
        # their long postings dominate the cost; they still count in the final scores.
        df = np.diff(self.word_t.indptr)
        cap = max(1000, self.size // 100)
        keep = sp.diags((df <= cap).astype(np.float32))
        self.word_t_short = sp.csr_matrix(keep @ self.word_t)
        vocab = self.word_vec.vocabulary_
        idf = self.word_vec.idf_
        self.idf: dict[str, float] = {w: float(idf[i]) for w, i in vocab.items()}
        self.max_idf = float(idf.max()) if len(idf) else 1.0
        self._weighted: dict[frozenset[str], tuple[tuple[str, ...], tuple[float, ...], float]] = {}

    def weight(self, stem: str) -> float:
        return self.idf.get(stem, self.max_idf)

    def weighted(self, words: frozenset[str]) -> tuple[tuple[str, ...], tuple[float, ...], float]:
        """`words` sorted, their IDF weights and total; memoised (a claim's set recurs
        across messages, a message's across its candidates)."""
        got = self._weighted.get(words)
        if got is None:
            order = tuple(sorted(words))
            ws = tuple(self.weight(s) for s in order)
            got = (order, ws, sum(ws))
            if len(self._weighted) >= 500_000:
                self._weighted.clear()
            self._weighted[words] = got
        return got

    def search(self, queries: Sequence[Analysed], k: int) -> list[list[Candidate]]:
        """The `k` best claims of each query by the mean of both cosines."""
        if not queries or self.size == 0:
            return [[] for _ in queries]
        qw = self.word_vec.transform(list(queries)).astype(np.float32)
        qc = self.char_vec.transform([q.content or "_" for q in queries]).astype(np.float32)
        if self.size > EXHAUSTIVE_LIMIT:
            qw, qc = sp.csr_matrix(qw), sp.csr_matrix(qc)
            qw.sort_indices()
            qc.sort_indices()
            return self._top_shortlist(sp.csr_matrix(qw @ self.word_t_short), qw, qc, k)
        out: list[list[Candidate]] = []
        for lo in range(0, len(queries), CHUNK):
            sw = (qw[lo : lo + CHUNK] @ self.word_t).toarray()
            sc = (qc[lo : lo + CHUNK] @ self.char_t).toarray()
            out.extend(_top_dense(sw, sc, k))
        return out

    @staticmethod
    def _row(m: sp.csr_matrix, r: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = m.indptr[r], m.indptr[r + 1]
        return m.indices[lo:hi], m.data[lo:hi]

    def _top_shortlist(
        self, sw: sp.csr_matrix, qw: sp.csr_matrix, qc: sp.csr_matrix, k: int
    ) -> list[list[Candidate]]:
        out: list[list[Candidate]] = []
        for r in range(sw.shape[0]):
            wi, wd = self._row(sw, r)
            if len(wi) > SHORTLIST:
                wi = wi[np.argpartition(-wd, SHORTLIST)[:SHORTLIST]]
            if len(wi) == 0:
                out.append([])
                continue
            qwi, qwd = self._row(qw, r)
            qci, qcd = self._row(qc, r)
            wfull = _dots(self.word_m, wi, qwi, qwd)
            cd = _dots(self.char_m, wi, qci, qcd)
            order = np.argsort(-(wfull + cd))[:k]
            ids, ws, cs = wi[order].tolist(), wfull[order].tolist(), cd[order].tolist()
            out.append([Candidate(i, w, c) for i, w, c in zip(ids, ws, cs, strict=True)])
        return out


def _top_dense(sw: np.ndarray, sc: np.ndarray, k: int) -> list[list[Candidate]]:
    """Top `k` claims per row by word + char cosine (ties: lower row first), vectorised."""
    total = sw + sc
    n = total.shape[1]
    kk = min(k, n)
    part = (
        np.argpartition(-total, kk - 1, axis=1)[:, :kk]
        if kk < n
        else np.tile(np.arange(n), (len(total), 1))
    )
    rows = np.arange(len(total))[:, None]
    # stable order: by score descending, then by claim position
    order = np.lexsort((part, -total[rows, part]), axis=1)
    top = part[rows, order]
    picked = zip(
        top.tolist(),
        sw[rows, top].tolist(),
        sc[rows, top].tolist(),
        total[rows, top].tolist(),
        strict=True,
    )
    return [
        [Candidate(i, w, c) for i, w, c, t in zip(*row, strict=True) if t > 0] for row in picked
    ]


def _dots(m: sp.csr_matrix, rows: np.ndarray, q_idx: np.ndarray, q_val: np.ndarray) -> np.ndarray:
    """Dot products of some rows of `m` with one sparse query (sorted indices)."""
    starts, ends = m.indptr[rows], m.indptr[rows + 1]
    lens = ends - starts
    if lens.sum() == 0 or len(q_idx) == 0:
        return np.zeros(len(rows))
    take = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
    cols = m.indices[take]
    pos = np.searchsorted(q_idx, cols)
    pos[pos >= len(q_idx)] = 0
    hit = q_idx[pos] == cols
    prod = np.where(hit, m.data[take] * q_val[pos], 0.0)
    seg = np.repeat(np.arange(len(rows)), lens)
    return np.bincount(seg, weights=prod, minlength=len(rows))
