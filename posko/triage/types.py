"""Public data types and the fixed codes of the triage contract (shared/spec/taxonomy.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "kecelakaan",
    "lalu_lintas",
    "pencurian",
    "kekerasan",
    "narkoba",
    "penipuan",
    "perjudian",
    "ketertiban",
    "lingkungan",
    "asusila_kdrt",
    "orang_hilang",
    "darurat_bencana",
    "pelayanan",
    "pelanggaran_anggota",
    "hoaks",
    "informasi",
    "apresiasi",
    "lainnya",
)
PRIORITIES: tuple[str, ...] = ("darurat", "tinggi", "sedang", "rendah")
TONES: tuple[str, ...] = ("apresiasi", "netral", "kritik", "provokatif")
UNITS: tuple[str, ...] = (
    "satlantas",
    "satreskrim",
    "satresnarkoba",
    "samapta",
    "ppa",
    "propam",
    "spkt",
    "humas",
)

DEFAULT_UNIT: dict[str, str] = {
    "kecelakaan": "satlantas",
    "lalu_lintas": "satlantas",
    "pencurian": "satreskrim",
    "kekerasan": "satreskrim",
    "narkoba": "satresnarkoba",
    "penipuan": "satreskrim",
    "perjudian": "satreskrim",
    "ketertiban": "samapta",
    "lingkungan": "satreskrim",
    "asusila_kdrt": "ppa",
    "orang_hilang": "satreskrim",
    "darurat_bencana": "samapta",
    "pelayanan": "spkt",
    "pelanggaran_anggota": "propam",
    "hoaks": "humas",
    "informasi": "humas",
    "apresiasi": "humas",
    "lainnya": "humas",
}


def unit_for(category: str, priority: str) -> str:
    """Handling unit (satuan) for a category; ongoing violence goes to Samapta."""
    if category == "kekerasan" and priority == "darurat":
        return "samapta"
    return DEFAULT_UNIT.get(category, "humas")


@dataclass(frozen=True)
class TriageInput:
    id: str
    text: str
    channel: str | None = None
    received_at: datetime | None = None


@dataclass(slots=True)  # one per message; a batch holds thousands (issue 10, memory)
class TriageResult:
    id: str
    category: str
    priority: str
    tone: str
    kecamatan_code: str | None
    desa_code: str | None
    unit: str
    incident: str | None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "priority": self.priority,
            "tone": self.tone,
            "kecamatan_code": self.kecamatan_code,
            "desa_code": self.desa_code,
            "unit": self.unit,
            "incident": self.incident,
        }


@dataclass(frozen=True)
class Landmark:
    name: str
    desa_code: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncidentCandidate:
    key: str
    text: str
    category: str
    kecamatan_code: str | None
    desa_code: str | None
    received_at: datetime
