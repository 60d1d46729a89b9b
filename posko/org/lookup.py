"""Non-mutating lookups in the organisation tree."""

from __future__ import annotations

from django.utils.translation import gettext

from posko.org.models import Officer, Role, Unit, UnitKind
from posko.regions.models import Region, RegionLevel


def satuan_of(polres: Unit, code: str) -> Unit | None:
    return Unit.objects.filter(parent=polres, kind=UnitKind.SATUAN, satuan=code).first()


def polsek_for_kecamatan(polres: Unit, kecamatan: Region | None) -> Unit | None:
    if kecamatan is None:
        return None
    return Unit.objects.filter(parent=polres, kind=UnitKind.POLSEK, kecamatan=kecamatan).first()


def bhabinkamtibmas_for_desa(desa: Region | None) -> Officer | None:
    if desa is None:
        return None
    return (
        Officer.objects.filter(role=Role.BHABINKAMTIBMAS, desa=desa)
        .select_related("user", "unit")
        .first()
    )


def get_polres_by_prefix(prefix: str) -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.POLRES, code_prefix=prefix.upper()).first()


def polres_units(unit: Unit) -> list[Unit]:
    """The Polres at or below ``unit`` (a Polda sees its Polres; Mabes sees all)."""
    if unit.kind == UnitKind.MABES:
        return list(Unit.objects.filter(kind=UnitKind.POLRES))
    if unit.kind == UnitKind.POLDA:
        return list(Unit.objects.filter(kind=UnitKind.POLRES, parent=unit))
    polres = unit.polres
    return [polres] if polres is not None else []


def desa_choices(polres: Unit) -> list[tuple[str, list[tuple[str, str]]]]:
    """Desa grouped by kecamatan, for the desa picker."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    if polres.region is None:
        return groups
    for kec in polres.region.children.filter(level=RegionLevel.KECAMATAN).order_by("name"):
        desa = [(d.code, d.name) for d in kec.children.order_by("name")]
        groups.append((gettext("Kec. %(kecamatan)s") % {"kecamatan": kec.name}, desa))
    return groups
