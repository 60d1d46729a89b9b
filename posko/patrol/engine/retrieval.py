"""Lexical retrieval over a claim registry: word (stem) TF-IDF and char 3–5-gram TF-IDF.

Both views are scikit-learn TF-IDF matrices; a batch of queries is scored with one
sparse product per view (the transposed claim matrix is the inverted index). Small
registries are scored exhaustively in both views; large ones (> `EXHAUSTIVE_LIMIT`
claims) take a shortlist from the word view and score the char view on it only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

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
        # Shortlist index: terms in more than 2 % of a large registry barely rank, and
        # their long postings dominate the cost; they still count in the final scores.
        df = np.diff(self.word_t.indptr)
        cap = max(1000, self.size // 50)  # 1 % lost recall@1 vs brute force at 100k
        keep = sp.diags((df <= cap).astype(np.float32))
        self.word_t_short = sp.csr_matrix(keep @ self.word_t)
        vocab = self.word_vec.vocabulary_
        idf = self.word_vec.idf_
        self.idf: dict[str, float] = {w: float(idf[i]) for w, i in vocab.items()}
        self.max_idf = float(idf.max()) if len(idf) else 1.0
        self._weighted: dict[frozenset[str], tuple[tuple[str, ...], tuple[float, ...], float]] = {}
        self._word_tfidf = _transformer(self.word_vec)
        self._char_tfidf = _transformer(self.char_vec)
        self._char_analyzer = self.char_vec.build_analyzer()
        self._char_ids: dict[str, list[int]] = {}

    def vectorise(self, queries: Sequence[Analysed]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """The queries' word and char TF-IDF rows (float32, sorted indices): the same numbers
        as the fitted vectorizers' `transform`, with the char n-grams of a word memoised."""
        vocab = self.word_vec.vocabulary_
        word_docs = [[vocab[s] for s in q.stems if s in vocab] for q in queries]
        char_docs = [self._char_doc(q.content or "_") for q in queries]
        qw = self._word_tfidf.transform(_counts(word_docs, len(vocab), np.float64), copy=False)
        n_char = len(self.char_vec.vocabulary_)
        qc = self._char_tfidf.transform(_counts(char_docs, n_char, np.float32), copy=False)
        qw = sp.csr_matrix(qw.astype(np.float32))
        qc = sp.csr_matrix(qc, dtype=np.float32)
        qw.sort_indices()
        qc.sort_indices()
        return qw, qc

    def _char_doc(self, content: str) -> list[int]:
        ids: list[int] = []
        cache = self._char_ids
        for w in content.split():
            got = cache.get(w)
            if got is None:
                vocab = self.char_vec.vocabulary_
                got = [vocab[g] for g in self._char_analyzer(w) if g in vocab]
                if len(cache) >= 200_000:
                    cache.clear()
                cache[w] = got
            ids.extend(got)
        return ids

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
        qw, qc = self.vectorise(queries)
        if self.size > EXHAUSTIVE_LIMIT:
            return self._top_shortlist(sp.csr_matrix(qw @ self.word_t_short), qw, qc, k)
        out: list[list[Candidate]] = []
        for lo in range(0, len(queries), CHUNK):
            sw = (qw[lo : lo + CHUNK] @ self.word_t).toarray()
            sc = (qc[lo : lo + CHUNK] @ self.char_t).toarray()
            out.extend(_top_dense(sw, sc, k))
        return out

    def _top_shortlist(
        self, sw: sp.csr_matrix, qw: sp.csr_matrix, qc: sp.csr_matrix, k: int
    ) -> list[list[Candidate]]:
        """Each query's `SHORTLIST` best claims in the word view (rare terms only), then
        both views scored exactly on them: one gather for the whole batch."""
        picked: list[np.ndarray] = []
        indptr, indices, data = sw.indptr, sw.indices, sw.data
        for r in range(sw.shape[0]):
            wi, wd = indices[indptr[r] : indptr[r + 1]], data[indptr[r] : indptr[r + 1]]
            if len(wi) > SHORTLIST:
                wi = wi[np.argpartition(-wd, SHORTLIST)[:SHORTLIST]]
            picked.append(wi)
        lens = np.array([len(p) for p in picked], dtype=np.int64)
        rows = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
        owner = np.repeat(np.arange(len(picked), dtype=np.int64), lens)
        wfull = _pair_dots(self.word_m, rows, owner, qw)
        cfull = _pair_dots(self.char_m, rows, owner, qc)
        out: list[list[Candidate]] = []
        ends = np.cumsum(lens)
        for r, wi in enumerate(picked):
            if len(wi) == 0:
                out.append([])
                continue
            lo, hi = ends[r] - len(wi), ends[r]
            wd, cd = wfull[lo:hi], cfull[lo:hi]
            order = np.argsort(-(wd + cd))[:k]
            ids, ws, cs = wi[order].tolist(), wd[order].tolist(), cd[order].tolist()
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


def _transformer(vec: TfidfVectorizer) -> TfidfTransformer:
    """A TF-IDF transformer with the fitted vectorizer's settings and IDF weights."""
    t = TfidfTransformer(
        norm=vec.norm, use_idf=vec.use_idf, smooth_idf=vec.smooth_idf, sublinear_tf=True
    )
    t.idf_ = vec.idf_
    return t


def _counts(docs: list[list[int]], n_features: int, dtype: type) -> sp.csr_matrix:
    """Term counts of documents given as feature ids (what scikit-learn's count step
    builds: counts in first-seen order, then indices sorted)."""
    indices: list[int] = []
    values: list[int] = []
    indptr = [0]
    for doc in docs:
        counter = Counter(doc)  # first-seen order, as scikit-learn's dict
        indices.extend(counter.keys())
        values.extend(counter.values())
        indptr.append(len(indices))
    x = sp.csr_matrix(
        (
            np.array(values, dtype=np.intc),
            np.array(indices, dtype=np.int32),
            np.array(indptr, dtype=np.int32),
        ),
        shape=(len(docs), n_features),
        dtype=dtype,
    )
    x.sort_indices()
    return x


def _pair_dots(
    m: sp.csr_matrix, rows: np.ndarray, owner: np.ndarray, q: sp.csr_matrix
) -> np.ndarray:
    """Dot product of row `rows[i]` of `m` with row `owner[i]` of `q`, for every pair at
    once; per pair the float32 products are summed in float64 in column order."""
    if len(rows) == 0:
        return np.zeros(0)
    prod = sp.csr_matrix(m[rows].multiply(q[owner]))
    seg = np.repeat(np.arange(len(rows)), np.diff(prod.indptr))
    return np.bincount(seg, weights=prod.data, minlength=len(rows))
