"""`posko triage` command line: JSON Lines in, JSON Lines out; `eval` for labelled files.

Called by the project's console script as `main(sys.argv[2:], sys.stdin, sys.stdout,
sys.stderr)`; needs no Django settings, database or network.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TextIO

from .build import DATA_DIR
from .engine import get_triager
from .evaluation import evaluate, format_report, format_summary
from .types import TriageInput

USAGE = """usage: posko triage [--kabupaten CODE] < messages.jsonl > triaged.jsonl
       posko triage eval FILE.jsonl [FILE.jsonl ...] [--json] [--kabupaten CODE]
       posko triage eval --all      (dev, test and every holdout shipped in posko/triage/data)

Input lines: {"id": ..., "text": ..., "channel"?: ..., "received_at"?: ISO 8601}
Output lines: {"id","category","priority","tone","kecamatan_code","desa_code","unit","incident"}
"""


class LineError(ValueError):
    pass


def parse_line(line: str) -> tuple[TriageInput, dict[str, Any]]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"not valid JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise LineError("expected a JSON object")
    if "id" not in obj or obj["id"] is None or isinstance(obj["id"], (dict, list, bool)):
        raise LineError('missing or invalid "id"')
    text = obj.get("text")
    if not isinstance(text, str):
        raise LineError('missing "text" (must be a string)')
    channel = obj.get("channel")
    if channel is not None and not isinstance(channel, str):
        raise LineError('"channel" must be a string')
    received: datetime | None = None
    raw_at = obj.get("received_at")
    if raw_at is not None:
        if not isinstance(raw_at, str):
            raise LineError('"received_at" must be an ISO 8601 string')
        try:
            received = datetime.fromisoformat(raw_at)
        except ValueError:
            raise LineError(f'"received_at" is not ISO 8601: {raw_at!r}') from None
    return TriageInput(str(obj["id"]), text, channel, received), obj


def read_inputs(
    lines: Iterable[str], stderr: TextIO
) -> tuple[list[TriageInput], list[dict[str, Any]], int]:
    inputs: list[TriageInput] = []
    raws: list[dict[str, Any]] = []
    errors = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            inp, raw = parse_line(line)
        except LineError as exc:
            errors += 1
            stderr.write(f"posko triage: line {n}: {exc}; line skipped\n")
            continue
        inputs.append(inp)
        raws.append(raw)
    return inputs, raws, errors


def _run_triage(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    inputs, _, errors = read_inputs(stdin, stderr)
    triager = get_triager(args.kabupaten)
    for res in triager.batch(inputs):
        stdout.write(json.dumps(res.to_json_dict(), ensure_ascii=False) + "\n")
    stdout.flush()
    return 1 if errors else 0


def _eval_file(path: str, kabupaten: str, stderr: TextIO) -> tuple[dict[str, Any] | None, int]:
    """Metrics of one labelled file, or None (reported on stderr) and an exit code."""
    try:
        with open(path, encoding="utf-8") as fh:
            inputs, gold, errors = read_inputs(fh, stderr)
    except OSError as exc:
        stderr.write(f"posko triage eval: cannot read {path}: {exc.strerror}\n")
        return None, 2
    if not inputs:
        stderr.write(f"posko triage eval: {path}: no labelled lines\n")
        return None, 2
    missing = [
        i for i, g in enumerate(gold) if not all(k in g for k in ("category", "priority", "tone"))
    ]
    if missing:
        stderr.write(
            f"posko triage eval: {path}: {len(missing)} lines lack gold category/priority/tone\n"
        )
        return None, 2
    pred = get_triager(kabupaten).batch(inputs)
    return evaluate(gold, pred), 1 if errors else 0


def evaluation_files() -> list[str]:
    """The shipped evaluation sets: dev, test and every holdout."""
    names = ["dev.jsonl", "test.jsonl", *sorted(p.name for p in DATA_DIR.glob("holdout*.jsonl"))]
    return [str(DATA_DIR / n) for n in names if (DATA_DIR / n).exists()]


def _run_eval(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    files = list(args.file) + (evaluation_files() if args.all else [])
    if not files:
        stderr.write("posko triage eval: no file given\n" + USAGE)
        return 2
    results: dict[str, dict[str, Any]] = {}
    code = 0
    for path in files:
        metrics, rc = _eval_file(path, args.kabupaten, stderr)
        code = max(code, rc)
        if metrics is not None:
            results[path] = metrics
    if not results:
        return code
    if args.json:
        payload: Any = next(iter(results.values())) if len(files) == 1 else results
        stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif len(files) == 1:
        stdout.write(format_report(next(iter(results.values()))))
    else:
        for path, metrics in results.items():
            stdout.write(f"##### {path}\n{format_report(metrics)}\n")
        stdout.write(format_summary(results))
    return code


def main(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if argv and argv[0] in ("-h", "--help", "help"):
        stdout.write(USAGE)
        return 0
    if argv and argv[0] == "eval":
        parser = argparse.ArgumentParser(prog="posko triage eval", add_help=False)
        parser.add_argument("file", nargs="*")
        parser.add_argument("--all", action="store_true")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--kabupaten", default="19.06")
        rest = argv[1:]
    else:
        parser = argparse.ArgumentParser(prog="posko triage", add_help=False)
        parser.add_argument("--kabupaten", default="19.06")
        rest = argv
    try:
        args, unknown = parser.parse_known_args(rest)
    except SystemExit:
        stderr.write(USAGE)
        return 2
    if unknown:
        stderr.write(f"posko triage: unknown arguments: {' '.join(unknown)}\n{USAGE}")
        return 2
    if argv and argv[0] == "eval":
        return _run_eval(args, stdout, stderr)
    return _run_triage(args, stdin, stdout, stderr)


if __name__ == "__main__":  # pragma: no cover
    import sys

    raise SystemExit(main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
