"""Default routing of a category to the handling satuan (taxonomy "default handling unit")."""

from __future__ import annotations

from posko.aduan.models.choices import Category, Priority
from posko.org.lookup import polsek_for_kecamatan, satuan_of
from posko.org.models import Satuan, Unit
from posko.regions.models import Region

CATEGORY_SATUAN: dict[str, str] = {
    Category.KECELAKAAN: Satuan.SATLANTAS,
    Category.LALU_LINTAS: Satuan.SATLANTAS,
    Category.PENCURIAN: Satuan.SATRESKRIM,
    Category.KEKERASAN: Satuan.SATRESKRIM,
    Category.NARKOBA: Satuan.SATRESNARKOBA,
    Category.PENIPUAN: Satuan.SATRESKRIM,
    Category.PERJUDIAN: Satuan.SATRESKRIM,
    Category.KETERTIBAN: Satuan.SAMAPTA,
    Category.LINGKUNGAN: Satuan.SATRESKRIM,
    Category.ASUSILA_KDRT: Satuan.PPA,
    Category.ORANG_HILANG: Satuan.SATRESKRIM,
    Category.DARURAT_BENCANA: Satuan.SAMAPTA,
    Category.PELAYANAN: Satuan.SPKT,
    Category.PELANGGARAN_ANGGOTA: Satuan.PROPAM,
    Category.HOAKS: Satuan.HUMAS,
    Category.INFORMASI: Satuan.HUMAS,
    Category.APRESIASI: Satuan.HUMAS,
    Category.LAINNYA: Satuan.HUMAS,
}


def satuan_code_for(category: str, priority: str) -> str:
    if category == Category.KEKERASAN and priority == Priority.DARURAT:
        return Satuan.SAMAPTA  # ongoing violence: Samapta responds first
    return CATEGORY_SATUAN.get(category, Satuan.HUMAS)


def route(
    polres: Unit, category: str, priority: str, kecamatan: Region | None
) -> tuple[Unit | None, Unit | None]:
    """(handling satuan, Polsek of the place) for a new aduan."""
    return (
        satuan_of(polres, satuan_code_for(category, priority)),
        polsek_for_kecamatan(polres, kecamatan),
    )
