"""Incident linking: the pieces of the link score and its behaviour in a batch."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from posko.triage import TriageInput, Triager, get_triager
from posko.triage.incidents import (
    INCIDENTS_PATH,
    PAIR_FEATURES,
    EventFeatures,
    LinkModel,
    cluster,
    facts_of,
    fit_link_model,
    has_referring_cue,
    pair_features,
    place_relation,
)

T0 = datetime(2026, 9, 5, 9, 30, tzinfo=UTC)


def ev(
    category: str | None,
    desa: str | None = None,
    kec: str | None = None,
    minutes: float = 0,
    words: str = "",
    cue: bool = False,
) -> EventFeatures:
    from posko.triage.incidents import GROUP

    return EventFeatures(
        GROUP.get(category or ""),
        kec or (desa[:8] if desa else None),
        desa,
        T0 + timedelta(minutes=minutes),
        frozenset(words.split()),
        category=category,
        cue=cue,
    )


@pytest.fixture(scope="module")
def triager() -> Triager:
    return get_triager()


def test_place_relation_allows_an_absent_place_and_vetoes_two_places() -> None:
    a = ev("pencurian", desa="19.06.01.2004")
    assert place_relation(a, ev("pencurian", desa="19.06.01.2004")) == "same_desa"
    assert place_relation(a, ev("pencurian", kec="19.06.01")) == "same_kecamatan"
    assert place_relation(a, ev("pencurian")) == "one_place"
    assert place_relation(ev("pencurian"), ev("pencurian")) == "no_place"
    assert place_relation(a, ev("pencurian", desa="19.06.01.2006")) == "conflict"
    assert pair_features(a, ev("pencurian", desa="19.06.01.2006")) is None


def test_pairs_more_than_two_days_apart_are_never_linked() -> None:
    a = ev("kecelakaan", minutes=0)
    assert pair_features(ev("kecelakaan", minutes=49 * 60), a) is None
    x = pair_features(ev("kecelakaan", minutes=30), a)
    assert x is not None and len(x) == len(PAIR_FEATURES)


def test_facts_are_numbers_names_and_objects_not_amounts_or_years() -> None:
    facts = facts_of(frozenset({"4511", "000", "2026", "vario", "hitam", "motor", "sutrisno"}))
    assert facts == {"4511", "vario", "hitam", "sutrisno"}


def test_referring_cues() -> None:
    assert has_referring_cue(["pak", "update", "pelakunya", "sudah", "kabur"])
    assert not has_referring_cue(["ada", "maling", "masuk", "rumah"])


def test_shipped_link_score_matches_the_pair_features() -> None:
    data = json.loads(INCIDENTS_PATH.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == PAIR_FEATURES
    assert len(data["weights"]) == len(PAIR_FEATURES)
    assert data["fit"]["precision"] >= 0.9  # the threshold was calibrated for precision


def test_fit_learns_a_threshold_from_labelled_pairs() -> None:
    stream = [
        ev("kecelakaan", desa="19.06.01.2004", minutes=0, words="truk motor tabrak"),
        ev("kecelakaan", minutes=5, words="truk motor korban", cue=True),
        ev("pencurian", desa="19.06.04.2001", minutes=60, words="sapi hilang kandang"),
        ev("pencurian", desa="19.06.04.2001", minutes=70, words="sapi kandang bobol"),
        ev("informasi", minutes=300, words="jadwal skck"),
        ev("kecelakaan", desa="19.06.05.2002", minutes=2000, words="mobil parit"),
    ]
    keys = ["A", "A", "B", "B", None, None]
    link, stats = fit_link_model([(stream, keys)] * 3, min_precision=0.9)
    assert isinstance(link, LinkModel) and stats["positive"] == 6
    assert cluster(stream, link)[:4] == ["I1", "I1", "I2", "I2"]


def test_a_place_less_update_joins_and_a_look_alike_stays_apart(triager: Triager) -> None:
    inputs = [
        TriageInput(
            "1",
            "min barusan HP ibu sy dijambret di pasar manggar, pelaku 2 org naik motor beat item",
            "whatsapp",
            T0,
        ),
        TriageInput(
            "2",
            "pak update: yg jambret td pelakunya kabur naik beat item ke arah pelabuhan",
            "sms",
            T0 + timedelta(minutes=11),
        ),
        TriageInput(
            "3",
            "tolong pak ada kebakaran rumah di desa lalang, api sudah besar",
            "whatsapp",
            T0 + timedelta(minutes=20),
        ),
        TriageInput(
            "4",
            "kalung ibu saya dijambret di pasar manggar tadi siang, pelakunya pakai jaket merah",
            "web",
            T0 + timedelta(days=4),
        ),
    ]
    a, b, c, d = triager.batch(inputs)
    assert a.incident is not None and a.incident == b.incident
    assert c.incident is None and d.incident is None


def _holdout_features(triager: Triager) -> list[EventFeatures]:
    """Features of 90 holdout messages, one naming two desa and two hoaxes."""
    from posko.triage.build import load_examples
    from posko.triage.engine import event_features

    rows = load_examples(Path(__file__).parents[1] / "data" / "holdout_w2.jsonl")[:90]
    feats = []
    for row in rows:
        norm, tokens, kec, desa, also = triager._analyse_places(row["text"])
        at = row.get("received_at")
        feats.append(
            event_features(
                row["category"],
                kec,
                desa,
                datetime.fromisoformat(at) if at else T0,
                norm,
                tokens,
                also,
                channel=row.get("channel"),
                timed=bool(at),
            )
        )
    # a message naming two desa ("antara Mempaya dan Sukamandi") and two hoaxes
    two = triager._analyse_places("tawuran antara pemuda desa Mempaya dan desa Sukamandi")
    feats.append(event_features("kekerasan", two[2], two[3], T0, two[0], two[1], two[4]))
    feats += [ev("hoaks", desa="19.06.01.2004"), ev("hoaks", desa="19.06.02.2001")]
    assert feats[-3].also_desa
    return feats


def test_batch_pair_features_equal_the_features_of_one_pair(triager: Triager) -> None:
    """pairs.pair_matrix (all pairs at once, arrays) computes what pair_features defines."""
    import numpy as np

    from posko.triage.pairs import MessageArrays, pair_matrix

    feats = _holdout_features(triager)
    later = np.array([i for i in range(len(feats)) for j in range(i)], dtype=np.int64)
    earlier = np.array([j for i in range(len(feats)) for j in range(i)], dtype=np.int64)
    x, vetoed = pair_matrix(MessageArrays(feats), later, earlier)
    n_kept = 0
    for k, (i, j) in enumerate(zip(later.tolist(), earlier.tolist(), strict=True)):
        one = pair_features(feats[i], feats[j])
        assert vetoed[k] == (one is None)
        if one is not None:
            n_kept += 1
            assert np.allclose(x[k], one, rtol=0, atol=1e-12), (i, j)
    assert n_kept > 100 and vetoed.any()


def test_a_pair_block_built_in_parts_is_the_whole_matrix(
    triager: Triager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pair_scores builds a block's rows PAIR_ROWS at a time (memory): the same matrix and
    vetoes, bit for bit, as one pair_matrix call, and so the same scores."""
    import numpy as np

    from posko.triage import incidents
    from posko.triage.pairs import MessageArrays, pair_matrix

    feats = _holdout_features(triager)
    later = np.array([i for i in range(len(feats)) for j in range(i)], dtype=np.int64)
    earlier = np.array([j for i in range(len(feats)) for j in range(i)], dtype=np.int64)
    arrays = MessageArrays(feats)
    whole, whole_vetoed = pair_matrix(arrays, later, earlier)
    monkeypatch.setattr(incidents, "PAIR_ROWS", 1000)  # 4 full parts and a short one
    assert 4000 < len(later) < 5000
    parts, parts_vetoed = incidents._pair_block(arrays, later, earlier)
    assert parts.shape == whole.shape and parts.dtype == whole.dtype
    assert np.array_equal(parts, whole) and np.array_equal(parts_vetoed, whole_vetoed)
    assert whole_vetoed.any() and not whole_vetoed.all()


def test_a_tree_link_score_fits_scores_alike_one_by_one_and_in_arrays() -> None:
    import numpy as np

    from posko.triage.pairs import MessageArrays, pair_matrix

    stream = [
        ev("kecelakaan", desa="19.06.01.2004", minutes=0, words="truk motor tabrak"),
        ev("kecelakaan", minutes=5, words="truk motor korban", cue=True),
        ev("pencurian", desa="19.06.04.2001", minutes=60, words="sapi hilang kandang"),
        ev("pencurian", desa="19.06.04.2001", minutes=70, words="sapi kandang bobol"),
        ev("informasi", minutes=300, words="jadwal skck"),
        ev("kecelakaan", desa="19.06.05.2002", minutes=2000, words="mobil parit"),
    ]
    keys = ["A", "A", "B", "B", None, None]
    link, stats = fit_link_model([(stream, keys)] * 3, min_precision=0.9, trees=True)
    assert link.trees is not None and 0 < link.blend < 1 and stats["positive"] == 6
    assert cluster(stream, link)[:4] == ["I1", "I1", "I2", "I2"]
    later = np.array([i for i in range(6) for j in range(i)], dtype=np.int64)
    earlier = np.array([j for i in range(6) for j in range(i)], dtype=np.int64)
    x, vetoed = pair_matrix(MessageArrays(stream), later, earlier)
    together = link.score_matrix(x)
    for k, (i, j) in enumerate(zip(later.tolist(), earlier.tolist(), strict=True)):
        one = link.score(stream[i], stream[j])
        assert (one is None) == vetoed[k]
        if one is not None:
            assert abs(one - together[k]) < 1e-9
    # a triager given this score uses it (the shipped one stays the default)
    assert Triager(link=link).link is link


def test_an_incident_of_one_report_has_that_reports_pair_features() -> None:
    """The incident features of a message against a one-report incident are the pair
    features of the two messages (plus the incident-only ones), on every dev pair."""
    from posko.triage.build import DEV_PATH, load_examples
    from posko.triage.incidents import Incident, incident_features, shipped_link_model

    rows = load_examples(DEV_PATH)[:90]
    inputs = [
        TriageInput(
            str(r["id"]),
            r["text"],
            r.get("channel"),
            datetime.fromisoformat(r["received_at"]) if r.get("received_at") else None,
        )
        for r in rows
    ]
    _, feats = get_triager().batch_features(inputs)
    link = shipped_link_model()
    compared = vetoed = 0
    for i, a in enumerate(feats):
        for b in feats[:i]:
            whole = Incident()
            whole.add(b)
            got = incident_features(a, whole, 0.0, link)
            want = pair_features(a, b)
            if want is None or got is None:
                vetoed += want is None
                assert (want is None) == (got is None) or a.also_desa or b.also_desa
                continue
            assert got[: len(PAIR_FEATURES)] == pytest.approx(want)
            compared += 1
    assert compared > 1000 and vetoed > 100


def test_a_message_joins_an_incident_by_what_its_reports_say_together() -> None:
    """C shares one word with A and one with B: no pair is enough, the incident is."""
    from dataclasses import replace

    from posko.triage.incidents import INCIDENT_FEATURES

    a = ev("pencurian", words="gudang kopra dibobol", minutes=0)
    b = ev("pencurian", words="kopra dibobol gembok", minutes=10)
    c = ev("pencurian", words="gudang gembok", minutes=20)
    d = ev("pencurian", words="sawit hilang", minutes=30)
    pair_w = [0.0] * len(PAIR_FEATURES)
    pair_w[PAIR_FEATURES.index("bias")] = -1.0
    pair_w[PAIR_FEATURES.index("shared")] = 2.0  # two shared words (of four) reach 0
    whole_w = pair_w + [0.0] * (len(INCIDENT_FEATURES) - len(PAIR_FEATURES))
    pairs_only = LinkModel(tuple(pair_w), 0.0)
    assert cluster([a, b, c, d], pairs_only) == ["I1", "I1", None, None]
    whole = replace(pairs_only, incident_weights=tuple(whole_w), incident_threshold=0.0)
    assert cluster([a, b, c, d], whole) == ["I1", "I1", "I1", None]


def test_the_shipped_link_score_scores_whole_incidents() -> None:
    from posko.triage.incidents import INCIDENT_FEATURES, shipped_link_model

    data = json.loads(INCIDENTS_PATH.read_text(encoding="utf-8"))
    assert data["incident"]["features"] == list(INCIDENT_FEATURES)
    link = shipped_link_model()
    assert link.incident_weights is not None
    assert len(link.incident_weights) == len(INCIDENT_FEATURES)
    assert link.word_weights["motor"] < link.word_weights["sabung"] < link.unknown_word_weight
