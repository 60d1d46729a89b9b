"""The inbox header's counts are one statement and equal the per-queryset capped counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posko.aduan.access import visible_aduan
from posko.aduan.inbox import (
    InboxFilters,
    attach_related,
    capped_count,
    capped_counts,
    inbox_counts,
    inbox_page,
    inbox_queryset,
)
from posko.aduan.models import Aduan
from posko.aduan.tests.factories import make_aduan
from posko.org.models import Officer, Unit


@pytest.fixture
def mix(polres: Unit) -> None:
    for status, n in (("baru", 4), ("ditangani", 2), ("selesai", 3)):
        for _ in range(n):
            make_aduan(polres, desa="19.06.02.2001", status=status)


def test_capped_counts_match_capped_count_in_one_statement(polres: Unit, mix: None) -> None:
    querysets = {
        "all": Aduan.objects.all(),
        "baru": Aduan.objects.filter(status="baru"),
        "none": Aduan.objects.none(),  # compiles to nothing: 0 without SQL
        "closed": Aduan.objects.filter(status__in=["selesai", "ditolak"]).order_by("-id"),
    }
    with CaptureQueriesContext(connection) as ctx:
        found = capped_counts(querysets, cap=3)
    assert len(ctx.captured_queries) == 1
    assert found == {k: capped_count(qs, cap=3) for k, qs in querysets.items()}
    assert found == {"all": 3, "baru": 3, "none": 0, "closed": 3}
    assert capped_counts(querysets, cap=1000) == {"all": 9, "baru": 4, "none": 0, "closed": 3}


@pytest.mark.parametrize("who", ["operator", "bhabin_gantung", "polsek_gantung"])
def test_inbox_counts_are_one_query_with_the_listed_count(
    polres: Unit, officers: dict[str, Officer], mix: None, who: str
) -> None:
    user = officers[who].user
    visible = visible_aduan(user)  # resolving a Bhabinkamtibmas's scope reads once (below)
    listed = inbox_queryset(user, InboxFilters(status="semua"), visible=visible)
    with CaptureQueriesContext(connection) as ctx:
        counts = inbox_counts(user, listed=listed, visible=visible)
    aduan_queries = [q for q in ctx.captured_queries if "aduan_aduan" in q["sql"]]
    assert len(aduan_queries) == 1
    assert counts["listed"] == capped_count(listed) == 9
    assert counts["status"] == {
        "baru": 4,
        "diverifikasi": 0,
        "ditangani": 2,
        "selesai": 3,
        "ditolak": 0,
        "dialihkan": 0,
    }
    assert counts["open"] == 6


def test_inbox_page_attaches_related_rows_in_three_queries(
    polres: Unit, officers: dict[str, Officer], mix: None
) -> None:
    """The page's query joins nothing (PostgreSQL planned the five joins for 25–60 ms at
    1 M aduan); desa, kecamatan, units and the assigned officer come from three small
    queries, the same objects select_related would give."""
    make_aduan(polres, desa="19.06.02.2001", assigned_officer=officers["satlantas"])
    user = officers["operator"].user
    qs = inbox_queryset(user, InboxFilters(status="semua"))
    assert "JOIN" not in str(qs.query).upper().replace("EXISTS(SELECT", "")
    with CaptureQueriesContext(connection) as ctx:
        page = inbox_page(qs, 0, 50)
        shown = [
            (
                a.desa and a.desa.name,
                a.kecamatan and a.kecamatan.name,
                a.handling_unit and a.handling_unit.name,
                a.polsek and a.polsek.name,
                a.assigned_officer and str(a.assigned_officer),
            )
            for a in page
        ]
    assert len(ctx.captured_queries) == 4  # the page, regions, units, officers
    joined = qs.select_related(
        "desa", "kecamatan", "handling_unit", "polsek", "assigned_officer__user"
    )
    expected = [
        (
            a.desa and a.desa.name,
            a.kecamatan and a.kecamatan.name,
            a.handling_unit and a.handling_unit.name,
            a.polsek and a.polsek.name,
            a.assigned_officer and str(a.assigned_officer),
        )
        for a in joined
    ]
    assert shown == expected and len(shown) == 10
    assert any(s[4] for s in shown) and any(s[0] for s in shown)
    # Units the caller already has are not read again.
    known = [polres, *Unit.objects.filter(parent=polres)]
    with CaptureQueriesContext(connection) as ctx:
        attach_related(list(qs[:50]), known_units=known)
    assert len(ctx.captured_queries) == 3  # the page, regions, officers
