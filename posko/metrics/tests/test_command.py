"""The Kapolres's command view: internal detail per satuan/Polsek/officer, overdue now,
drill-down links, home after login; the Polda roll-up compares its Polres."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan
from posko.conftest import PASSWORD, make_officer
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Role, Unit

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_kapolres_lands_on_the_command_view(officers: dict[str, Officer]) -> None:
    client = Client()
    response = client.post("/posko/masuk/", {"username": "kapolres", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/posko/komando/"
    response = Client().post("/posko/masuk/", {"username": "operator", "password": PASSWORD})
    assert response["Location"] == "/posko/"


def test_command_view_details_and_drill_down(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    now = timezone.now()
    ppa = satuan_of(polres, "ppa")
    late = now - timedelta(days=3)
    for _ in range(2):
        make_aduan(polres, category="asusila_kdrt", received_at=late)  # overdue, restricted
    make_aduan(
        polres,
        category="pencurian",
        received_at=late,
        assigned_officer=officers["satreskrim"],
        first_responded_at=late + timedelta(minutes=30),
        status=Status.DITANGANI,
    )
    make_aduan(other_polres, category="pencurian", received_at=late)
    do_rebuild_metrics()

    html = login("kapolres").get("/posko/komando/").content.decode()
    assert "Unit PPA" in html  # restricted aduan counted for the Kapolres
    assert f"?status=terbuka&amp;overdue=on&amp;unit={ppa.pk}" in html  # type: ignore[union-attr]
    assert "Satreskrim" in html and "Polres Belitung<" not in html  # own Polres only
    assert "Perbandingan Polres" not in html
    assert "?status=semua&amp;category=pencurian" in html
    assert 'data-chart="bar"' in html

    assert login("operator").get("/posko/komando/").status_code == 403
    assert Client().get("/posko/komando/").status_code == 302


def test_polda_officer_sees_the_roll_up(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    make_aduan(polres, category="pencurian")
    make_aduan(other_polres, category="narkoba")
    do_rebuild_metrics()
    polda = polres.parent
    assert polda is not None
    make_officer("kapolda", Role.PIMPINAN, polda)
    html = login("kapolda").get("/posko/komando/").content.decode()
    assert "Perbandingan Polres" in html
    assert "Polres Belitung Timur" in html and "Polres Belitung<" in html


def test_roll_up_rows_carry_their_medians(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    """Above a Polres the satuan, Polsek and officer rows are read without histograms and
    the shown ones get theirs afterwards: their medians equal the Kapolres's own view."""
    received = timezone.now() - timedelta(days=2)
    for minutes in (20, 40, 400):
        make_aduan(
            polres,
            category="pencurian",
            received_at=received,
            assigned_officer=officers["satreskrim"],
            first_responded_at=received + timedelta(minutes=minutes),
            resolved_at=received + timedelta(hours=minutes),
            status=Status.SELESAI,
        )
    make_aduan(other_polres, category="narkoba")
    do_rebuild_metrics()
    polda = polres.parent
    assert polda is not None
    make_officer("kapolda", Role.PIMPINAN, polda)

    def rows(username: str, name: str) -> dict[str, tuple[float | None, float | None]]:
        context = login(username).get("/posko/komando/").context
        return {r.value: (r.first_median, r.resolution_median) for r in context[name]}

    for name in ("satuan", "polsek", "officers"):
        own, rolled_up = rows("kapolres", name), rows("kapolda", name)
        assert own and all(rolled_up[k] == v for k, v in own.items() if k in rolled_up)
    officer = str(officers["satreskrim"].pk)
    assert rows("kapolda", "officers")[officer][0] is not None
