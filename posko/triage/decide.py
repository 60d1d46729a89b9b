"""Turn evidence (rules) and model scores into category, priority and tone."""

from __future__ import annotations

from .rules import Evidence

CRIME = frozenset(
    {"pencurian", "kekerasan", "narkoba", "penipuan", "perjudian", "asusila_kdrt", "lingkungan"}
)
NOT_EMERGENCY = frozenset(
    {"informasi", "apresiasi", "hoaks", "pelayanan", "lainnya", "pelanggaran_anggota"}
)
VIOLENT = frozenset({"kekerasan", "asusila_kdrt", "pencurian", "ketertiban"})
BASE_PRIORITY: dict[str, str] = {
    "kecelakaan": "tinggi",
    "lalu_lintas": "sedang",
    "pencurian": "tinggi",
    "kekerasan": "tinggi",
    "narkoba": "tinggi",
    "penipuan": "tinggi",
    "perjudian": "tinggi",
    "ketertiban": "sedang",
    "lingkungan": "tinggi",
    "asusila_kdrt": "tinggi",
    "orang_hilang": "tinggi",
    "darurat_bencana": "darurat",
    "pelayanan": "sedang",
    "pelanggaran_anggota": "tinggi",
    "hoaks": "sedang",
    "informasi": "rendah",
    "apresiasi": "rendah",
    "lainnya": "rendah",
}


def rule_category(ev: Evidence) -> tuple[str, float]:
    best = max(ev.category.items(), key=lambda kv: kv[1])
    if best[1] < 1.5:
        return "lainnya", best[1]
    return best


def _disaster_now(ev: Evidence, past: bool, calm: bool) -> bool:
    if ev.hazard >= 2.5 and ev.ongoing >= 2.0 and ev.past < 3:
        return True  # "api masih menyala" even when "belum ada korban"
    if ev.category["orang_hilang"] >= 3.0 and ev.calm < 2.5:
        return True  # missing at sea since last night: a search and rescue, still danger
    return not (past or calm) or ev.injury >= 3


def _missing_vulnerable(ev: Evidence, past: bool, calm: bool) -> bool:
    return ev.child >= 1.5  # a child under 18 or a person with dementia


def _accident_danger(ev: Evidence, past: bool, calm: bool) -> bool:
    danger = ev.injury >= 2.5 or (ev.hazard >= 2.5 and ev.ongoing >= 1.5)
    return danger and not past and not (calm and ev.injury < 6)


def _violence_now(category: str, ev: Evidence) -> bool:
    """Violence, theft or order trouble happening now or an attack that has just happened."""
    now = ev.ongoing + ev.just  # an attack that has just happened is still "now"
    if ev.weapon >= 2.5 and (now >= 0.8 or category == "kekerasan"):
        return True
    if category == "kekerasan" and now >= 1.5:
        return True
    if category in ("asusila_kdrt", "pencurian") and ev.ongoing >= 2.0:
        return True  # the thief is still there; a theft that just happened is tinggi
    if category in ("kekerasan", "pencurian", "asusila_kdrt") and ev.injury >= 3:
        return ev.calm < 2  # a victim badly hurt, attacker not said to be caught
    return ev.injury >= 2.5 and now >= 1.5


def _environment_danger(ev: Evidence, past: bool, calm: bool) -> bool:
    return ev.injury >= 3 and not past  # blasts of fish bombs are not a danger to people


_BY_CATEGORY = {
    "darurat_bencana": _disaster_now,
    "orang_hilang": _missing_vulnerable,
    "kecelakaan": _accident_danger,
    "lingkungan": _environment_danger,
}


def is_darurat(category: str, ev: Evidence) -> bool:
    """Danger to life or safety now: the taxonomy's `darurat`, decided from cues."""
    past = ev.past >= 2.0
    calm = ev.calm >= 2.5
    special = _BY_CATEGORY.get(category)
    if special is not None and category != "lingkungan":
        return special(ev, past, calm)
    if calm and ev.weapon < 2.5:
        return False
    if category in VIOLENT:
        return not past and _violence_now(category, ev)
    if special is not None:
        return special(ev, past, calm)
    if category in NOT_EMERGENCY or past or calm:
        return False
    # injured victims or fire/drowning named outright are emergencies in any event category
    return ev.injury >= 3 or ev.hazard >= 3


def rule_priority(category: str, ev: Evidence) -> str:
    if is_darurat(category, ev):
        return "darurat"
    base = BASE_PRIORITY.get(category, "rendah")
    if base == "darurat":
        return "tinggi"
    return base


def rule_tone(category: str, ev: Evidence) -> str:
    if ev.abusive >= 2.0 or ev.incite >= 2.5:
        return "provokatif"
    # taxonomy: sarcasm without insults is criticism (kritik), never praise
    if ev.sarcasm >= 2.0 and (
        ev.critic >= 1.0 or ev.negsit >= 1.5 or category in ("pelanggaran_anggota",)
    ):
        return "kritik"
    # mock praise or thanks about a bad state of affairs ("makasih udah biarin maling")
    thanks = ev.praise >= 1.0 or ev.category["apresiasi"] >= 1.5 or category == "apresiasi"
    if thanks and ev.sarcasm >= 1.0 and ev.negsit >= 2.5:
        return "kritik"
    if thanks and ev.sarcasm >= 1.5 and ev.negsit >= 1.5:
        return "kritik"
    if category == "apresiasi" or (ev.praise >= 2.5 and ev.critic < 1.0):
        return "apresiasi"
    if ev.critic >= 2.0 or category == "pelanggaran_anggota":
        return "kritik"
    if category == "pelayanan" and ev.critic >= 1.0:
        return "kritik"
    return "netral"
