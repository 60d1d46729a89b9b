import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from posko.triage.build import TRAIN_PATH, is_up_to_date
from posko.triage.model import SHIPPED_PATH, ModelBundle, features, train
from posko.triage.types import CATEGORIES, PRIORITIES, TONES

DATA = Path(__file__).resolve().parents[1] / "data"


def test_shipped_model_is_built_from_current_training_data() -> None:
    assert is_up_to_date(), "run: python -m posko.triage.build"


def test_shipped_model_loads_fast_and_scores_every_label() -> None:
    start = time.perf_counter()
    bundle = ModelBundle.load(SHIPPED_PATH)
    assert time.perf_counter() - start < 1.0
    scores = bundle.scores(["ada", "tawuran", "bawa", "sajam"])
    assert set(scores["category"]) == set(CATEGORIES)
    assert set(scores["priority"]) == set(PRIORITIES)
    assert set(scores["tone"]) == set(TONES)
    assert max(scores["category"], key=scores["category"].__getitem__) == "kekerasan"


def test_training_files_use_only_contract_codes() -> None:
    holdouts = tuple(sorted(p.name for p in DATA.glob("holdout*.jsonl")))
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl", *holdouts):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert row["category"] in CATEGORIES
            assert row["priority"] in PRIORITIES
            assert row["tone"] in TONES
            for key in ("kecamatan_code", "desa_code"):
                assert row[key] is None or row[key].startswith("19.06.")


def test_evaluation_sets_do_not_repeat_training_texts() -> None:
    train_texts = {json.loads(x)["text"].lower() for x in TRAIN_PATH.read_text().splitlines()}
    holdouts = tuple(sorted(p.name for p in DATA.glob("holdout*.jsonl")))
    assert len(holdouts) >= 4
    for name in ("dev.jsonl", "test.jsonl", *holdouts):
        texts = {json.loads(x)["text"].lower() for x in (DATA / name).read_text().splitlines()}
        assert not train_texts & texts, name


def test_save_load_round_trip(tmp_path: Path) -> None:
    examples = [
        {
            "text": "motor dicuri maling",
            "category": "pencurian",
            "priority": "tinggi",
            "tone": "netral",
        },
        {
            "text": "terima kasih pak polisi",
            "category": "apresiasi",
            "priority": "rendah",
            "tone": "apresiasi",
        },
        {
            "text": "kebakaran rumah api besar",
            "category": "darurat_bencana",
            "priority": "darurat",
            "tone": "netral",
        },
    ]
    bundle = train(examples, lambda t: t.split())
    path = tmp_path / "m.npz"
    bundle.save(path)
    loaded = ModelBundle.load(path)
    a = bundle.scores(["motor", "dicuri"])
    b = loaded.scores(["motor", "dicuri"])
    for head in a:
        assert np.allclose(list(a[head].values()), list(b[head].values()), atol=1e-4)
    assert max(b["category"], key=b["category"].__getitem__) == "pencurian"
    # labels absent from training are never predicted
    assert b["category"]["narkoba"] < -20


def test_features_include_words_stems_and_char_ngrams() -> None:
    feats = features(["pencurian"])
    assert "w:pencurian" in feats and "s:curi" in feats and "cur" in feats


def test_lexicon_terms_fit_the_rule_keys() -> None:
    """Rule keys are built for up to three words: a longer term could never match."""
    from posko.triage.rules import _INDEX

    assert [t for t in _INDEX if len(t.split()) > 3] == []


def test_batch_scoring_equals_single_message_scoring() -> None:
    """Batch mode scores blocks of messages with one sparse product; the numbers must be the
    ones ``raw()`` gives message by message (including a message without features and more
    messages than one block)."""
    import numpy as np

    from posko.triage import get_triager
    from posko.triage.model import BATCH_BLOCK

    triager = get_triager()
    assert triager.model is not None
    texts = [
        "tolong ada kebakaran di desa lalang",
        "",
        "makasih pak pol 🙏",
        "zzqx",
        # a word twice and words sharing character n-grams: each feature counts once
        "maling maling motor dimaling lagi, malingnya kabur kabur",
    ]
    tokens = [triager.tokens_for_model(t) for t in texts] * (BATCH_BLOCK // 2 + 1)
    single = np.array([triager.model.raw(t) for t in tokens])
    assert np.allclose(triager.model.raw_batch(tokens), single, atol=1e-9)


def test_scores_stay_the_same_when_the_token_caches_are_cleared(monkeypatch: Any) -> None:
    """The stem ids inside the bigram keys are renumbered when the bounded caches are
    cleared: scores before and after (and across blocks) must not change."""
    from posko.triage import Triager
    from posko.triage import model as model_module

    bundle = ModelBundle.load(model_module.SHIPPED_PATH)
    triager = Triager(model=bundle)
    texts = ["maling motor dimaling lagi di jalan", "kebakaran rumah, api besar", "zzqx"]
    tokens = [triager.tokens_for_model(t + f" kata{i}") for i in range(40) for t in texts]
    before = bundle.raw_batch(tokens)
    monkeypatch.setattr(model_module, "_MAX_STEMS", 5)
    monkeypatch.setattr(model_module, "BATCH_BLOCK", 7)
    after = bundle.raw_batch(tokens)
    assert len(bundle._stem_names) < 20  # cleared before the last block (one message)
    single = np.array([bundle.raw(t) for t in tokens])
    assert np.allclose(after, before, atol=1e-9) and np.allclose(single, before, atol=1e-9)


def test_batch_labels_equal_single_message_labels_on_dev_set() -> None:
    """The batch path (per-token index arrays, duplicates removed by the sparse matrix) must
    choose the labels ``classify()`` chooses, message by message, on a whole data file."""
    import json
    from pathlib import Path

    from posko.triage import get_triager

    triager = get_triager()
    assert triager.model is not None
    path = Path(__file__).parents[1] / "data" / "dev.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    tokens = [triager.tokens_for_model(t) for t in texts]
    raws = triager.model.raw_batch(tokens).tolist()
    batch = [triager._labels(t, r) for t, r in zip(tokens, raws, strict=True)]
    assert batch == [triager._labels(t) for t in tokens]
