"""Claim-matching throughput against a synthetic 100,000-claim registry.

Claims are 9–14 words drawn (Zipf-like) from PySastrawi's root words plus numbers and
place names; each query is a noisy copy of one claim (a third of its words dropped,
chatter words of "min apa benar …" added, one typo). Prints queries per second per core
for the full matcher (retrieval + re-scoring + decision) and recall@1 of the source
claim for the shortlist pipeline vs brute force (both views scored against every claim).

    .venv/bin/python bench/patrol_bench.py [--claims 100000] [--queries 4000]
        [--dump OUT.json] [--compare BEFORE.json]

The full matcher is timed twice: on the first `--queries` queries right after loading
(every word new to the per-word memos) and on as many further queries of the same kind
(steady state of a worker that has been matching for a while; 3 passes). `--dump` writes every
query's matches and decision; `--compare` checks them against an earlier dump (a change
meant to be faster must give the same outputs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

import numpy as np
import scipy.sparse as sp

from posko.patrol.engine import Claim, ClaimMatcher
from posko.patrol.engine.claimtext import analyse
from posko.triage.text import root_words

CHATTER = ["min", "apa", "benar", "katanya", "tolong", "dicek", "bener", "gak", "sebarkan"]
STEADY_PASSES = 3  # long enough to include the garbage collector's full passes
PLACES = ["Manggar", "Gantung", "Dendang", "Kelapa Kampit", "Damar", "Simpang Pesak", "Mentawak"]


def synth(n_claims: int, n_queries: int, seed: int = 7) -> tuple[list[Claim], list[str], list[int]]:
    rng = random.Random(seed)
    vocab = sorted(w for w in root_words() if len(w) >= 4)[:20000]
    rng.shuffle(vocab)
    cum = list(np.cumsum([1.0 / (i + 10) for i in range(len(vocab))]))
    claims = []
    for i in range(n_claims):
        words = rng.choices(vocab, cum_weights=cum, k=rng.randint(9, 14))
        words.insert(rng.randrange(len(words)), rng.choice(PLACES))
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words)), str(rng.randint(2, 500)))
        claims.append(Claim(f"c{i}", " ".join(words)))
    texts, gold = [], []
    for _ in range(n_queries):
        i = rng.randrange(n_claims)
        words = [w for w in claims[i].claim.split() if rng.random() > 0.33]
        j = rng.randrange(len(words))
        w = words[j]
        if len(w) > 5:
            k = rng.randrange(1, len(w) - 1)
            words[j] = w[:k] + w[k + 1 :]
        texts.append(" ".join(rng.sample(CHATTER, 3) + words))
        gold.append(i)
    return claims, texts, gold


def brute_force_top1(m: ClaimMatcher, texts: list[str]) -> list[int]:
    qs = [analyse(t) for t in texts]
    idx = m.index
    qw = idx.word_vec.transform(qs)
    qc = idx.char_vec.transform([q.content or "_" for q in qs])
    total = sp.csr_matrix(qw @ idx.word_t).toarray() + sp.csr_matrix(qc @ idx.char_t).toarray()
    return [int(v) for v in np.argmax(total, axis=1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=4000)
    ap.add_argument("--dump")
    ap.add_argument("--compare")
    args = ap.parse_args()
    t0 = time.perf_counter()
    claims, texts, gold = synth(args.claims, 2 * args.queries)
    later = texts[args.queries :]
    texts, gold = texts[: args.queries], gold[: args.queries]
    t1 = time.perf_counter()
    m = ClaimMatcher(claims)
    t2 = time.perf_counter()
    print(f"registry {len(claims)} claims: generated {t1 - t0:.1f}s, indexed {t2 - t1:.1f}s")
    cpu0 = time.process_time()
    w0 = time.perf_counter()
    results = []
    for lo in range(0, len(texts), 1024):
        results.extend(m.match(texts[lo : lo + 1024]))
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - w0
    cpu2 = time.process_time()
    for _ in range(STEADY_PASSES):
        for lo in range(0, len(later), 1024):
            m.match(later[lo : lo + 1024])
    steady = time.process_time() - cpu2
    qs = [analyse(t) for t in texts]
    cpu1 = time.process_time()
    for lo in range(0, len(qs), 1024):
        m.index.search(qs[lo : lo + 1024], 6)
    retrieval = time.process_time() - cpu1
    print(f"retrieval only (shortlist + both views): {len(qs) / retrieval:,.0f} q/s per core")
    ids = {c.id: n for n, c in enumerate(claims)}
    got = [ids[r.best] if r.best else -1 for r in results]
    r1 = sum(g == t for g, t in zip(got, gold, strict=True)) / len(gold)
    sample = 500
    bf = []
    for lo in range(0, sample, 100):
        bf.extend(brute_force_top1(m, texts[lo : lo + 100]))
    bf_r1 = sum(b == t for b, t in zip(bf, gold[:sample], strict=True)) / sample
    pipe_r1 = sum(g == t for g, t in zip(got[:sample], gold[:sample], strict=True)) / sample
    print(
        f"full matcher: {len(texts)} queries, {len(texts) / cpu:,.0f} q/s per core "
        f"(CPU time; wall {len(texts) / wall:,.0f} q/s, {os.cpu_count()} cores visible)"
    )
    n_steady = STEADY_PASSES * len(later)
    print(
        f"  steady state (next {len(later)} queries, {STEADY_PASSES} passes): "
        f"{n_steady / steady:,.0f} q/s per core"
    )
    print(f"recall@1 of the source claim: matcher {r1:.3f} (all {len(texts)} queries)")
    print(
        f"first {sample} queries: matcher {pipe_r1:.3f} "
        f"vs brute force (exhaustive lexical) {bf_r1:.3f}"
    )
    outputs = [[r.decision, [[c.claim_id, c.score] for c in r.matches]] for r in results]
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            json.dump(outputs, f)
    if args.compare:
        with open(args.compare, encoding="utf-8") as f:
            before = json.load(f)
        same = sum(a == b for a, b in zip(before, outputs, strict=True))
        print(f"outputs equal to {args.compare}: {same} of {len(outputs)} queries")


if __name__ == "__main__":
    main()
