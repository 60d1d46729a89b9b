"""Text normalisation for colloquial Indonesian / Belitung Malay complaint messages.

`normalize()` lower-cases, maps emojis to marker tokens, collapses letter elongation,
expands reduplication ("anak2"), and replaces slang/abbreviations with standard words.
`stem()` is a light, cached affix stripper checked against the PySastrawi root-word list.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Slang, abbreviations and Belitung Malay -> standard Indonesian (written for Posko).
SLANG: dict[str, str] = {
    # function words
    "yg": "yang",
    "yng": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "dngn": "dengan",
    "krn": "karena",
    "karna": "karena",
    "krna": "karena",
    "utk": "untuk",
    "untk": "untuk",
    "u/": "untuk",
    "tdk": "tidak",
    "gk": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "gx": "tidak",
    "ndak": "tidak",
    "dak": "tidak",
    "ndk": "tidak",
    "tak": "tidak",
    "kagak": "tidak",
    "blm": "belum",
    "blom": "belum",
    "belom": "belum",
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "udeh": "sudah",
    "lg": "lagi",
    "lgi": "lagi",
    "lgsg": "langsung",
    "lsg": "langsung",
    "skrg": "sekarang",
    "skrang": "sekarang",
    "skg": "sekarang",
    "skr": "sekarang",
    "sekarng": "sekarang",
    "srkg": "sekarang",
    "bs": "bisa",
    "bsa": "bisa",
    "jd": "jadi",
    "jdi": "jadi",
    "sm": "sama",
    "ama": "sama",
    "kl": "kalau",
    "klo": "kalau",
    "kalo": "kalau",
    "klw": "kalau",
    "kalu": "kalau",
    "gmn": "bagaimana",
    "gmna": "bagaimana",
    "gimana": "bagaimana",
    "gmana": "bagaimana",
    "camane": "bagaimana",
    "cemane": "bagaimana",
    "knp": "kenapa",
    "napa": "kenapa",
    "ngapa": "kenapa",
    "ngape": "kenapa",
    "ape": "apa",
    "ade": "ada",
    "adek": "adik",
    "kite": "kita",
    "kamek": "saya",
    "kamik": "saya",
    "sy": "saya",
    "sya": "saya",
    "aq": "saya",
    "aku": "saya",
    "gw": "saya",
    "gue": "saya",
    "gua": "saya",
    "ane": "saya",
    "km": "kamu",
    "kmu": "kamu",
    "lu": "kamu",
    "lo": "kamu",
    "elu": "kamu",
    "kau": "kamu",
    "ni": "ini",
    "nih": "ini",
    "tu": "itu",
    "tuh": "itu",
    "dr": "dari",
    "dri": "dari",
    "pd": "pada",
    "kpd": "kepada",
    "tsb": "tersebut",
    "dlm": "dalam",
    "dalem": "dalam",
    "sampe": "sampai",
    "smpe": "sampai",
    "ampe": "sampai",
    "aja": "saja",
    "aj": "saja",
    "ajah": "saja",
    "bae": "saja",
    "emg": "memang",
    "emang": "memang",
    "mmg": "memang",
    "bnr": "benar",
    "bener": "benar",
    "bkn": "bukan",
    "bnyk": "banyak",
    "byk": "banyak",
    "bgt": "banget",
    "bngt": "banget",
    "bgd": "banget",
    "tp": "tapi",
    "tpi": "tapi",
    "trs": "terus",
    "trus": "terus",
    "jg": "juga",
    "jga": "juga",
    "org": "orang",
    "orng": "orang",
    "urang": "orang",
    "owang": "orang",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "kmarin": "kemarin",
    "td": "tadi",
    "tdi": "tadi",
    "mlm": "malam",
    "malem": "malam",
    "pgi": "pagi",
    "tgl": "tanggal",
    "bln": "bulan",
    "thn": "tahun",
    "hr": "hari",
    "mgg": "minggu",
    "dmn": "dimana",
    "dmna": "dimana",
    "mana": "mana",
    "ttg": "tentang",
    "spt": "seperti",
    "kyk": "kayak",
    "kek": "kayak",
    "cm": "cuma",
    "cuman": "cuma",
    "doang": "saja",
    "aje": "saja",
    "gimane": "bagaimana",
    "nak": "mau",
    "mo": "mau",
    "mau": "mau",
    "pengen": "ingin",
    "pgn": "ingin",
    "tau": "tahu",
    "tw": "tahu",
    "taunya": "tahunya",
    "ntar": "nanti",
    "nnti": "nanti",
    "ntr": "nanti",
    "sblh": "sebelah",
    "sbl": "sebelah",
    "smping": "samping",
    # request / politeness
    "tlg": "tolong",
    "tlong": "tolong",
    "tolongin": "tolong",
    "tulung": "tolong",
    "pls": "tolong",
    "plis": "tolong",
    "please": "tolong",
    "plz": "tolong",
    "mhn": "mohon",
    "mohon": "mohon",
    "cpt": "cepat",
    "cepet": "cepat",
    "buruan": "cepat",
    "segera": "segera",
    "sgr": "segera",
    "mksh": "terima_kasih",
    "makasih": "terima_kasih",
    "makasi": "terima_kasih",
    "trims": "terima_kasih",
    "trimakasih": "terima_kasih",
    "terimakasih": "terima_kasih",
    "tq": "terima_kasih",
    "thx": "terima_kasih",
    "thanks": "terima_kasih",
    "tks": "terima_kasih",
    "trmksh": "terima_kasih",
    "mksih": "terima_kasih",
    "tengkyu": "terima_kasih",
    "kasih": "kasih",
    # places / directions
    "jln": "jalan",
    "jl": "jalan",
    "jalanan": "jalan",
    "dpn": "depan",
    "dpan": "depan",
    "dkt": "dekat",
    "dket": "dekat",
    "deket": "dekat",
    "dekt": "dekat",
    "blkg": "belakang",
    "blakang": "belakang",
    "rmh": "rumah",
    "umah": "rumah",
    "sklh": "sekolah",
    "skolah": "sekolah",
    "ds": "desa",
    "dsn": "dusun",
    "kec": "kecamatan",
    "kcmtn": "kecamatan",
    "kel": "kelurahan",
    "kab": "kabupaten",
    "kp": "kampung",
    "kampong": "kampung",
    "tj": "tanjung",
    "tg": "tanjung",
    "tjg": "tanjung",
    "spg": "simpang",
    "simp": "simpang",
    "smpg": "simpang",
    "aik": "air",
    "itam": "hitam",
    "burong": "burung",
    "psr": "pasar",
    "pelabuhan": "pelabuhan",
    "plbhn": "pelabuhan",
    # police and people
    "pol": "polisi",
    "plisi": "polisi",
    "pulisi": "polisi",
    "polis": "polisi",
    "poli": "polisi",
    "pak_pol": "polisi",
    "polantas": "polantas",
    "min": "admin",
    "mimin": "admin",
    "minn": "admin",
    "bpk": "bapak",
    "pk": "pak",
    "bu": "ibu",
    "bro": "bro",
    "gan": "gan",
    "anggota": "anggota",
    "oknum": "oknum",
    "aparat": "aparat",
    "mtr": "motor",
    "motor": "motor",
    "mbl": "mobil",
    "hp": "hp",
    "hape": "hp",
    # crime and danger slang
    "laka": "kecelakaan",
    "lakalantas": "kecelakaan",
    "nabrak": "menabrak",
    "ketabrak": "tertabrak",
    "kelindes": "terlindas",
    "kelindas": "terlindas",
    "kegiles": "terlindas",
    "keserempet": "terserempet",
    "nyerempet": "menyerempet",
    "jatoh": "jatuh",
    "jatuhh": "jatuh",
    "maling": "maling",
    "nyolong": "mencuri",
    "dicolong": "dicuri",
    "colong": "curi",
    "ilang": "hilang",
    "ngilang": "hilang",
    "ngamuk": "mengamuk",
    "ribut2": "ribut",
    "rame": "ramai",
    "ngebut": "ngebut",
    "trek2an": "balap",
    "trek": "balap",
    "bw": "bawa",
    "bwa": "bawa",
    "nyabu": "sabu",
    "shabu": "sabu",
    "sbu": "sabu",
    "pake": "pakai",
    "make": "pakai",
    "bacok": "bacok",
    "nusuk": "tusuk",
    "ditusuk": "ditusuk",
    "dipukulin": "dipukul",
    "mukul": "memukul",
    "gebukin": "pukul",
    "digebukin": "dipukul",
    "ngancem": "mengancam",
    "ngancam": "mengancam",
    "bales": "balas",
    "bls": "balas",
    "ancem": "ancam",
    "bunuh": "bunuh",
    "mampus": "mampus",
    "kebakar": "terbakar",
    "kbakaran": "kebakaran",
    "klelep": "tenggelam",
    "kelelep": "tenggelam",
    "anyut": "hanyut",
    "ngelapor": "lapor",
    "lapor": "lapor",
    "ngelaporin": "melapor",
    "dilaporin": "dilaporkan",
    "laporin": "laporkan",
    "nipu": "menipu",
    "ketipu": "tertipu",
    "ditipu": "ditipu",
    "judol": "judi_online",
    "slot": "slot",
    "mabok": "mabuk",
    "mabuk2an": "mabuk",
    "tuak": "tuak",
    "mnta": "minta",
    "mnt": "minta",
    "duit": "uang",
    "duid": "uang",
    "pungli": "pungli",
    "smpah": "sampah",
    "bnjir": "banjir",
    # praise / laughter
    "mantul": "mantap",
    "mantab": "mantap",
    "mntp": "mantap",
    "keren": "keren",
    "gercep": "gerak_cepat",
    "wkwk": "wkwk",
    "wkwkwk": "wkwk",
    "haha": "wkwk",
    "hahaha": "wkwk",
    "xixi": "wkwk",
    "awokawok": "wkwk",
    "ngakak": "wkwk",
    "anjir": "anjing",
    "anjay": "anjing",
    "njing": "anjing",
    "anjg": "anjing",
    "ajg": "anjing",
    "anj": "anjing",
    "bgst": "bangsat",
    "bangsad": "bangsat",
    "bgsd": "bangsat",
    "gblk": "goblok",
    "goblog": "goblok",
    "tolol": "tolol",
    "tll": "tolol",
    "kntl": "kontol",
    "kontl": "kontol",
    "ngentot": "ngentot",
    "ngntt": "ngentot",
    "bego": "bodoh",
    "bloon": "bodoh",
    "bodo": "bodoh",
    "bajingan": "bajingan",
}

# More chat forms and Belitung Malay (written for Posko; checked against the common words so
# that no entry turns an ordinary word into another one).
SLANG.update(
    {
        # Belitung Malay
        "budak": "anak",
        "kecik": "kecil",
        "bini": "istri",
        "die": "dia",
        "mane": "mana",
        "kemane": "kemana",
        "dimane": "dimana",
        "sape": "siapa",
        "berape": "berapa",
        "pacak": "bisa",
        "ngambik": "mengambil",
        "ambik": "ambil",
        "kene": "kena",
        "rume": "rumah",
        "tige": "tiga",
        "dakde": "tidak ada",
        "ndakde": "tidak ada",
        "ape2": "apa apa",
        "lakinye": "suaminya",
        "nye": "nya",
        "gi": "pergi",
        # chat abbreviations
        "jugak": "juga",
        # police shorthand in officer notes
        "r2": "motor",
        "r4": "mobil",
        "r6": "truk",
        "ranmor": "kendaraan bermotor",
        "gak2": "tidak",
        "lum": "belum",
        "lom": "belum",
        "blum": "belum",
        "uda": "sudah",
        "ud": "sudah",
        "msh": "masih",
        "msih": "masih",
        "masi": "masih",
        "sdg": "sedang",
        "lgi2": "lagi",
        "jgn": "jangan",
        "jngn": "jangan",
        "gada": "tidak ada",
        "gaada": "tidak ada",
        "gakada": "tidak ada",
        "kaga": "tidak",
        "ngak": "tidak",
        "nda": "tidak",
        "knapa": "kenapa",
        "klu": "kalau",
        "spy": "supaya",
        "bbrp": "beberapa",
        "sblm": "sebelum",
        "stlh": "setelah",
        "krg": "kurang",
        "sj": "saja",
        "hrs": "harus",
        "brp": "berapa",
        "lbh": "lebih",
        "sgt": "sangat",
        "dpt": "dapat",
        "dapet": "dapat",
        "kmn": "kemana",
        "kmana": "kemana",
        "tmn": "teman",
        "temen": "teman",
        "ortu": "orang tua",
        "cewe": "perempuan",
        "cewek": "perempuan",
        "cwe": "perempuan",
        "cowo": "laki laki",
        "cowok": "laki laki",
        "bocil": "bocah",
        "urg": "orang",
        "dtg": "datang",
        "dtng": "datang",
        "dateng": "datang",
        "liat": "lihat",
        "ngeliat": "melihat",
        "ngliat": "melihat",
        "nengok": "melihat",
        "dgr": "dengar",
        "denger": "dengar",
        "nyari": "mencari",
        "nyariin": "mencari",
        "bwt": "buat",
        "tlp": "telepon",
        "telp": "telepon",
        "tlpn": "telepon",
        "bhabin": "bhabinkamtibmas",
        "babin": "bhabinkamtibmas",
        "pakpol": "polisi",
        # events
        "hlg": "hilang",
        "kbakar": "terbakar",
        "tenggelem": "tenggelam",
        "kecebur": "tercebur",
        "kejebak": "terjebak",
        "ketiban": "tertimpa",
        "kesetrum": "tersengat",
        "nyetrum": "menyetrum",
        "kesengat": "tersengat",
        "kepleset": "tergelincir",
        "dikejer": "dikejar",
        "ngejar": "mengejar",
        "nyulik": "menculik",
        "ngeroyok": "mengeroyok",
        "ngerampok": "merampok",
        "ngebegal": "membegal",
        "malak": "memalak",
        "nyuri": "mencuri",
        "nyurik": "mencuri",
        "curik": "curi",
        "dicurik": "dicuri",
        "mukulin": "memukul",
        "nampar": "menampar",
        "nendang": "menendang",
        "nusuk": "menusuk",
        "ngebacok": "membacok",
        "dibiarin": "dibiarkan",
        "biarin": "biarkan",
        "ngebiarin": "membiarkan",
        "nangkep": "menangkap",
        "ditangkep": "ditangkap",
        "ketangkep": "ketangkap",
        "tangkep": "tangkap",
        "nilang": "menilang",
        "ngebom": "mengebom",
        "nyabu2": "sabu",
        "nongkrong2": "nongkrong",
        "complain": "komplain",
        "komplen": "komplain",
    }
)

# Multi-word slang, applied on the space-joined token string before splitting.
PHRASES: tuple[tuple[str, str], ...] = (
    ("pak pol", "pak polisi"),
    ("terima kasih", "terima_kasih"),
    ("trima kasih", "terima_kasih"),
    ("balap liar", "balap_liar"),
    ("judi online", "judi_online"),
    ("simpang 3", "simpang tiga"),
    ("simpang 4", "simpang empat"),
    ("sp 3", "simpang tiga"),
    ("sp3", "simpang tiga"),
    ("gerak cepat", "gerak_cepat"),
)

EMOJI: dict[str, str] = {
    "🙏": " emo_pray ",
    "👍": " emo_good ",
    "👏": " emo_clap ",
    "❤": " emo_love ",
    "😍": " emo_love ",
    "🥰": " emo_love ",
    "💪": " emo_good ",
    "🫡": " emo_good ",
    "😡": " emo_angry ",
    "🤬": " emo_angry ",
    "😠": " emo_angry ",
    "😤": " emo_angry ",
    "😂": " emo_laugh ",
    "🤣": " emo_laugh ",
    "😆": " emo_laugh ",
    "😹": " emo_laugh ",
    "🤡": " emo_clown ",
    "🐷": " emo_pig ",
    "🐶": " emo_dog ",
    "🖕": " emo_finger ",
    "😭": " emo_cry ",
    "😢": " emo_cry ",
    "😱": " emo_fear ",
    "😨": " emo_fear ",
    "🔥": " emo_fire ",
    "🚨": " emo_alarm ",
    "⚠": " emo_alarm ",
    "🆘": " emo_alarm ",
    "🙄": " emo_eyeroll ",
    "😒": " emo_eyeroll ",
    "🤔": " emo_think ",
    "🙃": " emo_eyeroll ",
    "😏": " emo_eyeroll ",
    "🤭": " emo_laugh ",
    "😜": " emo_laugh ",
    "💩": " emo_pig ",
    "🤮": " emo_pig ",
    "🐒": " emo_pig ",
    "🐕": " emo_dog ",
    "🚒": " emo_fire ",
    "🚑": " emo_alarm ",
}

_URL = re.compile(r"https?://\S+|www\.\S+")
_TOKEN = re.compile(r"[a-z0-9_]+")
_ELONG = re.compile(r"([a-z])\1{2,}")
_REDUP = re.compile(r"\b([a-z]{2,})2([a-z]*)\b")
_DIGIT_SPLIT = re.compile(r"(?<=[a-z])(?=[0-9]{1,2}\b)")
_EMOJI_RE = re.compile("|".join(re.escape(k) for k in EMOJI))
_QMARK = re.compile(r"\?+")
QMARK = "qmark"  # a question mark is a word: questions are informasi/pelayanan/hoaks


def words(spec: str) -> frozenset[str]:
    """A word set written as one whitespace-separated string."""
    return frozenset(spec.split())


@dataclass(frozen=True)
class NormText:
    """A normalised message: tokens after slang replacement."""

    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text


def _emoji(m: re.Match[str]) -> str:
    return EMOJI[m.group(0)]


def normalize(raw: str) -> NormText:
    """Lower-case, emojis to marker words, URLs to "url", "?" to "qmark", then per word:
    letter elongation collapsed, reduplication expanded, slang replaced; then the phrases.

    On ASCII text every step but the phrases works inside one word (word boundaries are the
    token boundaries), so each distinct word is normalised once and kept (a busy Polres
    repeats its vocabulary); other text takes the whole-text path (`normalize_reference`,
    the same steps on the whole string)."""
    text = _lowered(raw)
    if not text.isascii():
        return _normalize_whole(text)
    if "http" in text or "www." in text:
        text = _URL.sub(" url ", text)
    if "?" in text:
        text = _QMARK.sub(" " + QMARK + " ", text)
    cache = _WORD_CACHE
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        hit = cache.get(tok)
        if hit is None:
            if len(cache) > 100_000:
                cache.clear()
            hit = cache[tok] = _normalize_word(tok)
        out += hit
    if _PHRASE_FIRST.isdisjoint(out):
        return NormText(tuple(out))
    joined = " " + " ".join(out) + " "
    for src, dst in PHRASES:
        if src in joined:
            joined = joined.replace(" " + src + " ", " " + dst + " ")
    return NormText(tuple(joined.split()))


# per ASCII word: the words it normalises to (before the phrases)
_WORD_CACHE: dict[str, tuple[str, ...]] = {}
_PHRASE_FIRST = frozenset(src.split()[0] for src, _ in PHRASES)


def _normalize_word(tok: str) -> tuple[str, ...]:
    """One word of ASCII text (a match of _TOKEN): the steps of `normalize_reference`."""
    tok = _ELONG.sub(r"\1", tok)
    if "2" in tok:
        tok = _REDUP.sub(r"\1 \1\2", tok)
    get = SLANG.get
    return tuple(" ".join([get(t, t) for t in tok.split()]).split())


def normalize_reference(raw: str) -> NormText:
    """`normalize` on the whole string at once (any text; the reference of the fast path)."""
    return _normalize_whole(_lowered(raw))


def _lowered(raw: str) -> str:
    """Lower-cased, non-ASCII letters folded and emojis as marker words (both paths' first
    step)."""
    return raw.lower() if raw.isascii() else _EMOJI_RE.sub(_emoji, _fold(raw)).lower()


def _normalize_whole(text: str) -> NormText:
    if "http" in text or "www." in text:
        text = _URL.sub(" url ", text)
    if "@" in text:
        text = text.replace("@", " ")  # keep account names: "@tiketmurah" in two reports
    text = _ELONG.sub(r"\1", text)
    if "2" in text:
        text = _REDUP.sub(r"\1 \1\2", text)
    text = text.replace("-", " ")
    if "?" in text:
        text = _QMARK.sub(" " + QMARK + " ", text)
    raw_tokens = _TOKEN.findall(text)
    get = SLANG.get
    joined = " " + " ".join([get(t, t) for t in raw_tokens]) + " "
    for src, dst in PHRASES:
        if src in joined:
            joined = joined.replace(" " + src + " ", " " + dst + " ")
    return NormText(tuple(joined.split()))


@lru_cache(maxsize=1)
def root_words() -> frozenset[str]:
    data = resources.files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt").read_text()
    return frozenset(data.split())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """PySastrawi's stop words without the negations (tidak, bukan, belum, jangan)."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    words_ = StopWordRemoverFactory().get_stop_words()
    return frozenset(words_) - {"tidak", "bukan", "belum", "jangan"}


_SUFFIXES = ("nya", "lah", "kah", "kan", "an", "in", "i")
# After a noun-forming prefix (pe-…-an, ke-…-an) "-an" is tried before "-kan":
# "pemalakan" is pe + palak + an, not pe + pala + kan ("penculikan", "pembacokan");
# after di-/me-/ter- "-kan" comes first ("diberikan" is di + beri + kan).
_SUFFIXES_NOUN = ("nya", "lah", "kah", "an", "kan", "in", "i")
_NOUN_PREFIXES = frozenset({"peny", "peng", "pem", "pen", "per", "pe", "ke"})
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("menye", ("s",)),
    ("peny", ("s",)),
    ("meny", ("s",)),
    ("meng", ("", "k")),
    ("peng", ("", "k")),
    ("mem", ("p", "")),
    ("pem", ("p", "")),
    ("men", ("t", "")),
    ("pen", ("t", "")),
    ("mempe", ("",)),
    ("memper", ("",)),
    ("diper", ("",)),
    ("ter", ("",)),
    ("ber", ("",)),
    ("per", ("r", "")),  # per + ampokan → rampok (pe-rampok-an), per + umahan → rumah
    ("me", ("",)),
    ("pe", ("",)),
    ("di", ("",)),
    ("ke", ("",)),
    ("se", ("",)),
    ("nge", ("",)),
    ("ng", ("k", "")),
    ("ny", ("s",)),
)


def _strip_suffix(word: str, noun: bool = False) -> list[str]:
    out = [word]
    for suf in _SUFFIXES_NOUN if noun else _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            base = word[: -len(suf)]
            out.append(base)
            for suf2 in ("an", "kan", "i") if noun else ("kan", "an", "i"):
                if base.endswith(suf2) and len(base) - len(suf2) >= 3:
                    out.append(base[: -len(suf2)])
    return out


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Root of an Indonesian word when one can be found in the root list, else the word."""
    roots = root_words()
    if len(word) <= 3 or not word.isalpha():
        return word
    if word in roots:
        return word
    for cand in _strip_suffix(word)[1:]:
        if cand in roots:
            return cand
    for pre, restore in _PREFIXES:
        if word.startswith(pre) and len(word) - len(pre) >= 3:
            rest = word[len(pre) :]
            for cand in _strip_suffix(rest, pre in _NOUN_PREFIXES):
                for r in restore:
                    if r + cand in roots:
                        return r + cand
    return word
