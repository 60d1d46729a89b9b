"""Incident grouping: messages about the same real-world event.

Two messages describe the same event when their categories are compatible, their places do
not contradict each other, they arrive within a time window, and their content words
overlap enough (more overlap is needed when the place is unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .text import stem, stop_words, words

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
    lokasi kejadian terjadi tkp pagi siang sore malam jam hari
    """
)


def content_words(tokens: Sequence[str]) -> frozenset[str]:
    stops = stop_words()
    return frozenset(stem(t) for t in tokens if t not in stops and t not in GENERIC and len(t) > 1)


@dataclass(frozen=True)
class EventFeatures:
    group: str | None
    kecamatan: str | None
    desa: str | None
    at: datetime
    words: frozenset[str]


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
    if a.group is None or a.group != b.group:
        return -1.0
    hours = abs((a.at - b.at).total_seconds()) / 3600
    if hours > WINDOW_HOURS.get(a.group, 12):
        return -1.0
    urgent = a.group in URGENT_GROUPS and hours <= URGENT_HOURS.get(a.group, 3)
    if a.desa and b.desa:
        if a.desa != b.desa:
            return -1.0
        need = 0.05 if urgent else 0.22
    elif a.kecamatan and b.kecamatan:
        if a.kecamatan != b.kecamatan:
            return -1.0
        need = 0.15 if urgent else 0.3
    elif a.kecamatan or b.kecamatan:
        need = 0.4
    else:
        need = 0.5
    if a.group == "hoaks":
        need = 0.2  # several people asking about one circulating message
    shared = len(a.words & b.words)
    if shared < 2 and not (urgent and a.desa and a.desa == b.desa):
        return -1.0
    return similarity(a.words, b.words) - need


def cluster(features: Sequence[EventFeatures], max_compare: int = 200) -> list[str | None]:
    """Incident key per message ("I1", "I2", ... by first appearance), None when alone.

    Messages are taken in time order; each joins the best-matching earlier message's
    incident. Candidates are blocked by (event group, kecamatan): a message with a
    kecamatan is compared with that kecamatan's and the place-less messages only.
    """
    order = sorted(range(len(features)), key=lambda i: features[i].at)
    cluster_of: list[int] = [-1] * len(features)
    blocks: dict[str, dict[str | None, list[int]]] = {}
    n_clusters = 0
    for i in order:
        f = features[i]
        best, best_score = -1, 0.0
        if f.group is not None:
            by_kec = blocks.setdefault(f.group, {})
            window = WINDOW_HOURS.get(f.group, 12) * 3600
            lists = (
                list(by_kec.values())
                if f.kecamatan is None
                else [
                    by_kec.get(f.kecamatan, []),
                    by_kec.get(None, []),
                ]
            )
            for members in lists:
                # drop members too old for any later message (messages come in time order)
                while members and (f.at - features[members[0]].at).total_seconds() > window:
                    members.pop(0)
                for j in reversed(members[-max_compare:]):
                    s = same_event_score(f, features[j])
                    if s >= 0 and (best < 0 or s > best_score):
                        best, best_score = j, s
            by_kec.setdefault(f.kecamatan, []).append(i)
        if best >= 0:
            cluster_of[i] = cluster_of[best]
        else:
            cluster_of[i] = n_clusters
            n_clusters += 1
    sizes: dict[int, int] = {}
    for c in cluster_of:
        sizes[c] = sizes.get(c, 0) + 1
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
