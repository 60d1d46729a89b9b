"""Incident grouping: messages about the same real-world event.

Two messages describe the same event when their categories are compatible, their places do
not contradict each other, they arrive within a time window, and their content words
overlap enough (more overlap is needed when the place is unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

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
# hours within which two reports can be the same event
WINDOW_HOURS: dict[str, float] = {
    "lantas": 6,
    "ketertiban": 6,
    "pencurian": 24,
    "bencana": 12,
    "orang_hilang": 72,
    "asusila_kdrt": 48,
    "narkoba": 72,
    "penipuan": 72,
    "perjudian": 72,
    "lingkungan": 72,
    "pelanggaran_anggota": 48,
    "hoaks": 72,
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
FOLLOWUP_HOURS = 3.0
# Ongoing activities at a place (a TI pit, a drug house, a gambling den): reports from the
# same desa within the window are about the same activity.
ACTIVITY_GROUPS = frozenset({"lingkungan", "narkoba", "perjudian"})
# Growth rule for batches (shared/spec: the Django layer's GROWTH_RULES, darurat part only):
# five or more reports of one incident within ten minutes make every report of it darurat.
GROWTH_COUNT = 5
GROWTH_SECONDS = 600.0


def content_words(tokens: Sequence[str]) -> frozenset[str]:
    """Stems of the content words (place names are masked by the caller and skipped)."""
    stops = stop_words()
    return frozenset(
        stem(t)
        for i, t in enumerate(tokens)
        if t not in stops and t not in GENERIC and len(t) > 1 and not _time_part(tokens, i)
    )


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


def _ages(ws: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in ws if w.isdigit() and len(w) <= 2)


@dataclass(frozen=True)
class EventFeatures:
    group: str | None
    kecamatan: str | None
    desa: str | None
    at: datetime
    words: frozenset[str]
    followup: bool = False
    also_desa: frozenset[str] = frozenset()  # other desa the message names
    ts: float = 0.0  # at as a POSIX timestamp (set from `at`)
    ages: frozenset[str] = frozenset()  # numbers of one or two digits (set from `words`)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ts", self.at.timestamp())
        if self.group == "orang_hilang":
            object.__setattr__(self, "ages", _ages(self.words))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / min(len(a), len(b)) * 0.5 + inter / len(a | b) * 0.5


# Event kinds where two reports from the same place within a few hours are almost always
# about the same event (one fire, one accident, one missing child).
URGENT_GROUPS = frozenset({"bencana", "lantas", "orang_hilang", "ketertiban"})
URGENT_HOURS: dict[str, float] = {"orang_hilang": 24}


def same_event_score(a: EventFeatures, b: EventFeatures) -> float:
    """Positive margin when a and b look like the same event, else < 0."""
    hours = abs(a.ts - b.ts) / 3600
    if a.group is None or a.group != b.group:
        return _cross_group_score(a, b, hours)
    if hours > WINDOW_HOURS.get(a.group, 12):
        return -1.0
    urgent = a.group in URGENT_GROUPS and hours <= URGENT_HOURS.get(a.group, 3)
    followup = a.followup and hours <= FOLLOWUP_HOURS  # a (the later report) adds to b
    same_desa = bool(a.desa and b.desa and (a.desa == b.desa or _share_desa(a, b)))
    same_kec = False
    if a.desa and b.desa:
        if a.desa != b.desa and not _share_desa(a, b):
            return -1.0
        need = -0.05 if urgent else 0.2  # one fire in one desa within hours: one event
    elif a.kecamatan and b.kecamatan:
        if a.kecamatan != b.kecamatan:
            return -1.0
        same_kec = True
        need = 0.15 if urgent else 0.28
    elif a.kecamatan or b.kecamatan:
        need = 0.4
    else:
        need = 0.5
    if a.group == "hoaks":
        # several people asking about one circulating message, mostly the same day
        need = 0.2 if hours <= 24 else 0.4
    if a.group == "orang_hilang" and a.ages and b.ages and not a.ages & b.ages:
        return -1.0  # "anak 10 tahun" and "anak 15 tahun" are two people
    shared = len(a.words & b.words)
    if followup:
        need = max(0.0, need - 0.3)
        if shared < 1 and not (a.desa and same_desa):
            return -1.0
        return similarity(a.words, b.words) - need + 0.05 + _rare_bonus(a.words & b.words)
    if same_desa and a.group in ACTIVITY_GROUPS:
        return 0.1 + similarity(a.words, b.words) if shared >= 1 else -1.0
    if shared < 2 and not (urgent and (same_desa or (same_kec and hours <= 1 and shared))):
        return -1.0
    return similarity(a.words, b.words) - need + _rare_bonus(a.words & b.words)


def _share_desa(a: EventFeatures, b: EventFeatures) -> bool:
    """A message naming two desa ("antara Mempaya dan Sukamandi") is at either of them."""
    if not (a.also_desa or b.also_desa):
        return False
    return bool(({a.desa} | a.also_desa) & ({b.desa} | b.also_desa))


def _rare_bonus(shared: frozenset[str]) -> float:
    """Shared rare words (names: "Rina", "Sahrul", a plate number) are strong evidence."""
    n = sum(1 for w in shared if _is_rare(w))
    return min(n, 2) * 0.1


@lru_cache(maxsize=50_000)
def _is_rare(word: str) -> bool:
    return len(word) >= 4 and word.isalpha() and word not in _known_words()


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    from .places import ordinary_words

    return root_words() | ordinary_words()


# Reports of one event the classifier put in different groups (a crowd seen as a protest
# by one sender and as a threat by another): same desa, within half an hour, clear overlap.
CROSS_GROUP_HOURS = 0.5


def _cross_group_score(a: EventFeatures, b: EventFeatures, hours: float) -> float:
    if a.group is None or b.group is None or hours > CROSS_GROUP_HOURS:
        return -1.0
    if not (a.desa and a.desa == b.desa):
        return -1.0
    if len(a.words & b.words) < 2:
        return -1.0
    return similarity(a.words, b.words) - 0.25


def cluster(features: Sequence[EventFeatures], max_compare: int = 200) -> list[str | None]:
    """Incident key per message ("I1", "I2", ... by first appearance), None when alone.

    Messages are taken in time order; each joins the best-matching earlier message's
    incident. Candidates are blocked by (event group, kecamatan, desa): a message with a
    desa is compared with that desa's, its kecamatan's desa-less and the place-less
    messages only.
    """
    order = sorted(range(len(features)), key=lambda i: features[i].ts)
    cluster_of: list[int] = [-1] * len(features)
    blocks: dict[str, dict[tuple[str | None, str | None], list[int]]] = {}
    n_clusters = 0
    recent: list[int] = []  # the last half hour, any group (cross-group matches)
    places: list[set[tuple[str, str | None]]] = []  # (kecamatan, desa) named per cluster
    sizes: list[int] = []  # reports per cluster so far
    recent_hour: list[int] = []  # the last FOLLOWUP_FALLBACK_S seconds (witness follow-ups)
    for i in order:
        f = features[i]
        best, best_score = -1, 0.0
        if f.group is not None and f.desa is not None:
            while recent and f.ts - features[recent[0]].ts > 1800:
                recent.pop(0)
            for j in recent:
                g = features[j]
                if g.group != f.group and g.desa == f.desa:
                    s = _cross_group_score(f, g, (f.ts - g.ts) / 3600)
                    if s >= 0 and (best < 0 or s > best_score):
                        best, best_score = j, s
        if f.group is not None:
            recent.append(i)
            by_place = blocks.setdefault(f.group, {})
            window = WINDOW_HOURS.get(f.group, 12) * 3600
            if f.desa is not None:  # same desa, same kecamatan without desa, no place
                lists = [by_place.get(k, []) for k in ((f.kecamatan, f.desa), (f.kecamatan, None))]
                lists.append(by_place.get((None, None), []))
                lists.extend(by_place.get((d[:8], d), []) for d in f.also_desa)
            elif f.kecamatan is not None:
                lists = [v for k, v in by_place.items() if k[0] in (f.kecamatan, None)]
            else:
                lists = list(by_place.values())
            for members in lists:
                # drop members too old for any later message (messages come in time order)
                while members and f.ts - features[members[0]].ts > window:
                    members.pop(0)
                for j in reversed(members[-max_compare:]):
                    g = features[j]
                    # without the same desa, a match needs a shared word (cheap test first)
                    if (f.desa is None or f.desa != g.desa) and f.words.isdisjoint(g.words):
                        continue
                    s = same_event_score(f, g)
                    if s >= 0 and (best < 0 or s > best_score):
                        if f.kecamatan and _conflicts(f, places[cluster_of[j]]):
                            continue  # a place-less report must not bridge two places
                        best, best_score = j, s
            by_place.setdefault((f.kecamatan, f.desa), []).append(i)
            for d in f.also_desa:
                by_place.setdefault((d[:8], d), []).append(i)
        if best < 0 and f.followup:
            best = _followup_target(f, recent_hour, features, cluster_of, sizes, places)
        if f.group is not None or f.followup:
            while recent_hour and f.ts - features[recent_hour[0]].ts > FOLLOWUP_FALLBACK_S:
                recent_hour.pop(0)
            recent_hour.append(i)
        if best >= 0:
            cluster_of[i] = cluster_of[best]
            sizes[cluster_of[i]] += 1
        else:
            sizes.append(1)
            cluster_of[i] = n_clusters
            n_clusters += 1
            places.append(set())
        if f.kecamatan:
            places[cluster_of[i]].add((f.kecamatan, f.desa))
            for d in f.also_desa:
                places[cluster_of[i]].add((d[:8], d))
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


FOLLOWUP_FALLBACK_S = 3600.0


def _followup_target(
    f: EventFeatures,
    recent: Sequence[int],
    features: Sequence[EventFeatures],
    cluster_of: Sequence[int],
    sizes: Sequence[int],
    places: Sequence[set[tuple[str, str | None]]],
) -> int:
    """A witness follow-up ("saya juga lihat asapnya") that matched nothing by content joins
    the latest report of the last hour that it shares a word with, or else the latest
    report of an incident already reported twice; never one at another place."""
    best_word = best_incident = -1
    for j in reversed(recent):
        g = features[j]
        if f.ts - g.ts > FOLLOWUP_FALLBACK_S:
            break
        if f.kecamatan and _conflicts(f, places[cluster_of[j]]):
            continue
        if best_word < 0 and f.words & g.words:
            best_word = j
        if best_incident < 0 and sizes[cluster_of[j]] >= 2:
            best_incident = j
    return best_word if best_word >= 0 else best_incident


def _conflicts(f: EventFeatures, named: set[tuple[str, str | None]]) -> bool:
    """True when f's place is compatible with none of the places a cluster names."""
    if not named:
        return False
    kecs = {k for k, _ in named}
    if f.kecamatan not in kecs and not any(d[:8] in kecs for d in f.also_desa):
        return True
    desas = {d for _, d in named if d}
    mine = ({f.desa} | f.also_desa) if f.desa else set()
    return bool(desas and mine and not desas & mine)


def grown_incidents(features: Sequence[EventFeatures], keys: Sequence[str | None]) -> set[str]:
    """Incident keys with at least GROWTH_COUNT reports inside GROWTH_SECONDS."""
    times: dict[str, list[float]] = {}
    for f, key in zip(features, keys, strict=True):
        if key is not None:
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
