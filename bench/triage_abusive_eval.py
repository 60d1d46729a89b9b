"""Provocative-tone detection on the public Indonesian abusive/hate-speech tweets.

    .venv/bin/python bench/triage_abusive_eval.py [--data ../shared/research/data/...]

Data: okkyibrohim/id-multi-label-hate-speech-and-abusive-language-detection, re_dataset.csv
(CC BY-NC-SA 4.0: EVALUATION ONLY, never used for training the shipped model).
Fixed split: the test part is every 5th row (row index % 5 == 4, 0-based, header excluded),
2,633 tweets. Gold "provokatif" = HS == 1 or Abusive == 1. Prints precision/recall/F1 of
tone == "provokatif", and the same for the subsets HS_Strong/HS_Moderate, Abusive only,
and tweets that mention police (polisi/polri/polda/polres/aparat).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT = (
    ROOT.parent
    / "shared/research/data/id-multi-label-hate-speech-and-abusive-language-detection"
    / "re_dataset.csv"
)
POLICE = ("polisi", "polri", "polda", "polres", "aparat")


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float, int]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, len(gold)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT)
    args = parser.parse_args()

    from posko.triage import TriageInput, Triager

    with open(args.data, encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh))
    test = [r for i, r in enumerate(rows) if i % 5 == 4]
    triager = Triager()
    preds = [
        triager.classify(TriageInput(str(i), r["Tweet"])).tone == "provokatif"
        for i, r in enumerate(test)
    ]
    gold = [r["HS"] == "1" or r["Abusive"] == "1" for r in test]

    def report(name: str, keep: list[bool], gold_sub: list[bool] | None = None) -> None:
        g = [x for x, k in zip(gold_sub or gold, keep, strict=True) if k]
        p = [x for x, k in zip(preds, keep, strict=True) if k]
        prec, rec, f1, n = prf(g, p)
        print(f"{name:<44} n={n:>5}  precision {prec:.3f}  recall {rec:.3f}  F1 {f1:.3f}")

    print(f"test split: {len(test)} of {len(rows)} tweets (row index % 5 == 4)")
    report("HS or Abusive (all test tweets)", [True] * len(test))
    strong = [r["HS_Strong"] == "1" or r["HS_Moderate"] == "1" for r in test]
    clean = [g is False for g in gold]
    report("HS strong/moderate vs clean", [s or c for s, c in zip(strong, clean, strict=True)])
    abusive_only = [r["Abusive"] == "1" and r["HS"] == "0" for r in test]
    report("Abusive, not HS, vs clean", [a or c for a, c in zip(abusive_only, clean, strict=True)])
    police = [any(w in r["Tweet"].lower() for w in POLICE) for r in test]
    report("tweets mentioning police", police)
    recall_strong = sum(p for p, s in zip(preds, strong, strict=True) if s) / max(1, sum(strong))
    print(f"recall on HS strong/moderate only: {recall_strong:.3f}")


if __name__ == "__main__":
    main()
