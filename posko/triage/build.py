"""Build the shipped model from the training set: `python -m posko.triage.build`.

Writes posko/triage/data/model.npz. `--check` exits 1 when the shipped model was not built
from the current training data and feature code (the test suite runs the same check).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from .engine import Triager
from .model import FEATURE_VERSION, SHIPPED_PATH, ModelBundle, train

DATA_DIR = Path(__file__).parent / "data"
TRAIN_PATH = DATA_DIR / "train.jsonl"


def training_fingerprint(path: Path = TRAIN_PATH) -> str:
    h = hashlib.sha256(path.read_bytes())
    h.update(f"features-v{FEATURE_VERSION}".encode())
    return h.hexdigest()


def load_examples(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build(train_path: Path = TRAIN_PATH, kabupaten_code: str = "19.06") -> ModelBundle:
    examples = load_examples(train_path)
    rules_only = Triager(kabupaten_code, use_model=False)
    return train(
        examples,
        lambda text: rules_only.tokens_for_model(text),
        meta={"train_sha256": training_fingerprint(train_path)},
    )


def is_up_to_date(model_path: Path = SHIPPED_PATH, train_path: Path = TRAIN_PATH) -> bool:
    if not model_path.exists():
        return False
    bundle = ModelBundle.load(model_path)
    return bundle.meta.get("train_sha256") == training_fingerprint(train_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posko.triage.build")
    parser.add_argument("--check", action="store_true", help="only check the shipped model")
    parser.add_argument("--out", type=Path, default=SHIPPED_PATH)
    args = parser.parse_args(argv)
    if args.check:
        ok = is_up_to_date(args.out)
        sys.stdout.write("model up to date\n" if ok else "model is stale: rebuild it\n")
        return 0 if ok else 1
    bundle = build()
    bundle.save(args.out)
    sys.stdout.write(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, "
        f"{len(bundle.vocab)} features, {bundle.meta['examples']} examples)\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
