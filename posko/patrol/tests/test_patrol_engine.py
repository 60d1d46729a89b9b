"""Engine and offline CLI: real registry files, real calibrated model, no Django."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from posko.patrol.engine import Claim, ClaimMatcher
from posko.patrol.engine.claimtext import analyse, found
from posko.patrol.engine.patrol_cli import main
from posko.patrol.engine.spikes import SpikeDetector, SpikePolicy

DATA = Path(__file__).resolve().parent.parent / "data"
CLAIMS = [
    Claim("manggar", "Penculikan anak bermobil ambulans terjadi di Manggar", "hoaks", "Tidak ada."),
    Claim("gantung", "Penculikan anak bermobil ambulans terjadi di Gantung", "hoaks", "Tidak ada."),
    Claim("bbm", "Harga BBM Pertalite naik menjadi Rp 15.000 per liter mulai besok", "hoaks", "."),
]


def test_numbers_and_places_are_crucial_facts() -> None:
    a = analyse("min apa benar pertalite naik jd 15 rb seliter?")
    assert "n_15000" in a.stems and "n_15000" in a.keys
    assert "manggar" in analyse("culik anak di manggar").keys
    assert found("gantugn", frozenset({"gantung"})) and not found("dendang", frozenset({"gantung"}))


def test_one_letter_codes_after_a_code_word_are_crucial_facts() -> None:
    assert analyse("bikin sim a gratis").keys == {"x_a"}
    assert analyse("Pembuatan SIM B1 gratis").keys >= {"x_b1"}
    assert analyse("golongan darah O").keys == {"x_o"}
    # a lone letter elsewhere stays a stop word
    assert analyse("jalan a yani").keys == frozenset() and "x_a" not in analyse("a yani").stems
    sim = [
        Claim(f"sim-{c}", f"Pembuatan SIM {c.upper()} gratis lewat tautan ini", "hoaks", ".")
        for c in ("a", "c", "b1")
    ]
    m = ClaimMatcher(sim)
    assert [m.match_one(t).best for t in ("sim C gratis lewat link?", "min, sim a gratis?")] == [
        "sim-c",
        "sim-a",
    ]


def test_near_duplicates_are_told_apart_and_unregistered_place_is_not_matched() -> None:
    m = ClaimMatcher(CLAIMS)
    r = m.match_one("min apa benar ada penculikan anak pakai mobil ambulans di gantung?")
    assert r.best == "gantung" and r.decision != "none"
    other = m.match_one("min apa benar ada penculikan anak pakai mobil ambulans di dendang?")
    assert other.decision == "none"


def test_cli_match_contract() -> None:
    reg = io.StringIO()
    out = io.StringIO()
    err = io.StringIO()
    msgs = "\n".join(
        [
            json.dumps({"id": 1, "text": "pertalite besok jadi rp 15.000 per liter, bener min?"}),
            "not json",
            json.dumps({"id": "x", "text": "jadwal posyandu bulan depan"}),
        ]
    )
    path = DATA / "registry.jsonl"
    rc = main(["match", "--registry", str(path)], io.StringIO(msgs), out, err)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert rc == 1 and "line 2" in err.getvalue() and reg.getvalue() == ""
    assert [x["id"] for x in lines] == [1, "x"]
    assert lines[0]["matches"][0]["claim_id"] == "bbm-15-000" and lines[0]["decision"] != "none"
    assert len(lines[0]["matches"]) <= 5
    assert lines[1]["decision"] == "none"


def test_console_script_runs_offline_without_django_settings(tmp_path: Path) -> None:
    reg = tmp_path / "r.jsonl"
    reg.write_text(json.dumps({"id": "a", "claim": CLAIMS[2].claim, "verdict": "hoaks"}) + "\n")
    code = "import sys; from posko.cli import main; sys.exit(main(sys.argv))"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "does.not.exist"}
    p = subprocess.run(
        [sys.executable, "-c", code, "patrol", "match", "--registry", str(reg)],
        input=json.dumps({"id": 7, "text": "harga pertalite naik 15 ribu besok?"}),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["matches"][0]["claim_id"] == "a"


def test_eval_on_own_dev_set_meets_targets() -> None:
    out = io.StringIO()
    main(["eval", str(DATA / "queries_dev.jsonl"), "--json"], io.StringIO(), out, io.StringIO())
    fig = json.loads(out.getvalue())
    assert fig["r_at_1"] >= 0.95 and fig["auto_precision"] >= 0.98
    assert fig["lookalike_false_alarms"] <= 0.05


def test_spike_detector_alerts_once_per_spike() -> None:
    det = SpikeDetector(SpikePolicy(warmup_minutes=30))
    alerts = []
    for minute in range(120):
        n = 40 if 60 <= minute < 75 else 2
        alerts += det.add(minute, ("culik", "manggar"), n)
        alerts += det.add(minute, ("bbm", "gantung"), 3)
    alerts += det.close_minute()
    assert [(a.key, a.minute) for a in alerts] == [(("culik", "manggar"), 60)]


def test_spike_detector_alerts_a_slow_ramp() -> None:
    """A burst that grows linearly to 10x over 15 minutes must not teach the baseline its
    own growth: an unclipped EWMA variance swells with the ramp and the alert never comes."""
    rng = np.random.default_rng(5)
    alerts = []
    for seed in range(8):
        det = SpikeDetector()
        lam = np.full(300, 2.5)
        lam[200:245] *= 1 + 9 * np.minimum(1.0, (np.arange(45) + 1) / 15)
        counts = rng.poisson(lam)
        found = []
        for minute, n in enumerate(counts.tolist()):
            found += [a.minute for a in det.add(minute, ("ramp", seed), n) if a.minute >= 200]
        alerts.append(found[0] - 200 + 1 if found else None)
    assert all(a is not None and a <= 12 for a in alerts), alerts


def _dev_texts() -> list[str]:
    rows = [json.loads(x) for x in (DATA / "queries_dev.jsonl").read_text("utf-8").splitlines()]
    return [r["text"] for r in rows if r.get("text")]


def _registry() -> list[Claim]:
    from posko.patrol.engine.patrol_cli import load_registry

    return load_registry(str(DATA / "registry.jsonl"))


def test_batch_pair_features_equal_the_features_of_one_pair(monkeypatch: Any) -> None:
    """claimpairs (per-claim views, per-message typo links) computes exactly what
    rescore.pair_features defines, on both retrieval paths (exhaustive and shortlist)."""
    from posko.patrol.engine import retrieval
    from posko.patrol.engine.rescore import pair_features

    texts = _dev_texts()
    for limit in (retrieval.EXHAUSTIVE_LIMIT, 50):
        monkeypatch.setattr(retrieval, "EXHAUSTIVE_LIMIT", limit)
        m = ClaimMatcher(_registry())
        qs = [analyse(t) for t in texts]
        found_ = m.index.search(qs, 6)
        compared = 0
        for q, cands, (_, rows) in zip(qs, found_, m.candidate_rows(texts), strict=True):
            assert [r.claim_index for r in rows] == [c.row for c in cands]
            for n, (row, cand) in enumerate(zip(rows, cands, strict=True)):
                others = [o.lexical for j, o in enumerate(cands) if j != n]
                want = pair_features(
                    q,
                    m.analysed[cand.row],
                    word=cand.word,
                    char=cand.char,
                    margin=cand.lexical - (max(others) if others else 0.0),
                    weighted=m.index.weighted,
                )
                assert row.features == want
                compared += 1
        assert compared > 5 * len(texts)


def test_query_vectors_equal_the_fitted_vectorizers() -> None:
    m = ClaimMatcher(_registry())
    qs = [analyse(t) for t in _dev_texts()]
    qw, qc = m.index.vectorise(qs)
    ref_w = m.index.word_vec.transform(qs).astype(np.float32)
    ref_c = m.index.char_vec.transform([q.content or "_" for q in qs])
    for got, ref in ((qw, ref_w), (qc, ref_c)):
        assert got.dtype == ref.dtype and (got != ref).nnz == 0


def test_a_batch_gets_the_decisions_of_one_message_at_a_time(monkeypatch: Any) -> None:
    from posko.patrol.engine import retrieval

    texts = [*_dev_texts()[:80], "min apa benar", "", "jadwal posyandu bulan depan"]
    for limit in (retrieval.EXHAUSTIVE_LIMIT, 50):
        monkeypatch.setattr(retrieval, "EXHAUSTIVE_LIMIT", limit)
        m = ClaimMatcher(_registry())
        batch = m.match(texts)
        assert batch == [m.match_one(t) for t in texts]
        assert {r.decision for r in batch} == {"auto", "suggest", "none"}


def test_a_large_registry_is_moved_out_of_the_garbage_collector_at_load(
    monkeypatch: Any,
) -> None:
    """Above FREEZE_MIN_CLAIMS the matcher freezes the heap once it is built (every full
    collection would walk the registry's objects again); its outputs are the same."""
    import gc

    from posko.patrol.engine import matcher as matcher_mod

    texts = _dev_texts()[:40]
    gc.unfreeze()
    small = ClaimMatcher(_registry())
    assert gc.get_freeze_count() == 0  # 210 claims: below the limit, nothing frozen
    monkeypatch.setattr(matcher_mod, "FREEZE_MIN_CLAIMS", len(small.claims))
    try:
        large = ClaimMatcher(_registry())
        assert gc.get_freeze_count() > 0
        assert large.match(texts) == small.match(texts)
    finally:
        gc.unfreeze()
