"""Create a Polres tenant with its Polsek and satuan. Idempotent. (Onboarding with the
default policies of the other domains: ``posko.aduan.actions.onboarding``.)"""

from __future__ import annotations

from django.db import transaction

from posko.org.models import Satuan, Unit, UnitKind
from posko.regions.loading import load_kabupaten
from posko.regions.models import RegionLevel

MABES_NAME = "Mabes Polri"


@transaction.atomic
def ensure_polres(kabupaten_code: str, prefix: str, name: str, polda_name: str) -> Unit:
    """Mabes → Polda → Polres for the kabupaten, one Polsek per kecamatan and the satuan.
    Running it again changes nothing that already exists."""
    if not (2 <= len(prefix) <= 4 and prefix.isalpha()):
        raise ValueError("prefiks kode Polres harus 2–4 huruf")
    kabupaten = load_kabupaten(kabupaten_code)
    mabes, _ = Unit.objects.get_or_create(kind=UnitKind.MABES, name=MABES_NAME)
    polda, _ = Unit.objects.get_or_create(kind=UnitKind.POLDA, name=polda_name, parent=mabes)
    polres, _ = Unit.objects.get_or_create(
        kind=UnitKind.POLRES,
        code_prefix=prefix.upper(),
        defaults={"name": name, "parent": polda, "region": kabupaten},
    )
    for code, label in Satuan.choices:
        Unit.objects.get_or_create(
            kind=UnitKind.SATUAN, parent=polres, satuan=code, defaults={"name": str(label)}
        )
    for kecamatan in kabupaten.children.filter(level=RegionLevel.KECAMATAN):
        polsek, _ = Unit.objects.get_or_create(
            kind=UnitKind.POLSEK, parent=polres, name=f"Polsek {kecamatan.name}"
        )
        polsek.kecamatan.add(kecamatan)
    return polres
