"""Evaluation of triage output against labelled lines (used by `posko triage eval`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from .types import CATEGORIES, PRIORITIES, TONES, TriageResult


def label_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 (over labels present in gold or prediction), per-label P/R/F1,
    and the confusion matrix as {gold: {pred: count}}."""
    pairs = Counter(zip(gold, pred, strict=True))
    present = [lab for lab in labels if lab in set(gold) | set(pred)]
    per: dict[str, dict[str, float]] = {}
    for lab in present:
        tp = pairs[(lab, lab)]
        n_pred = sum(v for (_, p), v in pairs.items() if p == lab)
        n_gold = sum(v for (g, _), v in pairs.items() if g == lab)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": n_gold}
    confusion = {g: {p: pairs[(g, p)] for p in present if pairs[(g, p)]} for g in present}
    total = len(gold)
    return {
        "accuracy": sum(pairs[(lab, lab)] for lab in present) / total if total else 0.0,
        "macro_f1": sum(v["f1"] for v in per.values()) / len(per) if per else 0.0,
        "per_label": per,
        "confusion": confusion,
    }


def pairwise_incident(gold: Sequence[str | None], pred: Sequence[str | None]) -> dict[str, float]:
    """Pairwise precision/recall/F1: a pair is positive when both share a (non-null) key."""

    def pairs(keys: Sequence[str | None]) -> set[tuple[int, int]]:
        groups: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            if k is not None:
                groups.setdefault(k, []).append(i)
        return {p for members in groups.values() for p in combinations(members, 2)}

    g, p = pairs(gold), pairs(pred)
    tp = len(g & p)
    prec = tp / len(p) if p else (1.0 if not g else 0.0)
    rec = tp / len(g) if g else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "gold_pairs": len(g), "pred_pairs": len(p)}


def evaluate(gold: Sequence[dict[str, Any]], pred: Sequence[TriageResult]) -> dict[str, Any]:
    out: dict[str, Any] = {"n": len(gold)}
    for head, labels in (("category", CATEGORIES), ("priority", PRIORITIES), ("tone", TONES)):
        out[head] = label_report(
            [str(g[head]) for g in gold], [getattr(p, head) for p in pred], labels
        )
    dar = out["priority"]["per_label"].get("darurat", {"precision": 0.0, "recall": 0.0})
    out["darurat"] = {"precision": dar["precision"], "recall": dar["recall"]}
    named = [(g, p) for g, p in zip(gold, pred, strict=True) if g.get("desa_code")]
    out["desa_accuracy"] = (
        sum(g["desa_code"] == p.desa_code for g, p in named) / len(named) if named else None
    )
    out["desa_n"] = len(named)
    kec = [(g, p) for g, p in zip(gold, pred, strict=True) if g.get("kecamatan_code")]
    out["kecamatan_accuracy"] = (
        sum(g["kecamatan_code"] == p.kecamatan_code for g, p in kec) / len(kec) if kec else None
    )
    out["kecamatan_n"] = len(kec)
    no_place = [
        p
        for g, p in zip(gold, pred, strict=True)
        if not g.get("kecamatan_code") and not g.get("desa_code")
    ]
    out["false_location_rate"] = (
        sum(1 for p in no_place if p.kecamatan_code or p.desa_code) / len(no_place)
        if no_place
        else None
    )
    out["false_location_n"] = len(no_place)
    out["incident"] = pairwise_incident(
        [g.get("incident") for g in gold], [p.incident for p in pred]
    )
    return out


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def format_report(m: dict[str, Any]) -> str:
    lines = [f"messages: {m['n']}"]
    for head in ("category", "priority", "tone"):
        r = m[head]
        lines.append("")
        lines.append(f"== {head}: accuracy {_fmt(r['accuracy'])}  macro-F1 {_fmt(r['macro_f1'])}")
        lines.append(f"  {'label':<22}{'prec':>7}{'rec':>7}{'f1':>7}{'n':>6}")
        for lab, v in r["per_label"].items():
            lines.append(
                f"  {lab:<22}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}"
                f"{v['support']:>6}"
            )
        labels = list(r["per_label"])
        short = [lab[:6] for lab in labels]
        lines.append("  confusion (rows gold, columns predicted):")
        lines.append("  " + " " * 22 + "".join(f"{s:>7}" for s in short))
        for g in labels:
            row = r["confusion"].get(g, {})
            lines.append(f"  {g:<22}" + "".join(f"{row.get(p, 0):>7}" for p in labels))
    lines.append("")
    lines.append(
        f"darurat: recall {_fmt(m['darurat']['recall'])}  precision "
        f"{_fmt(m['darurat']['precision'])}"
    )
    lines.append(f"desa accuracy (desa named, n={m['desa_n']}): {_fmt(m['desa_accuracy'])}")
    lines.append(f"kecamatan accuracy (n={m['kecamatan_n']}): {_fmt(m['kecamatan_accuracy'])}")
    lines.append(
        f"false-location rate (no place in gold, n={m['false_location_n']}): "
        f"{_fmt(m['false_location_rate'])}"
    )
    inc = m["incident"]
    lines.append(
        f"incident pairwise: precision {_fmt(inc['precision'])}  recall {_fmt(inc['recall'])}  "
        f"F1 {_fmt(inc['f1'])}  (gold pairs {inc['gold_pairs']}, predicted {inc['pred_pairs']})"
    )
    return "\n".join(lines) + "\n"


SUMMARY_COLUMNS = (
    "category macro-F1",
    "priority macro-F1",
    "darurat R",
    "darurat P",
    "tone macro-F1",
    "provokatif F1",
    "desa acc",
    "false-loc",
    "incident P",
    "incident R",
    "incident F1",
)


def summary_row(m: dict[str, Any]) -> list[float | None]:
    inc = m["incident"]
    provokatif = m["tone"]["per_label"].get("provokatif")
    return [
        m["category"]["macro_f1"],
        m["priority"]["macro_f1"],
        m["darurat"]["recall"],
        m["darurat"]["precision"],
        m["tone"]["macro_f1"],
        provokatif["f1"] if provokatif else None,
        m["desa_accuracy"],
        m["false_location_rate"],
        inc["precision"],
        inc["recall"],
        inc["f1"],
    ]


def format_summary(results: dict[str, dict[str, Any]]) -> str:
    """One line of headline figures per evaluated file."""
    short = ["cat", "pri", "darR", "darP", "tone", "prov", "desa", "fls", "incP", "incR", "incF1"]
    lines = [
        "summary ("
        + ", ".join(f"{s} = {c}" for s, c in zip(short, SUMMARY_COLUMNS, strict=True))
        + ")",
        f"{'file':<22}{'n':>5}" + "".join(f"{s:>7}" for s in short),
    ]
    for path, m in results.items():
        name = path.rsplit("/", 1)[-1]
        lines.append(f"{name:<22}{m['n']:>5}" + "".join(f"{_fmt(x):>7}" for x in summary_row(m)))
    return "\n".join(lines) + "\n"
