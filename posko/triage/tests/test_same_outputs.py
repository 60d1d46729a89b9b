"""Speed work must not change a single output: the shipped triager's labels, places and
incident keys on the development set (in full), on every other data file and on a stream of
4,000 messages shaped like the benchmark's (their digests) equal the golden ones recorded
before the shared per-token pass (issue 10). Also the batch path equals the single-message
path (classify, model.raw) message by message.

After an intended change of outputs (a retrained model, new rules), rewrite the golden file:
    .venv/bin/python -m posko.triage.tests.test_same_outputs
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from posko.triage.build import DATA_DIR
from posko.triage.cli import read_inputs
from posko.triage.engine import Triager
from posko.triage.text import normalize, normalize_reference
from posko.triage.types import TriageInput, TriageResult

GOLDEN = Path(__file__).parent / "golden_outputs.json"
CLOSINGS = ("", "", "pak", "mohon segera ditindaklanjuti pak, terima kasih banyak", "🙏 tolong")


def _row(r: TriageResult) -> str:
    fields = (r.id, r.category, r.priority, r.tone, r.unit)
    places = (r.kecamatan_code, r.desa_code, r.incident)
    return "\t".join([*fields, *(p or "-" for p in places)])


def _digest(rows: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _data_inputs(name: str) -> list[TriageInput]:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        inputs, _, errors = read_inputs(fh, io.StringIO())
    assert errors == 0
    return inputs


def stream(n: int = 4000) -> list[TriageInput]:
    """Training texts as bursts of one event among single reports, over 30 days, each with
    a closing and a number (as bench/triage_bench.py builds them)."""
    rng = random.Random(5)
    rows = [json.loads(x) for x in (DATA_DIR / "train.jsonl").read_text().splitlines()]
    bursts: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        if r.get("incident") and r.get("received_at"):
            bursts.setdefault(r["incident"], []).append(r)
    groups = [sorted(v, key=lambda r: r["received_at"]) for v in bursts.values() if len(v) > 1]
    singles = [r for r in rows if not r.get("incident")]
    start = datetime(2025, 6, 1, tzinfo=UTC)
    out: list[TriageInput] = []
    while len(out) < n:
        at = start + timedelta(seconds=rng.randrange(30 * 86400))
        group = rng.choice(groups) if rng.random() < 0.4 else [rng.choice(singles)]
        t0 = datetime.fromisoformat(group[0].get("received_at") or "2025-01-01T00:00:00+07:00")
        for r in group:
            offset = datetime.fromisoformat(r.get("received_at") or t0.isoformat()) - t0
            text = f"{r['text']} {rng.choice(CLOSINGS)} {rng.randrange(10**6)}"
            channel = r.get("channel") or rng.choice(["web", "whatsapp", "telepon"])
            out.append(TriageInput(str(len(out)), text, channel, at + offset))
    return out[:n]


def _other_files() -> list[str]:
    return sorted(
        p.name for p in DATA_DIR.glob("*.jsonl") if p.name not in ("dev.jsonl", "train.jsonl")
    )


def current() -> dict[str, object]:
    triager = Triager()
    dev = [_row(r) for r in triager.batch(_data_inputs("dev.jsonl"))]
    files = {n: _digest([_row(r) for r in triager.batch(_data_inputs(n))]) for n in _other_files()}
    files["stream"] = _digest([_row(r) for r in Triager().batch(stream())])
    return {"dev": dev, "digests": files}


@pytest.fixture(scope="module")
def golden() -> dict[str, object]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_dev_set_outputs_are_the_golden_ones(golden: dict[str, object]) -> None:
    got = [_row(r) for r in Triager().batch(_data_inputs("dev.jsonl"))]
    assert got == golden["dev"]


def test_other_files_and_a_stream_give_the_golden_outputs(golden: dict[str, object]) -> None:
    digests = golden["digests"]
    assert isinstance(digests, dict)
    assert set(digests) == {*_other_files(), "stream"}
    for name in _other_files():
        got = _digest([_row(r) for r in Triager().batch(_data_inputs(name))])
        assert got == digests[name], name
    assert _digest([_row(r) for r in Triager().batch(stream())]) == digests["stream"]


def test_batch_labels_equal_single_message_labels() -> None:
    """batch() before incident adoption and growth equals classify() message by message."""
    triager = Triager()
    inputs = stream(1500)
    results, _ = triager.batch_features(inputs)
    assert [_row(r) for r in results] == [_row(triager.classify(i)) for i in inputs]


def test_batch_model_scores_equal_single_message_scores() -> None:
    triager = Triager()
    assert triager.model is not None
    token_lists = [triager.tokens_for_model(i.text) for i in stream(600)]
    token_lists.append([])  # a message without features scores the bias alone
    batch = triager.model.raw_batch(token_lists)
    single = np.vstack([triager.model.raw(t) for t in token_lists])
    np.testing.assert_allclose(batch, single, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("n", [0, 1, 40, 4000])
def test_candidate_pairs_equal_the_message_by_message_index(n: int) -> None:
    from posko.triage.incidents import _candidate_pairs, _candidate_pairs_reference

    _, feats = Triager().batch_features(stream(n) + _data_inputs("dev.jsonl")[: n // 10])
    order = sorted(range(len(feats)), key=lambda i: feats[i].ts)
    got = _candidate_pairs(feats, order)
    want = _candidate_pairs_reference(feats, order)
    assert len(got[1]) >= n // 2  # most messages have candidates
    for a, b in zip(got, want, strict=True):
        assert a.tolist() == b.tolist()


def test_a_batch_pauses_the_garbage_collector_and_restores_it() -> None:
    import gc

    from posko.triage import engine

    seen: list[bool] = []
    triager = Triager()
    original = triager.batch_features

    def spy(inputs: Sequence[TriageInput]) -> tuple[list[TriageResult], list[object]]:
        seen.append(gc.isenabled())
        return original(inputs)  # type: ignore[return-value]

    triager.batch_features = spy  # type: ignore[method-assign, assignment]
    assert gc.isenabled()
    triager.batch(stream(5))
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with engine._gc_paused():
            pass
        assert not gc.isenabled()  # a caller's disabled collector stays disabled
    finally:
        gc.enable()


TRICKY = (
    "anak2 hilang!!! tolooong @polres-beltim www.x.com/a?b=1 sp3 pak pol",
    "aaa@aab x-anak2 anak2-an ??? kenapaaa r2 ape2 gak2 mabuk2an",
    "café anak2 🙏🙏 İstanbul ab2cd2ef",
    "terima kasih pak pol simpang 3 balap liar, trima kasih gerak cepat",
)


def test_word_by_word_normalisation_equals_the_whole_text_one() -> None:
    texts = list(TRICKY)
    for path in DATA_DIR.glob("*.jsonl"):
        texts += [json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines()]
    assert [normalize(t) for t in texts] == [normalize_reference(t) for t in texts]


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(current(), indent=0, ensure_ascii=False) + "\n", "utf-8")
