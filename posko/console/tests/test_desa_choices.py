"""desa_choices (the inbox's and intake's desa picker) in one query, same groups as the
per-kecamatan loop it replaced."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from posko.org.lookup import desa_choices
from posko.org.models import Unit
from posko.regions.models import Region, RegionLevel


def _per_kecamatan(polres: Unit) -> list[tuple[str, list[tuple[str, str]]]]:
    """The former implementation: one query per kecamatan."""
    assert polres.region is not None
    return [
        (
            gettext("Kec. %(kecamatan)s") % {"kecamatan": kec.name},
            [(d.code, d.name) for d in kec.children.order_by("name")],
        )
        for kec in polres.region.children.filter(level=RegionLevel.KECAMATAN).order_by("name")
    ]


def test_desa_choices_one_query_same_groups(polres: Unit) -> None:
    assert polres.region is not None
    # A kecamatan without desa keeps its (empty) group, as before.
    Region.objects.create(
        code="99.99.99", name="Aaa Kosong", level=RegionLevel.KECAMATAN, parent=polres.region
    )
    expected = _per_kecamatan(polres)
    assert len(expected) > 1 and sum(len(d) for _, d in expected) > 10
    with CaptureQueriesContext(connection) as ctx:
        got = desa_choices(polres)
    assert len(ctx.captured_queries) == 1
    assert got == expected
    assert got[0] == ("Kec. Aaa Kosong", [])


def test_desa_choices_of_a_polres_without_region_is_empty(polres: Unit) -> None:
    polres.region = None
    with CaptureQueriesContext(connection) as ctx:
        assert desa_choices(polres) == []
    assert not ctx.captured_queries
