"""`posko patrol match|eval|calibrate`: offline claim matching (no Django, no database).

Called by the project's console script as `main(argv, stdin, stdout, stderr)`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from .calibration import (
    calibrate,
    claims_from_rows,
    evaluate,
    format_report,
    labelled_from_rows,
    read_jsonl,
)
from .matcher import Claim, ClaimMatcher
from .rescore import load_model

DATA = Path(__file__).resolve().parent.parent / "data"
USAGE = """usage: posko patrol match --registry REGISTRY.jsonl < messages.jsonl > matches.jsonl
       posko patrol eval --registry REGISTRY.jsonl QUERIES.jsonl [--json]
       posko patrol calibrate [--registry R --train T --calib C] [--out matcher.json]

Registry lines: {"id", "claim", "verdict", "clarification", "published_at"?}
Input lines:    {"id", "text", "channel"?}
Output lines:   {"id", "matches": [{"claim_id", "score"}, ...up to 5],
                 "decision": "auto"|"suggest"|"none"}
Labelled lines (eval): {"id", "text", "claim_id": ID or null}
"""


class UsageError(ValueError):
    pass


def load_registry(path: str) -> list[Claim]:
    claims: list[Claim] = []
    seen: set[str] = set()
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}: line {n}: not valid JSON ({exc.msg})") from None
            if (
                not isinstance(row, dict)
                or not row.get("id")
                or not isinstance(row.get("claim"), str)
            ):
                raise UsageError(f'{path}: line {n}: needs "id" and "claim" (string)')
            if str(row["id"]) in seen:
                raise UsageError(f"{path}: line {n}: duplicate id {row['id']!r}")
            seen.add(str(row["id"]))
            claims.extend(claims_from_rows([row]))
    return claims


def _read_messages(stdin: TextIO, stderr: TextIO) -> tuple[list[Any], list[str], int]:
    ids: list[Any] = []
    texts: list[str] = []
    errors = 0
    for n, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors += 1
            stderr.write(f"posko patrol: line {n}: not valid JSON ({exc.msg}); line skipped\n")
            continue
        if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
            errors += 1
            stderr.write(f'posko patrol: line {n}: needs "id" and "text" (string); line skipped\n')
            continue
        ids.append(obj["id"])
        texts.append(obj["text"])
    return ids, texts, errors


def _match(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    matcher = ClaimMatcher(load_registry(args.registry), load_model(args.model))
    ids, texts, errors = _read_messages(stdin, stderr)
    batch = 1024
    for lo in range(0, len(texts), batch):
        for mid, res in zip(
            ids[lo : lo + batch], matcher.match(texts[lo : lo + batch]), strict=True
        ):
            out = {
                "id": mid,
                "matches": [{"claim_id": m.claim_id, "score": m.score} for m in res.matches],
                "decision": res.decision,
            }
            stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 1 if errors else 0


def _eval(args: argparse.Namespace, stdout: TextIO) -> int:
    matcher = ClaimMatcher(load_registry(args.registry), load_model(args.model))
    data = labelled_from_rows(read_jsonl(args.queries))
    fig = evaluate(matcher.match([d.text for d in data]), data)
    stdout.write(json.dumps(fig) + "\n" if args.json else format_report(fig))
    return 0


def _calibrate(args: argparse.Namespace, stdout: TextIO) -> int:
    claims = load_registry(args.registry)
    train = labelled_from_rows(read_jsonl(args.train))
    calib = labelled_from_rows(read_jsonl(args.calib))
    model = calibrate(claims, train, calib)
    Path(args.out).write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    stdout.write(
        f"wrote {args.out}: auto ≥ {model.t_auto:.3f}, suggest ≥ {model.t_suggest:.3f}, "
        f"auto needs ≥ {model.auto_min_words} content words\n"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="posko patrol", add_help=True, usage=USAGE)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("match")
    m.add_argument("--registry", required=True)
    m.add_argument("--model", default=None, help="calibrated matcher.json (default: packaged)")
    e = sub.add_parser("eval")
    e.add_argument("queries")
    e.add_argument("--registry", default=str(DATA / "registry.jsonl"))
    e.add_argument("--model", default=None)
    e.add_argument("--json", action="store_true")
    c = sub.add_parser("calibrate")
    c.add_argument("--registry", default=str(DATA / "registry.jsonl"))
    c.add_argument("--train", default=str(DATA / "queries_train.jsonl"))
    c.add_argument("--calib", default=str(DATA / "queries_calib.jsonl"))
    c.add_argument("--out", default=str(DATA / "matcher.json"))
    return p


def main(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.cmd == "match":
            return _match(args, stdin, stdout, stderr)
        if args.cmd == "eval":
            return _eval(args, stdout)
        return _calibrate(args, stdout)
    except (UsageError, OSError) as exc:
        stderr.write(f"posko patrol: {exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
