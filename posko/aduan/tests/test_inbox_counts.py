"""The inbox header's counts are one statement and equal the per-queryset capped counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posko.aduan.inbox import (
    InboxFilters,
    capped_count,
    capped_counts,
    inbox_counts,
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
    listed = inbox_queryset(user, InboxFilters(status="semua"))
    with CaptureQueriesContext(connection) as ctx:
        counts = inbox_counts(user, listed=listed)
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
