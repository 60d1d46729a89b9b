"""Query budgets: the dashboards and the metrics API read the metrics rows with a fixed number
of queries, whatever the number of aduan, Polsek, officers, categories or desa behind them.
Each page is requested over a small data set and again over a larger, more varied one: the
number of queries must not change (a per-row or per-value query would add some) and stays
under its budget. The figures cache is off, so every figure is read."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posko.aduan.models.choices import Category, Channel, Status
from posko.aduan.tests.factories import make_aduan
from posko.api.actions import do_create_api_token
from posko.conftest import make_officer
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.org.models import Officer, Role, Unit, UnitKind
from posko.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

# Budgets of one request (session, user, officer and notifications included).
PUBLIC_BUDGET = 7  # the figures, the labels and the desa map's desa
COMMAND_BUDGET = 10
POLDA_COMMAND_BUDGET = 12
API_BUDGET = 7
API_PATHS = ("/summary", "/monthly", "/polres", "/by/satuan", "/by/officer", "/by/desa")


def _add_aduan(polres: Unit, count: int, officers: list[Officer]) -> None:
    """``count`` aduan spread over categories, channels, desa, officers, statuses and months:
    overdue, escalated and answered ones among them."""
    now = timezone.now()
    desa = list(
        Region.objects.filter(
            level=RegionLevel.DESA,
            code__startswith=polres.region.code + ".",  # type: ignore[union-attr]
        ).values_list("code", flat=True)
    )
    picks = zip(
        range(count),
        itertools.cycle(Category.values),
        itertools.cycle(Channel.values[:5]),
        itertools.cycle(desa[::3]),
        itertools.cycle([None, *officers]),
        strict=False,
    )
    for i, category, channel, place, officer in picks:
        received = now - timedelta(days=(i * 37) % 300, hours=3)
        closed = i % 3 == 0
        make_aduan(
            polres,
            category=category,
            channel=channel,
            desa=place,
            assigned_officer=officer,
            received_at=received,
            status=Status.SELESAI if closed else Status.DITANGANI,
            first_responded_at=received + timedelta(minutes=20 + i),
            resolved_at=received + timedelta(hours=5 + i) if closed else None,
            escalated_at=received + timedelta(hours=1) if i % 4 == 1 else None,
        )
    do_rebuild_metrics()


def _queries(request: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = request()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _assert_flat(
    polres: Unit,
    officers: list[Officer],
    requests: Mapping[str, Callable[..., Any]],
    budgets: dict[str, int],
) -> None:
    _add_aduan(polres, 4, officers[:1])
    small = {name: _queries(request) for name, request in requests.items()}
    _add_aduan(polres, 60, officers)
    large = {name: _queries(request) for name, request in requests.items()}
    assert large == small, "a page issues more queries with more aduan (per-row queries?)"
    for name, n in large.items():
        assert n <= budgets[name], f"{name}: {n} queries, budget {budgets[name]}"


@pytest.fixture
def no_figures_cache(settings: Any) -> None:
    settings.POSKO_METRICS_CACHE_SECONDS = 0


@pytest.fixture
def staff(polres: Unit, officers: dict[str, Officer]) -> list[Officer]:
    return [o for k, o in officers.items() if k in ("satreskrim", "satlantas", "ppa", "samapta")]


def test_public_dashboard_and_command_view_query_budgets(
    polres: Unit,
    other_polres: Unit,
    officers: dict[str, Officer],
    staff: list[Officer],
    no_figures_cache: None,
) -> None:
    polda = polres.parent
    assert polda is not None and polda.kind == UnitKind.POLDA
    kapolda = make_officer("kapolda", Role.PIMPINAN, polda)
    clients = {"kapolres": Client(), "kapolda": Client()}
    clients["kapolres"].force_login(officers["kapolres"].user)
    clients["kapolda"].force_login(kapolda.user)
    public = Client()
    _assert_flat(
        polres,
        staff,
        {
            "transparansi": lambda: public.get("/transparansi/"),
            "komando": lambda: clients["kapolres"].get("/posko/komando/"),
            "komando polda": lambda: clients["kapolda"].get("/posko/komando/"),
        },
        {
            "transparansi": PUBLIC_BUDGET,
            "komando": COMMAND_BUDGET,
            "komando polda": POLDA_COMMAND_BUDGET,
        },
    )


def test_metrics_api_query_budgets(
    polres: Unit, officers: dict[str, Officer], staff: list[Officer]
) -> None:
    token = do_create_api_token(officers["kapolres"].user)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    requests = {path: (lambda p=path: client.get(f"/api/v1/metrics{p}")) for path in API_PATHS}
    _assert_flat(polres, staff, requests, dict.fromkeys(API_PATHS, API_BUDGET))


def test_budgets_catch_a_per_row_query(
    polres: Unit,
    officers: dict[str, Officer],
    staff: list[Officer],
    no_figures_cache: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check itself can fail: a label looked up per officer row breaks it."""
    from posko.metrics import dashboard

    def per_row(units: Any, officers: Any) -> tuple[dict[str, str], dict[str, str]]:
        names = {str(k): Unit.objects.get(pk=int(k)).name for k in units if k}
        return names, {str(k): str(Officer.objects.get(pk=int(k))) for k in officers if k}

    monkeypatch.setattr(dashboard, "unit_and_officer_labels", per_row)
    client = Client()
    client.force_login(officers["kapolres"].user)
    with pytest.raises(AssertionError, match="more queries"):
        _assert_flat(
            polres,
            staff,
            {"komando": lambda: client.get("/posko/komando/")},
            {"komando": COMMAND_BUDGET},
        )


def _plan_with_only_index(index: str, queryset: Any) -> str:
    """The plan of ``queryset`` when ``index`` is the only index of the aduan table besides
    its unique ones and a sequential scan is ruled out: whether that index *can* serve the
    query, whatever a tiny test table's statistics make the planner prefer among the others.
    The indexes are dropped inside a savepoint and come back with its rollback."""
    savepoint = transaction.savepoint()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'aduan_aduan'"
                " AND indexname <> %s AND indexdef NOT LIKE 'CREATE UNIQUE %%'",
                [index],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET LOCAL enable_seqscan = off")
        return str(queryset.explain())
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_live_lists_read_the_open_aduan_indexes(
    polres: Unit, officers: dict[str, Officer], staff: list[Officer]
) -> None:
    """The command view's overdue and escalated counts can be served by the partial indexes
    of open aduan (their condition and deadline expression match: "overdue" is a range of
    the index), so they read the overdue backlog only, never the closed aduan. (Which index
    the planner prefers on a table of a dozen rows depended on what earlier tests left, so
    each index is checked alone.)"""
    from posko.metrics.command import open_backlog, overdue_groups

    _add_aduan(polres, 12, staff)
    backlog = open_backlog(officers["kapolres"].user)
    overdue = _plan_with_only_index("aduan_open_live", overdue_groups(backlog, timezone.now()))
    escalated = _plan_with_only_index(
        "aduan_open_escalated", backlog.filter(escalated_at__isnull=False)
    )
    assert "aduan_open_live" in overdue, overdue
    conditions = [line for line in overdue.splitlines() if "Index Cond" in line]
    assert any("CASE WHEN" in line for line in conditions), overdue  # the deadline range
    assert "aduan_open_escalated" in escalated, escalated
    assert "Seq Scan" not in overdue + escalated
    # the indexes are back
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'aduan_aduan'")
        assert cursor.fetchone()[0] > 3
