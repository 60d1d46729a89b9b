"""Incident grouping: messages about the same real-world event.

Pairs of messages get a logistic link score over pair features (event type, time gap, place
compatibility with an absent place allowed, shared words and facts, referring cues,
channel). A message then joins the incident its candidates belong to whose score *as a
whole* is best and over its threshold: the same features against the union of the
incident's reports, the best pair score and the weight of the shared words. Both are
learned from labelled streams with thresholds calibrated on them (data/incidents.json,
built by `python -m posko.triage.build`).
"""

from __future__ import annotations

import json
import math
import operator
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .pairs import PAIR_BLOCK, MessageArrays, PairTrees, pair_matrix
from .text import root_words, stem, stop_words, words

GROUP: dict[str, str] = {
    "kecelakaan": "lantas",
    "lalu_lintas": "lantas",
    "kekerasan": "ketertiban",
    "ketertiban": "ketertiban",
    "pencurian": "pencurian",
    "narkoba": "narkoba",
    "penipuan": "penipuan",
    "perjudian": "perjudian",
    "lingkungan": "lingkungan",
    "asusila_kdrt": "asusila_kdrt",
    "orang_hilang": "orang_hilang",
    "darurat_bencana": "bencana",
    "pelanggaran_anggota": "pelanggaran_anggota",
    "hoaks": "hoaks",
}
GENERIC = words(
    """
    tolong pak bapak ibu polisi admin mohon segera cepat sekarang lagi ada ini itu lapor
    laporan melapor info kabar warga orang kami saya kita sudah tadi barusan
    terima_kasih mas bang bro gan kak dek emo_pray emo_alarm emo_angry emo_cry emo_fear
    minta bantuan bantu tangan tindak lanjut polres polsek sana sini situ daerah desa
    kecamatan dekat depan jalan di ke dari yang dan atau tapi juga banget sangat wilayah
    lokasi kejadian terjadi tkp pagi siang sore malam jam hari qmark _tempat_ juga lihat
    melihat dengar saksi ya sih dong kok nya
    ya allah semoga moga selamat amin aamiin arah
    tlp masuk pelapor terlapor lk pr th thn pkl pukul wib dusun dsn rt rw
    ds bhabin bhabinkamtibmas spkt piket lewat
    sdr sdri an ndan izin monitor lap update yth hormat dengan kepada tks
    belitung timur beltim kab kabupaten rp perihal polri
    """
)
# Words that start or end a time written in an officer note ("Tlp masuk 21.40", "pkl 9").
TIME_CUES = words("pkl pukul jam masuk wib wita wit")
# "saya juga melihat ...": a witness adding to a report that is already in.
FOLLOWUP_VERBS = words(
    "lihat melihat dengar mendengar saksikan menyaksikan alami mengalami lewat melewati"
)
# "tadi saya lewat situ, ...": somebody passing the place of an event already reported.
DEICTIC_PLACE = words("situ sana tkp")
# Growth rule for batches (shared/spec: the Django layer's GROWTH_RULES, darurat part only):
# five or more reports of one incident within ten minutes make every report of it darurat.
GROWTH_COUNT = 5
GROWTH_SECONDS = 600.0


# The one empty set of a message's features: since Python 3.10 each `frozenset()` is a new
# 216-byte object, and most messages have no ages, facts or other desa (issue 10, memory).
EMPTY: frozenset[str] = frozenset()


def _frozen(items: list[str]) -> frozenset[str]:
    return frozenset(items) if items else EMPTY


def content_words(tokens: Sequence[str]) -> frozenset[str]:
    """Stems of the content words (place names are masked by the caller and skipped)."""
    out: list[str] = []
    cache = _CONTENT_CACHE
    for i, t in enumerate(tokens):
        hit = cache.get(t)
        if hit is None:
            if len(cache) > 100_000:
                cache.clear()
            # digits may be a clock time, "telepon" the start of "Tlp masuk 21.40"
            hit = cache[t] = (_content_stem(t), t[0].isdigit() or t[0] == "t")
        st, maybe_time = hit
        if st is not None and not (maybe_time and _time_part(tokens, i)):
            out.append(st)
    return _frozen(out)


# per token: (its content stem or None, whether it may be part of a clock time)
_CONTENT_CACHE: dict[str, tuple[str | None, bool]] = {}


def _content_stem(token: str) -> str | None:
    """The stem of a content word, None for stop words, generic words and single letters."""
    if len(token) <= 1 or token in stop_words() or token in GENERIC:
        return None
    return stem(token)


def _time_part(tokens: Sequence[str], i: int) -> bool:
    """Digits of a clock time ("21.40" → 21 40, "pkl 9", "jam 9 mlm") and the "telepon"
    of "Tlp masuk 21.40:": not event content."""
    tok = tokens[i]
    if tok in ("telepon", "telpon"):
        return i + 1 < len(tokens) and tokens[i + 1] == "masuk"
    if not tok.isdigit():
        return False
    prev = tokens[i - 1] if i else ""
    if prev in TIME_CUES:
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    return len(tok) == 2 and any(len(w) == 2 and w.isdigit() for w in (prev, nxt))


def is_followup(tokens: Sequence[str]) -> bool:
    """ "saya juga melihat/liat ...", "kami juga dengar ...": a witness's follow-up."""
    if "juga" not in tokens and "lewat" not in tokens and "melewati" not in tokens:
        return False  # most messages: no word the loop below looks for
    for i, tok in enumerate(tokens):
        if tok in ("lewat", "melewati") and i + 1 < len(tokens) and tokens[i + 1] in DEICTIC_PLACE:
            return True
        if tok != "juga":
            continue
        # "saya juga melihat", and "kami lihat juga" / "liat jg"
        for j in (i + 1, i - 1):
            if 0 <= j < len(tokens):
                w = tokens[j]
                if w in FOLLOWUP_VERBS or stem(w) in FOLLOWUP_VERBS:
                    return True
    return False


# Words that refer back to an event somebody already reported ("pak update: pelakunya
# sudah kabur", "yang tadi", "korban laka tadi"); used as one input of the link score.
REFERRING_CUES = words(
    """update apdet susulan lanjutan tadi td tersebut pelakunya korbannya korbanya tadi
    perkembangan kabarnya gimana bagaimana masih sudah ketemu ditemukan tertangkap
    ditangkap diamankan padam terima_kasih makasih alhamdulillah semalam kemarin kemaren"""
)
# Vehicles, colours and other objects that identify one event ("vario hitam", "pikap").
OBJECT_WORDS = words(
    """vario beat scoopy nmax mio supra jupiter revo satria pcx aerox avanza xenia innova
    pikap pickup pick truk tronton fuso dump tangki bus travel angkot ojol perahu kapal
    pompong ponton dompeng excavator merah hitam putih biru hijau ijo kuning abu silver
    item coklat oranye emas kalung hp laptop sapi kambing"""
)


def facts_of(ws: frozenset[str]) -> frozenset[str]:
    """Identifying facts among a message's content words: numbers of three or more digits
    (plates, amounts, phone numbers), rare words (names, accounts) and object words."""
    return frozenset(w for w in ws if _is_number_fact(w) or w in OBJECT_WORDS or _is_rare(w))


@lru_cache(maxsize=50_000)
def _is_number_fact(word: str) -> bool:
    """A plate, phone or case number ("4511", "146"); not "000" of "Rp 2.000.000" nor a year."""
    if len(word) < 3 or not any(ch.isdigit() for ch in word) or not word.strip("0"):
        return False
    return not (len(word) == 4 and word.isdigit() and word[:2] in ("19", "20"))


def _names(facts: frozenset[str]) -> frozenset[str]:
    """Names, plates and numbers among the facts (not the vehicle/colour/object words)."""
    return facts if OBJECT_WORDS.isdisjoint(facts) else facts - OBJECT_WORDS


def has_referring_cue(tokens: Sequence[str]) -> bool:
    return not REFERRING_CUES.isdisjoint(tokens)


def _ages(ws: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in ws if w.isdigit() and len(w) <= 2)


@dataclass(slots=True)
class EventFeatures:
    """What incident linking compares of one message. Read-only by convention (a frozen
    dataclass took three times as long to build, issue 10's throughput)."""

    group: str | None
    kecamatan: str | None
    desa: str | None
    at: datetime
    words: frozenset[str]
    followup: bool = False
    also_desa: frozenset[str] = frozenset()  # other desa the message names
    ts: float = 0.0  # at as a POSIX timestamp (set from `at`)
    ages: frozenset[str] = frozenset()  # numbers of one or two digits (set from `words`)
    category: str | None = None
    channel: str | None = None
    cue: bool = False  # "update", "yang tadi", "pelakunya": refers to an event already told
    facts: frozenset[str] = frozenset()  # plates, long numbers, names, vehicles (from `words`)
    timed: bool = True  # False: the message had no time (taken as now)
    names: frozenset[str] = frozenset()  # the facts minus object words (set from `facts`)
    neutral: bool = False  # a reply category (set from `category`)

    def __post_init__(self) -> None:
        self.ts = self.at.timestamp()
        # one pass over the words: ages, facts and names (facts_of, _ages, _names)
        ages: list[str] = []
        facts: list[str] = []
        kinds = _KIND_CACHE
        for w in self.words:
            kind = kinds.get(w)
            if kind is None:
                if len(kinds) > 100_000:
                    kinds.clear()
                kind = kinds[w] = _word_kind(w)
            if kind:
                if kind & _AGE:
                    ages.append(w)
                if kind & _FACT:
                    facts.append(w)
        self.ages = _frozen(ages)
        if not self.facts:
            self.facts = _frozen(facts)
        self.names = _names(self.facts) if self.facts else EMPTY
        self.neutral = self.category in NEUTRAL


_AGE, _FACT = 1, 2
_KIND_CACHE: dict[str, int] = {}  # _word_kind per word


def _word_kind(word: str) -> int:
    """Bit set of what a content word is: an age (_AGE), a fact (_FACT, see facts_of)."""
    kind = _AGE if word.isdigit() and len(word) <= 2 else 0
    if _is_number_fact(word) or word in OBJECT_WORDS or _is_rare(word):
        kind |= _FACT
    return kind


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / min(len(a), len(b)) * 0.5 + inter / len(a | b) * 0.5


def _share_desa(a: EventFeatures, b: EventFeatures) -> bool:
    """A message naming two desa ("antara Mempaya dan Sukamandi") is at either of them."""
    if not (a.also_desa or b.also_desa):
        return False
    return bool(({a.desa} | a.also_desa) & ({b.desa} | b.also_desa))


@lru_cache(maxsize=50_000)
def _is_rare(word: str) -> bool:
    return len(word) >= 4 and word.isalpha() and word not in _known_words()


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    from .places import ordinary_words

    return root_words() | ordinary_words()


# -- the link score ---------------------------------------------------------------------------
# A message b links to an earlier message a when a logistic score over these pair features
# passes a threshold. Weights and threshold are learned from labelled pairs of the training
# set by `python -m posko.triage.build` (data/incidents.json).
MAX_GAP_HOURS = 48.0  # beyond this two reports are never one incident
UNTIMED_GAP_HOURS = 24.0  # the gap assumed when a message has no time
# Categories of a reply to an event rather than the event itself (the closing thanks, the
# follow-up of one's own report, a question about it).
NEUTRAL = frozenset({"apresiasi", "pelayanan", "informasi", "lainnya"})
PAIR_FEATURES: tuple[str, ...] = (
    "bias",
    "same_category",
    "same_group",
    "neutral",
    "gap_10min",
    "gap_1h",
    "gap_6h",
    "log_gap",
    "same_desa",
    "same_kecamatan",
    "one_place",
    "no_place",
    "similarity",
    "shared",
    "shared_facts",
    "shared_names",
    "facts_differ",
    "neutral_facts_differ",
    "cue",
    "cue_shared",
    "neutral_shared",
    "other_channel",
    "urgent_same_place",
    "quick_same_group",
    "quick_cue",
    "related_groups",
    "same_age",
    "both_neutral",
)
# Event types one real event moves between (taxonomy: the first alarm and its follow-ups may
# carry different categories): a crash and the traffic it blocks, a hoax and the crowd it
# stirs, a pit collapse and the pursuit of its owner, a theft and the beating of the thief.
RELATED_GROUPS = frozenset(
    frozenset(p)
    for p in (
        ("lantas", "ketertiban"),
        ("hoaks", "ketertiban"),
        ("bencana", "lingkungan"),
        ("bencana", "orang_hilang"),
        ("pencurian", "ketertiban"),
        ("lantas", "pelanggaran_anggota"),
        ("lantas", "bencana"),
        ("pencurian", "penipuan"),
        ("asusila_kdrt", "ketertiban"),
    )
)
_RELATED_TO: dict[str | None, frozenset[str | None]] = {
    g: frozenset(h for pair in RELATED_GROUPS if g in pair for h in pair if h != g)
    for pair in RELATED_GROUPS
    for g in pair
}
_NONE: frozenset[str | None] = frozenset()
# Event kinds where two reports from one place within hours are almost always one event.
URGENT_GROUPS = frozenset({"bencana", "lantas", "orang_hilang", "ketertiban"})


def place_relation(a: EventFeatures, b: EventFeatures) -> str:
    """ "same_desa", "same_kecamatan", "one_place", "no_place" or "conflict"."""
    if a.desa and b.desa:
        return "same_desa" if a.desa == b.desa or _share_desa(a, b) else "conflict"
    if a.kecamatan and b.kecamatan:
        same = a.kecamatan == b.kecamatan or _share_kecamatan(a, b)
        return "same_kecamatan" if same else "conflict"
    if a.kecamatan or b.kecamatan:
        return "one_place"
    return "no_place"


def _share_kecamatan(a: EventFeatures, b: EventFeatures) -> bool:
    kec_a = {a.kecamatan} | {d[:8] for d in a.also_desa}
    kec_b = {b.kecamatan} | {d[:8] for d in b.also_desa}
    return bool(kec_a & kec_b)


def vetoed(a: EventFeatures, b: EventFeatures, hours: float, place: str) -> bool:
    """Pairs that are never one event: too far apart in time, at two places (a hoax may
    name two), two missing people of different ages."""
    both_hoax = a.group == "hoaks" and b.group == "hoaks"
    return _vetoed(hours, place, both_hoax, "orang_hilang" in (a.group, b.group), a.ages, b.ages)


def _vetoed(
    hours: float,
    place: str,
    both_hoax: bool,
    missing_person: bool,
    ages: frozenset[str],
    other_ages: frozenset[str] | set[str],
) -> bool:
    """The vetoes of a message against an earlier report or a whole incident (`vetoed`)."""
    if hours > MAX_GAP_HOURS:
        return True
    if place == "conflict" and not both_hoax:
        return True
    return missing_person and bool(ages and other_ages and ages.isdisjoint(other_ages))


def pair_features(a: EventFeatures, b: EventFeatures) -> list[float] | None:
    """Features of the pair (a later message a, an earlier message b), None when vetoed."""
    # a message without a time is compared as if hours apart, not as simultaneous
    hours = abs(a.ts - b.ts) / 3600 if a.timed and b.timed else UNTIMED_GAP_HOURS
    place = place_relation(a, b)
    if vetoed(a, b, hours, place):
        return None
    names_a, names_b = a.names, b.names
    return comparison_row(
        a,
        same_category=a.category is not None and a.category == b.category,
        same_group=a.group is not None and a.group == b.group,
        other_neutral=b.neutral,
        hours=hours,
        place=place,
        inter=len(a.words & b.words),
        n_other=len(b.words),
        shared_facts=len(a.facts & b.facts),
        shared_names=len(names_a & names_b),
        names_differ=bool(names_a and names_b and names_a.isdisjoint(names_b)),
        other_channel=bool(a.channel and b.channel and a.channel != b.channel),
        related=frozenset((a.group, b.group)) in RELATED_GROUPS,
        same_age=bool(a.ages & b.ages),
    )


def comparison_row(
    f: EventFeatures,
    *,
    same_category: bool,
    same_group: bool,
    other_neutral: bool,
    hours: float,
    place: str,
    inter: int,
    n_other: int,
    shared_facts: int,
    shared_names: int,
    names_differ: bool,
    other_channel: bool,
    related: bool,
    same_age: bool,
) -> list[float]:
    """The PAIR_FEATURES of a (later) message f compared with what it is compared with (an
    earlier report, or the union of an incident's reports): the one definition of the
    features for both. `inter` is the number of shared content words, `n_other` the number
    of the other side's words; `other_neutral`: the other side is a reply category (an
    incident: all its reports are)."""
    n_shared = min(inter, 4) / 4
    neutral = f.neutral or other_neutral
    cue = f.cue or f.followup
    same_place = place in ("same_desa", "same_kecamatan")
    return [
        1.0,
        float(same_category),
        float(same_group),
        float(neutral),
        float(hours <= 1 / 6),
        float(hours <= 1),
        float(hours <= 6),
        math.log1p(hours),
        float(place == "same_desa"),
        float(place == "same_kecamatan"),
        float(place == "one_place"),
        float(place == "no_place"),
        _similarity(inter, len(f.words), n_other),
        n_shared,
        min(shared_facts, 2) / 2,
        min(shared_names, 2) / 2,
        float(names_differ),
        float(names_differ and neutral),
        float(cue),
        float(cue) * n_shared,
        float(neutral) * n_shared,
        float(other_channel),
        float(same_group and f.group in URGENT_GROUPS and same_place and hours <= 3),
        float(same_group and hours <= 1),
        float(same_group and cue and hours <= 2),
        float(related),
        float(same_age),
        float(f.neutral and other_neutral),
    ]


def _similarity(inter: int, n_a: int, n_b: int) -> float:
    """`similarity()` from the sizes of the two word sets and of their intersection."""
    if not inter:
        return 0.0
    return inter / min(n_a, n_b) * 0.5 + inter / (n_a + n_b - inter) * 0.5


@dataclass(frozen=True)
class LinkModel:
    """The link score: a logistic score over the pair features, optionally blended with a
    small tree ensemble (non-linear: a shared name counts differently an hour or a day
    apart): score = blend x linear + (1 - blend) x trees, compared with the threshold."""

    weights: tuple[float, ...]
    threshold: float  # on the logit
    trees: PairTrees | None = None
    blend: float = 1.0  # the linear score's share when trees are given
    # the incident score (a message against the whole incident, INCIDENT_FEATURES); None:
    # a message joins the incident of its best-linked earlier message (pairs only)
    incident_weights: tuple[float, ...] | None = None
    incident_threshold: float = 0.0
    # how telling each content word is (idf on the training texts; a rarer word says more)
    word_weights: Mapping[str, float] = field(default_factory=dict)
    unknown_word_weight: float = 0.0

    def score(self, a: EventFeatures, b: EventFeatures) -> float | None:
        x = pair_features(a, b)
        if x is None:
            return None
        linear = sum(map(operator.mul, self.weights, x))
        if self.trees is None:
            return linear
        return self.blend * linear + (1.0 - self.blend) * self.trees.score_one(x)

    def score_matrix(self, x: np.ndarray) -> np.ndarray:
        """Scores of many feature rows (pairs.pair_matrix) at once."""
        linear = x @ np.asarray(self.weights, dtype=np.float64)
        if self.trees is None:
            return linear
        return self.blend * linear + (1.0 - self.blend) * self.trees.score_matrix(x)


INCIDENTS_PATH = Path(__file__).parent / "data" / "incidents.json"


def link_model_from_json(data: dict[str, Any]) -> LinkModel:
    if tuple(data["features"]) != PAIR_FEATURES:
        raise ValueError("data/incidents.json was built for other pair features: rebuild it")
    trees = PairTrees(data["trees"]) if data.get("trees") else None
    whole = data.get("incident")
    if whole and tuple(whole["features"]) != INCIDENT_FEATURES:
        raise ValueError("data/incidents.json was built for other incident features: rebuild it")
    return LinkModel(
        tuple(float(w) for w in data["weights"]),
        float(data["threshold"]),
        trees,
        float(data.get("blend", 1.0)),
        tuple(float(w) for w in whole["weights"]) if whole else None,
        float(whole["threshold"]) if whole else 0.0,
        {str(w): float(v) for w, v in whole["word_weights"].items()} if whole else {},
        float(whole["unknown_word_weight"]) if whole else 0.0,
    )


@lru_cache(maxsize=1)
def shipped_link_model() -> LinkModel:
    return link_model_from_json(json.loads(INCIDENTS_PATH.read_text(encoding="utf-8")))


def same_event_score(a: EventFeatures, b: EventFeatures, link: LinkModel | None = None) -> float:
    """Margin of the link score over the threshold: >= 0 when a and b look like one event."""
    link = link or shipped_link_model()
    s = link.score(a, b)
    return -1.0 if s is None else s - link.threshold


# -- a message against the whole incident -----------------------------------------------------
# One message of a follow-up often shares a word with only one earlier report, or none with
# the latest: the incident score compares it with the union of what the incident's reports
# say (words, facts, names, ages, places, categories, channels) and the latest report's time,
# next to the best link score of its pairs with the incident's reports.
INCIDENT_FEATURES: tuple[str, ...] = (
    *PAIR_FEATURES,
    "best_pair",
    "shared_weight",
    "share_of_weight",
    "late_share_of_weight",
)
BEST_PAIR_FLOOR = -8.0  # a pair score below this counts as this (a long tail of no evidence)


class Incident:
    """What an incident's reports say together (grown report by report, in time order)."""

    __slots__ = (
        "ages",
        "all_neutral",
        "categories",
        "channels",
        "desas",
        "facts",
        "groups",
        "kecs",
        "last_timed",
        "last_ts",
        "names",
        "places",
        "size",
        "words",
    )

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.facts: set[str] = set()
        self.names: set[str] = set()
        self.ages: set[str] = set()
        self.categories: set[str | None] = set()
        self.groups: set[str | None] = set()
        self.channels: set[str] = set()
        self.places: set[tuple[str, str | None]] = set()  # (kecamatan, desa) named
        self.kecs: set[str] = set()  # the kecamatan of `places`
        self.desas: set[str] = set()  # the desa of `places`
        self.all_neutral = True
        self.last_ts = 0.0
        self.last_timed = True
        self.size = 0

    def add(self, f: EventFeatures) -> None:
        self.words |= f.words
        self.facts |= f.facts
        self.names |= f.names
        self.ages |= f.ages
        self.categories.add(f.category)
        self.groups.add(f.group)
        if f.channel:
            self.channels.add(f.channel)
        if f.kecamatan:
            _note_place(self.places, f)
            self.kecs.add(f.kecamatan)
            if f.desa:
                self.desas.add(f.desa)
            for d in f.also_desa:
                self.kecs.add(d[:8])
                self.desas.add(d)
        self.all_neutral = self.all_neutral and f.neutral
        if f.ts >= self.last_ts:
            self.last_ts, self.last_timed = f.ts, f.timed
        self.size += 1


def _incident_place(f: EventFeatures, inc: Incident) -> str:
    """place_relation() of a message and an incident (conflict: compatible with none)."""
    if f.kecamatan and inc.places and _conflicts_with(f, inc.kecs, inc.desas):
        return "conflict"
    if f.desa and (f.desa in inc.desas or not inc.desas.isdisjoint(f.also_desa)):
        return "same_desa"
    if f.kecamatan and inc.places:
        return "same_kecamatan"
    return "one_place" if f.kecamatan or inc.places else "no_place"


def incident_features(
    f: EventFeatures, inc: Incident, best_pair: float, link: LinkModel
) -> list[float] | None:
    """Features of a (later) message against an incident, None when vetoed: the pair
    features with the incident's union in place of the earlier message ("same category":
    one of its reports has it; the time gap: to its latest report), the best pair score,
    and how telling the shared words are (their summed word weight, and its share of the
    message's: "sabung ayam" says more than "motor"). (The incident's size as a feature
    made big incidents swallow look-alikes.)"""
    timed = f.timed and inc.last_timed
    hours = abs(f.ts - inc.last_ts) / 3600 if timed else UNTIMED_GAP_HOURS
    place = _incident_place(f, inc)
    groups = inc.groups
    both_hoax = f.group == "hoaks" and groups == {"hoaks"}
    missing = f.group == "orang_hilang" or "orang_hilang" in groups
    if _vetoed(hours, place, both_hoax, missing, f.ages, inc.ages):
        return None
    shared_names = len(f.names & inc.names)
    shared_words = f.words & inc.words
    row = comparison_row(
        f,
        same_category=f.category is not None and f.category in inc.categories,
        same_group=f.group is not None and f.group in groups,
        other_neutral=inc.all_neutral,
        hours=hours,
        place=place,
        inter=len(shared_words),
        n_other=len(inc.words),
        shared_facts=len(f.facts & inc.facts),
        shared_names=shared_names,
        names_differ=bool(f.names and inc.names and not shared_names),
        other_channel=bool(f.channel and inc.channels and inc.channels != {f.channel}),
        related=not _RELATED_TO.get(f.group, _NONE).isdisjoint(groups),
        same_age=bool(f.ages & inc.ages),
    )
    shared_weight, share = _shared_weight(f.words, shared_words, link)
    row += (
        max(best_pair, BEST_PAIR_FLOOR),
        shared_weight,
        share,
        share * (timed and hours > 6),  # a gap is only known when both are timed
    )
    return row


SHARED_WEIGHT_CAP = 20.0  # summed word weight beyond which more shared words add nothing
_WEIGHT_CACHE: dict[tuple[int, frozenset[str]], float] = {}


def _words_weight(ws: frozenset[str], link: LinkModel) -> float:
    """Summed word weight of a message's words (kept: a message meets several incidents)."""
    key = (id(link.word_weights), ws)
    got = _WEIGHT_CACHE.get(key)
    if got is None:
        if len(_WEIGHT_CACHE) > 50_000:
            _WEIGHT_CACHE.clear()
        weights, unknown = link.word_weights, link.unknown_word_weight
        got = _WEIGHT_CACHE[key] = sum(weights.get(w, unknown) for w in ws)
    return got


def _shared_weight(
    mine: frozenset[str], shared_words: Set[str], link: LinkModel
) -> tuple[float, float]:
    """Summed weight of the shared words (scaled to 0..2) and its share of the message's."""
    weights, unknown = link.word_weights, link.unknown_word_weight
    total = _words_weight(mine, link)
    if not total:
        return 0.0, 0.0
    shared = sum(weights.get(w, unknown) for w in shared_words)
    return min(shared, SHARED_WEIGHT_CAP) / 10.0, shared / total


# -- clustering -------------------------------------------------------------------------------
POSTINGS_PER_WORD = 16  # candidates per shared word (the latest ones)
MAX_CANDIDATES = 10  # pairs scored per message
RANK_CHUNK = 2048  # messages whose candidates are ranked at once (bounds a batch's memory)
CUE_RECENT = 4  # a message with a referring cue also meets the last few messages
DESA_RECENT = 6  # ... and every message the latest few from the same desa


class _Index:
    """Recent messages by content word and by desa, for candidate lookup in time order."""

    def __init__(self, features: Sequence[EventFeatures]) -> None:
        self.features = features
        self.ts = [f.ts for f in features]
        self.by_word: dict[str, list[int]] = {}
        self.by_desa: dict[str, list[int]] = {}
        self.recent: list[int] = []

    def add(self, i: int) -> None:
        f = self.features[i]
        by_word = self.by_word
        for w in f.words:
            posting = by_word.get(w)
            if posting is None:
                by_word[w] = [i]
            else:
                posting.append(i)
        if f.desa:
            self.by_desa.setdefault(f.desa, []).append(i)
        self.recent.append(i)

    def candidates(self, i: int) -> list[int]:
        f = self.features[i]
        ts = self.ts
        oldest = ts[i] - MAX_GAP_HOURS * 3600
        tails: list[int] = []
        by_word = self.by_word
        for w in f.words:
            posting = by_word.get(w)
            if posting:
                if ts[posting[0]] < oldest:
                    _prune(posting, ts, oldest)
                tails += posting[-POSTINGS_PER_WORD:]
        # the most shared words first, then the latest (ties of count)
        counts = Counter(tails)
        # one integer per candidate orders as (count, index) does: no tuples to compare
        keyed = [(c << 32) | j for j, c in counts.items()]
        keyed.sort(reverse=True)  # (postings are mostly in order: faster than a heap)
        ranked = [k & _LOW for k in keyed[:MAX_CANDIDATES]]
        extra: list[int] = []
        if f.desa and f.desa in self.by_desa:
            posting = self.by_desa[f.desa]
            _prune(posting, ts, oldest)
            extra.extend(posting[-DESA_RECENT:])
        if f.cue or f.followup:
            _prune(self.recent, ts, oldest)
            extra.extend(self.recent[-CUE_RECENT:])
        if not extra:
            return ranked
        seen = set(ranked)
        return ranked + [j for j in extra if j not in seen and not seen.add(j)]  # type: ignore[func-returns-value]


_LOW = (1 << 32) - 1  # the message index in a ranking key


def _prune(posting: list[int], ts: Sequence[float], oldest: float) -> None:
    """Drop entries older than `oldest` (entries are in time order)."""
    k = 0
    while k < len(posting) and ts[posting[k]] < oldest:
        k += 1
    if k:
        del posting[:k]


def _candidate_pairs(
    features: Sequence[EventFeatures], order: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every message's candidates (earlier messages), in time order: the later message of
    each pair, the earlier one, and where each message's candidates start (by position in
    `order`). The candidates depend only on the messages, not on the links made.

    The candidates `_Index` gives message by message (`_candidate_pairs_reference`), found
    with array operations: a message's earlier occurrences of a word within MAX_GAP_HOURS,
    the latest POSTINGS_PER_WORD, are the ones just before it when all occurrences are
    sorted by word and time."""
    n = len(order)
    if not n:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(1, dtype=np.int64)
    idx = np.asarray(order, dtype=np.int64)  # message index by position in time order
    ts = np.array([features[i].ts for i in order], dtype=np.float64)
    oldest = ts - MAX_GAP_HOURS * 3600
    ids: dict[str, int] = {}
    code = ids.setdefault
    word_ids = np.array([code(w, len(ids)) for i in order for w in features[i].words], np.int64)
    occ = np.repeat(np.arange(n, dtype=np.int32), [len(features[i].words) for i in order])
    by_word = np.argsort(word_ids * n + occ)  # by word, then time (keys are distinct)
    ranked = _ranked(
        *_recent_before(word_ids[by_word], occ[by_word], ts, oldest, POSTINGS_PER_WORD), idx
    )
    desa_codes: dict[str, int] = {}
    dcode = desa_codes.setdefault
    with_desa = np.array([p for p, i in enumerate(order) if features[i].desa], dtype=np.int64)
    desa = np.array(
        [dcode(features[order[p]].desa or "", len(desa_codes)) for p in with_desa.tolist()],
        dtype=np.int64,
    )
    by_desa = np.argsort(desa * n + with_desa)
    d_later, d_earlier = _recent_before(desa[by_desa], with_desa[by_desa], ts, oldest, DESA_RECENT)
    cue = np.flatnonzero([features[i].cue or features[i].followup for i in order])
    c_later, c_earlier = _recent_before(
        np.zeros(n, dtype=np.int64), np.arange(n), ts, oldest, CUE_RECENT, only=cue
    )
    extra = _grouped(
        np.concatenate([d_later, c_later]),
        np.concatenate([d_earlier, c_earlier]),
        n,
        desa_first=len(d_later),
    )
    earlier: list[int] = []
    starts = [0]
    ranked_j, ranked_at = ranked
    order_j = idx.tolist()
    for pos in range(n):
        got = ranked_j[ranked_at[pos] : ranked_at[pos + 1]]
        more = extra[pos]
        if more:
            seen = set(got)
            got = got + [
                order_j[q]
                for q in more
                if order_j[q] not in seen and not seen.add(order_j[q])  # type: ignore[func-returns-value]
            ]
        earlier.extend(got)
        starts.append(len(earlier))
    bounds = np.asarray(starts, dtype=np.int64)
    return np.repeat(idx, np.diff(bounds)), np.asarray(earlier, dtype=np.int64), bounds


def _recent_before(
    keys: np.ndarray,
    pos: np.ndarray,
    ts: np.ndarray,
    oldest: np.ndarray,
    latest: int,
    only: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (later, earlier position) of occurrences sorted by (key, position): for each,
    the up to `latest` occurrences of the same key just before it whose time is not older
    than the later one's `oldest` (the latest of them); `only`: the later positions to keep
    (of a `pos` that is every position, arange)."""
    later: list[np.ndarray] = []
    earlier: list[np.ndarray] = []
    keep = None
    if only is not None:
        keep = np.zeros(len(pos), dtype=bool)
        keep[only] = True
    for k in range(1, latest + 1):
        a = pos[k:]
        b = pos[:-k]
        ok = (keys[k:] == keys[:-k]) & (ts[b] >= oldest[a])
        if keep is not None:
            ok &= keep[a]
        later.append(a[ok])
        earlier.append(b[ok])
    if not later:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(later), np.concatenate(earlier)


def _ranked(later: np.ndarray, earlier: np.ndarray, idx: np.ndarray) -> tuple[list[int], list[int]]:
    """Per later position, the MAX_CANDIDATES earlier messages sharing the most words with
    it (pairs listed once per shared word), ties by the larger message index: the message
    indices in rank order, and where each position's start. Counted RANK_CHUNK later
    positions at a time (a batch of 20,000 lists millions of pairs)."""
    n = len(idx)
    ranked: list[int] = []
    starts: list[int] = []
    for lo in range(0, n, RANK_CHUNK):
        hi = min(n, lo + RANK_CHUNK)
        sel = (later >= lo) & (later < hi)
        uniq, shared = np.unique(later[sel].astype(np.int64) * n + earlier[sel], return_counts=True)
        lat, j = uniq // n, idx[uniq % n]
        # by position, then most shared words, then the larger index: one integer key
        j_bits, s_bits = max(n, 1).bit_length(), int(shared.max(initial=1)).bit_length()
        top = (1 << s_bits) - 1
        assert RANK_CHUNK.bit_length() + s_bits + j_bits <= 63
        key = (((lat - lo) << s_bits | (top - shared)) << j_bits) | (n - 1 - j)
        rank = np.argsort(key)
        lat, j = lat[rank], j[rank]
        keep = (np.arange(len(lat)) - np.searchsorted(lat, lat, side="left")) < MAX_CANDIDATES
        lat = lat[keep]
        starts += (len(ranked) + np.searchsorted(lat, np.arange(lo, hi), side="left")).tolist()
        ranked += j[keep].tolist()
    starts.append(len(ranked))
    return ranked, starts


def _grouped(later: np.ndarray, earlier: np.ndarray, n: int, desa_first: int) -> list[list[int]]:
    """Per later position, its extra earlier positions: the same desa's first, then the
    latest messages', each in time order."""
    out: list[list[int]] = [[] for _ in range(n)]
    if not len(later):
        return out
    kind = (np.arange(len(later)) >= desa_first).astype(np.int64)
    rank = np.lexsort((earlier, kind, later))
    for p, q in zip(later[rank].tolist(), earlier[rank].tolist(), strict=True):
        out[p].append(q)
    return out


def _candidate_pairs_reference(
    features: Sequence[EventFeatures], order: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_candidate_pairs` message by message with the index `_Index` (the reference)."""
    index = _Index(features)
    later: list[int] = []
    earlier: list[int] = []
    starts = [0]
    for i in order:
        cands = index.candidates(i)
        earlier.extend(cands)
        later.extend([i] * len(cands))
        starts.append(len(earlier))
        index.add(i)
    return (
        np.asarray(later, dtype=np.int64),
        np.asarray(earlier, dtype=np.int64),
        np.asarray(starts, dtype=np.int64),
    )


PAIR_ROWS = 16_384  # pairs whose feature columns are built at once (the rows are copied)


def _pair_block(
    arrays: MessageArrays, later: np.ndarray, earlier: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`pair_matrix` of a block, its rows built PAIR_ROWS at a time: a row depends only on
    its pair, so the matrix is the same, and its columns and temporaries take a quarter
    of the memory (issue 10). The block is scored as a whole, as before: the same sums."""
    if len(later) <= PAIR_ROWS:
        return pair_matrix(arrays, later, earlier)
    x = vetoed = None
    for lo in range(0, len(later), PAIR_ROWS):
        part, part_vetoed = pair_matrix(
            arrays, later[lo : lo + PAIR_ROWS], earlier[lo : lo + PAIR_ROWS]
        )
        if x is None or vetoed is None:
            x = np.empty((len(later), part.shape[1]), dtype=part.dtype)
            vetoed = np.empty(len(later), dtype=part_vetoed.dtype)
        x[lo : lo + len(part)] = part
        vetoed[lo : lo + len(part)] = part_vetoed
    assert x is not None and vetoed is not None
    return x, vetoed


def pair_scores(
    features: Sequence[EventFeatures],
    later: np.ndarray,
    earlier: np.ndarray,
    link: LinkModel,
    arrays: MessageArrays | None = None,
) -> np.ndarray:
    """Link score of each pair (later[k], earlier[k]); NaN where the pair is vetoed."""
    arrays = arrays or MessageArrays(features)
    out = np.empty(len(later), dtype=np.float64)
    for start in range(0, len(later), PAIR_BLOCK):
        stop = start + PAIR_BLOCK
        x, vetoed = _pair_block(arrays, later[start:stop], earlier[start:stop])
        s = link.score_matrix(x)
        s[vetoed] = np.nan
        out[start:stop] = s
    return out


def cluster(features: Sequence[EventFeatures], link: LinkModel | None = None) -> list[str | None]:
    """Incident key per message ("I1", "I2", ... by first appearance), None when alone.

    Messages are taken in time order; each joins the incident scored best as a whole
    (`_best_incident`; with a link score without an incident part: the incident of the
    earlier message it links to best), else starts its own. The candidates and their pair
    scores do not depend on the links made, so they are computed for the whole batch
    first, in array operations."""
    link = link or shipped_link_model()
    order = sorted(range(len(features)), key=lambda i: features[i].ts)
    later, earlier, starts = _candidate_pairs(features, order)
    scores = pair_scores(features, later, earlier, link).tolist() if len(later) else []
    cand = earlier.tolist()
    bounds = starts.tolist()
    cluster_of: list[int] = [-1] * len(features)
    incidents: list[Incident] = []
    whole = link.incident_weights is not None
    for pos, i in enumerate(order):
        f = features[i]
        lo, hi = bounds[pos], bounds[pos + 1]
        if whole:
            c = _best_incident(f, scores[lo:hi], cand[lo:hi], cluster_of, incidents, link)
        else:
            c = _best_pair_incident(f, scores[lo:hi], cand[lo:hi], cluster_of, incidents, link)
        if c < 0:
            c = len(incidents)
            incidents.append(Incident())
        cluster_of[i] = c
        if whole:
            incidents[c].add(f)
        else:
            incidents[c].size += 1
            _note_place(incidents[c].places, f)
    return _keys(cluster_of, [inc.size for inc in incidents])


def _best_pair_incident(
    f: EventFeatures,
    scores: Sequence[float],
    cand: Sequence[int],
    cluster_of: Sequence[int],
    incidents: Sequence[Incident],
    link: LinkModel,
) -> int:
    """The incident of the earlier message f links to best (pair score over the threshold),
    -1 when none."""
    best, best_score = -1, link.threshold
    for s, j in zip(scores, cand, strict=True):
        if not s >= best_score:  # NaN (vetoed) or below
            continue
        if f.kecamatan and _conflicts(f, incidents[cluster_of[j]].places):
            continue  # a place-less report must not bridge two places
        best, best_score = j, s
    return cluster_of[best] if best >= 0 else -1


# An incident is scored as a whole only when one of its reports is a candidate whose pair
# score reaches this (the others have no evidence in common with the message).
CONSIDER_FLOOR = -3.0
WHOLE_CANDIDATES = 2  # ... and only the incidents of the best few pair scores


def _considered(best_pair: dict[int, float]) -> list[tuple[int, float]]:
    """The incidents scored as a whole: those of the WHOLE_CANDIDATES best pair scores."""
    if len(best_pair) <= WHOLE_CANDIDATES:
        return list(best_pair.items())
    ranked = sorted(best_pair.items(), key=operator.itemgetter(1), reverse=True)
    return ranked[:WHOLE_CANDIDATES]


def _best_incident(
    f: EventFeatures,
    scores: Sequence[float],
    cand: Sequence[int],
    cluster_of: Sequence[int],
    incidents: Sequence[Incident],
    link: LinkModel,
) -> int:
    """The incident whose whole-incident score against f is best and over its threshold
    (the incidents of f's candidates), -1 when none."""
    best_pair: dict[int, float] = {}
    for s, j in zip(scores, cand, strict=True):
        if s >= CONSIDER_FLOOR:  # not NaN (vetoed) and not hopeless
            c = cluster_of[j]
            if s > best_pair.get(c, -math.inf):
                best_pair[c] = s
    assert link.incident_weights is not None
    weights = link.incident_weights
    best, best_score = -1, link.incident_threshold
    for c, bp in _considered(best_pair):
        x = incident_features(f, incidents[c], bp, link)
        if x is None:
            continue
        s = sum(map(operator.mul, weights, x))
        if s >= best_score:
            best, best_score = c, s
    return best


def _note_place(named: set[tuple[str, str | None]], f: EventFeatures) -> None:
    if f.kecamatan:
        named.add((f.kecamatan, f.desa))
        for d in f.also_desa:
            named.add((d[:8], d))


def _keys(cluster_of: Sequence[int], sizes: Sequence[int]) -> list[str | None]:
    keys: dict[int, str] = {}
    out: list[str | None] = []
    for c in cluster_of:
        if sizes[c] < 2:
            out.append(None)
            continue
        if c not in keys:
            keys[c] = f"I{len(keys) + 1}"
        out.append(keys[c])
    return out


def _conflicts(f: EventFeatures, named: set[tuple[str, str | None]]) -> bool:
    """True when f's place is compatible with none of the places a cluster names."""
    if not named:
        return False
    return _conflicts_with(f, {k for k, _ in named}, {d for _, d in named if d})


def _conflicts_with(f: EventFeatures, kecs: set[str], desas: set[str]) -> bool:
    """`_conflicts` with the kecamatan and the desa the (non-empty) places name."""
    if f.kecamatan not in kecs and not any(d[:8] in kecs for d in f.also_desa):
        return True
    if not desas or not f.desa:
        return False
    return f.desa not in desas and desas.isdisjoint(f.also_desa)


# -- learning the link score ------------------------------------------------------------------
def labelled_pairs(
    features: Sequence[EventFeatures], keys: Sequence[str | None]
) -> tuple[list[list[float]], list[int]]:
    """Pair features and labels (1 = same incident) of every non-vetoed pair of one stream."""
    xs: list[list[float]] = []
    ys: list[int] = []
    order = sorted(range(len(features)), key=lambda i: features[i].ts)
    for pos, i in enumerate(order):
        for j in order[:pos]:
            x = pair_features(features[i], features[j])
            if x is None:
                continue
            xs.append(x)
            ys.append(int(keys[i] is not None and keys[i] == keys[j]))
    return xs, ys


# The tree part of the link score (gradient boosting on the pair features) and its share.
TREE_PARAMS: dict[str, Any] = {"n_estimators": 100, "max_depth": 2, "learning_rate": 0.1}
TREE_BLEND = 0.5  # the linear score's share; the trees get the rest
THRESHOLDS = tuple(x / 8 for x in range(-8, 17))


def fit_link_model(
    streams: Sequence[tuple[Sequence[EventFeatures], Sequence[str | None]]],
    min_precision: float = 0.90,
    trees: bool = False,
    calibrate: Callable[[LinkModel], tuple[float, float, float]] | None = None,
) -> tuple[LinkModel, dict[str, float]]:
    """Logistic regression on labelled pairs (plus, with `trees`, gradient-boosted trees on
    the same pairs, blended), then the threshold with the best pairwise F1 among those with
    precision >= min_precision: of the clustering of `calibrate` (pairwise P, R, F1 of a
    candidate model on data not trained on, e.g. the development set) or else of the
    training streams themselves."""
    from sklearn.linear_model import LogisticRegression

    xs: list[list[float]] = []
    ys: list[int] = []
    for feats, keys in streams:
        x, y = labelled_pairs(feats, keys)
        xs.extend(x)
        ys.extend(y)
    clf = LogisticRegression(C=1.0, max_iter=2000, fit_intercept=False)
    clf.fit(xs, ys)
    weights = tuple(float(w) for w in clf.coef_[0])
    forest: PairTrees | None = None
    if trees:
        from sklearn.ensemble import GradientBoostingClassifier

        boost = GradientBoostingClassifier(init="zero", random_state=0, **TREE_PARAMS)
        forest = PairTrees.from_sklearn(boost.fit(np.asarray(xs), np.asarray(ys)))
    blend = TREE_BLEND if forest is not None else 1.0

    def measure(link: LinkModel) -> tuple[float, float, float]:
        return calibrate(link) if calibrate else _pairwise(streams, link)

    best: tuple[float, float, float, float] | None = None  # (f1, threshold, p, r)
    for t in THRESHOLDS if forest is not None else [x / 4 for x in range(-8, 17)]:
        p, r, f1 = measure(LinkModel(weights, t, forest, blend))
        if p >= min_precision and (best is None or f1 > best[0]):
            best = (f1, t, p, r)
    if best is None:
        best = (0.0, 4.0, 1.0, 0.0)
    f1, t, p, r = best
    stats = {"pairs": len(ys), "positive": sum(ys), "precision": p, "recall": r, "f1": f1}
    return LinkModel(weights, t, forest, blend), stats


def _pairwise(
    streams: Sequence[tuple[Sequence[EventFeatures], Sequence[str | None]]], link: LinkModel
) -> tuple[float, float, float]:
    tp = n_pred = n_gold = 0
    for feats, keys in streams:
        pred = cluster(feats, link)
        for i in range(len(keys)):
            for j in range(i):
                g = keys[i] is not None and keys[i] == keys[j]
                q = pred[i] is not None and pred[i] == pred[j]
                tp += g and q
                n_pred += q
                n_gold += g
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def grown_incidents(features: Sequence[EventFeatures], keys: Sequence[str | None]) -> set[str]:
    """Incident keys with at least GROWTH_COUNT reports inside GROWTH_SECONDS."""
    times: dict[str, list[float]] = {}
    for f, key in zip(features, keys, strict=True):
        if key is not None and f.timed:
            times.setdefault(key, []).append(f.ts)
    out: set[str] = set()
    for key, ts in times.items():
        if len(ts) < GROWTH_COUNT:
            continue
        ts.sort()
        for i in range(len(ts) - GROWTH_COUNT + 1):
            if ts[i + GROWTH_COUNT - 1] - ts[i] <= GROWTH_SECONDS:
                out.add(key)
                break
    return out


# -- learning the incident score --------------------------------------------------------------
def incident_examples(
    features: Sequence[EventFeatures], keys: Sequence[str | None], link: LinkModel
) -> tuple[list[list[float]], list[int]]:
    """Incident features and labels of one labelled stream, teacher-forced: each message in
    time order against every gold incident (so far) of its candidates; 1 = its own."""
    order = sorted(range(len(features)), key=lambda i: features[i].ts)
    later, earlier, starts = _candidate_pairs(features, order)
    scores = pair_scores(features, later, earlier, link).tolist() if len(later) else []
    cand, bounds = earlier.tolist(), starts.tolist()
    gold: list[int] = []
    ids: dict[str, int] = {}
    for i, key in enumerate(keys):
        gold.append(ids.setdefault(key, len(ids)) if key is not None else -1 - i)
    incidents: dict[int, Incident] = {}
    xs: list[list[float]] = []
    ys: list[int] = []
    for pos, i in enumerate(order):
        f = features[i]
        best_pair: dict[int, float] = {}
        for k in range(bounds[pos], bounds[pos + 1]):
            s, c = scores[k], gold[cand[k]]
            if s >= CONSIDER_FLOOR and s > best_pair.get(c, -math.inf):
                best_pair[c] = s
        for c, bp in _considered(best_pair):
            x = incident_features(f, incidents[c], bp, link)
            if x is not None:
                xs.append(x)
                ys.append(int(c == gold[i] and c >= 0))
        incidents.setdefault(gold[i], Incident()).add(f)
    return xs, ys


def fit_incident_model(
    streams: Sequence[tuple[Sequence[EventFeatures], Sequence[str | None]]],
    link: LinkModel,
    min_precision: float = 0.90,
) -> tuple[LinkModel, dict[str, float]]:
    """Logistic regression on the incident examples of the streams (on top of the pair
    score `link`), then the threshold with the best pairwise F1 of the resulting clustering
    of the streams among those with precision >= min_precision."""
    from sklearn.linear_model import LogisticRegression

    xs: list[list[float]] = []
    ys: list[int] = []
    for feats, keys in streams:
        x, y = incident_examples(feats, keys, link)
        xs.extend(x)
        ys.extend(y)
    clf = LogisticRegression(C=1.0, max_iter=5000, fit_intercept=False)
    clf.fit(xs, ys)
    weights = tuple(float(w) for w in clf.coef_[0])
    best: tuple[float, float, float, float] | None = None  # (f1, threshold, p, r)
    for t in [x / 4 for x in range(-8, 17)]:
        candidate = replace(link, incident_weights=weights, incident_threshold=t)
        p, r, f1 = _pairwise(streams, candidate)
        if p >= min_precision and (best is None or f1 > best[0]):
            best = (f1, t, p, r)
    f1, t, p, r = best or (0.0, 4.0, 1.0, 0.0)
    stats = {"examples": len(ys), "positive": sum(ys), "precision": p, "recall": r, "f1": f1}
    return replace(link, incident_weights=weights, incident_threshold=t), stats


def word_weights_of(word_sets: Sequence[frozenset[str]]) -> tuple[dict[str, float], float]:
    """Inverse document frequency of the content words of many messages (those seen at
    least twice) and the weight of a word seen at most once."""
    df = Counter(w for ws in word_sets for w in ws)
    n = max(len(word_sets), 2)
    weights = {w: round(math.log(n / (1 + k)), 3) for w, k in sorted(df.items()) if k >= 2}
    return weights, round(math.log(n / 2), 3)


def best_incident_key(
    mine: EventFeatures, incidents: Mapping[str, Sequence[EventFeatures]], link: LinkModel
) -> str | None:
    """The key of the incident (its reports' features by key) a new message joins by the
    incident score (as `cluster` decides in a batch), None when none passes."""
    assert link.incident_weights is not None
    weights = link.incident_weights
    best: str | None = None
    best_score = link.incident_threshold
    for key, members in incidents.items():
        pairs = [s for m in members if (s := link.score(mine, m)) is not None]
        if not pairs or max(pairs) < CONSIDER_FLOOR:
            continue
        whole = Incident()
        for m in members:
            whole.add(m)
        x = incident_features(mine, whole, max(pairs), link)
        if x is None:
            continue
        s = sum(map(operator.mul, weights, x))
        if s >= best_score:
            best, best_score = key, s
    return best
