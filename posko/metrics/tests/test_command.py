"""The Kapolres's command view: internal detail per satuan/Polsek/officer, overdue now,
drill-down links, home after login; the Polda roll-up compares its Polres."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from posko.aduan.models import Aduan
from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan
from posko.conftest import PASSWORD, make_officer
from posko.metrics.actions.refresh import do_rebuild_metrics, do_refresh_metrics
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


def _scan_overdue(user: Any, now: datetime) -> dict[str, dict[str, int]]:
    """Overdue now the plain way: every open aduan the user may see, past its deadline."""
    from posko.metrics.command import open_backlog, overdue_groups

    result: dict[str, dict[str, int]] = {"satuan": {}, "polsek": {}, "officer": {}}
    for unit, polsek, officer, n in overdue_groups(open_backlog(user), now):
        for name, key in (("satuan", unit), ("polsek", polsek), ("officer", officer)):
            k = "" if key is None else str(key)
            result[name][k] = result[name].get(k, 0) + n
    escalated = open_backlog(user).filter(escalated_at__isnull=False).count()
    result["escalated"] = {"": escalated}
    return result


def _maintained_overdue(user: Any) -> dict[str, dict[str, int]]:
    from posko.aduan.access import officer_of
    from posko.metrics.command import live_overdue
    from posko.org.lookup import polres_units

    request = RequestFactory().get("/posko/komando/")
    request.user = user
    officer = officer_of(user)
    assert officer is not None
    return live_overdue(request, [u.pk for u in polres_units(officer.unit)])


def test_overdue_from_deadline_rows_equals_a_scan_of_the_open_aduan(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    """The command view's overdue counts (deadline rows before this hour, the aduan due in
    this hour read live) equal a scan of the open backlog in every viewer's scope: deadlines
    months, days, hours and minutes ago and ahead, answered ones (resolution deadline),
    restricted ones (hidden above the Polres), complaints about the Kapolres or the Polda
    (hidden from them), escalated ones, closed ones (never overdue)."""
    now = timezone.now()
    kapolres = officers["kapolres"]
    polda = polres.parent
    assert polda is not None
    kapolda = make_officer("kapolda", Role.PIMPINAN, polda)
    ages = [
        timedelta(days=70),
        timedelta(days=35),
        timedelta(days=3),
        timedelta(hours=5),
        timedelta(minutes=50),
        timedelta(minutes=3),
        -timedelta(minutes=30),
        -timedelta(days=40),
    ]
    variants: list[dict[str, Any]] = [
        {},
        {"category": "asusila_kdrt"},
        {"status": Status.DITANGANI, "first_responded_at": now - timedelta(days=80)},
        {"subject_officer": kapolres},
        {"subject_unit": polda, "escalated_at": now - timedelta(hours=1)},
        {"subject_unit": polres},
        {"assigned_officer": officers["satreskrim"], "escalated_at": now},
        {"status": Status.SELESAI, "resolved_at": now},
    ]
    for tenant in (polres, other_polres):
        for age in ages:
            for extra in variants:
                aduan = make_aduan(tenant, received_at=now - timedelta(days=90), **extra)
                field = "resolution_due" if "first_responded_at" in extra else "first_response_due"
                Aduan.objects.filter(pk=aduan.pk).update(**{field: now - age})
    do_rebuild_metrics()

    for officer in (kapolres, kapolda, officers["auditor"]):
        expected = _scan_overdue(officer.user, timezone.now())
        assert _maintained_overdue(officer.user) == expected, officer
    scope = _scan_overdue(kapolda.user, timezone.now())
    assert sum(scope["satuan"].values()) > sum(_scan_overdue(kapolres.user, now)["satuan"].values())

    # Maintained as aduan change: closing some and answering others moves the counts.
    changed = list(Aduan.objects.filter(polres=polres, status=Status.BARU)[:10])
    for i, aduan in enumerate(changed):
        if i % 2:
            aduan.status = Status.SELESAI
            aduan.resolved_at = now
        else:
            aduan.first_responded_at = now
            aduan.resolution_due = now - timedelta(days=2)
        aduan.save()
    do_refresh_metrics([a.pk for a in changed])
    for officer in (kapolres, kapolda):
        assert _maintained_overdue(officer.user) == _scan_overdue(officer.user, timezone.now())


def test_kapolda_figures_from_the_polda_rows_equal_the_sums_of_its_polres(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    """A Kapolda's totals, months, categories and channels come from the Polda's own rows;
    they equal what the rows of each Polres add up to, histograms (medians) included, after
    a rebuild and after incremental refreshes."""
    from posko.metrics.dashboard import _command_figures

    received = timezone.now() - timedelta(days=40)
    made = []
    for i, tenant in enumerate([polres, other_polres] * 6):
        made.append(
            make_aduan(
                tenant,
                category=["pencurian", "narkoba", "asusila_kdrt"][i % 3],
                channel=["web", "whatsapp"][i % 2],
                received_at=received + timedelta(days=i * 3),
                first_responded_at=received + timedelta(days=i * 3, minutes=10 + 40 * i),
                resolved_at=received + timedelta(days=i * 3, hours=3 + i),
                status=Status.SELESAI if i % 4 else Status.DITANGANI,
            )
        )
    polda = polres.parent
    assert polda is not None
    ids = [polres.pk, other_polres.pk]

    def summary(figures: dict[str, Any]) -> Any:
        def row(f: Any) -> Any:
            return (f.value, dict(f.counts), f.first_median, f.resolution_p90)

        return (
            row(figures["overall"]),
            [row(f) for f in figures["months"]],
            sorted(row(f) for f in figures["categories"]),
            sorted(row(f) for f in figures["channels"]),
            figures["growing"],
        )

    do_rebuild_metrics()
    rolled_up = summary(_command_figures(ids, 12, polda.pk))
    assert rolled_up == summary(_command_figures(ids, 12, None))
    assert rolled_up[0][1]["received"] == len(made)
    for aduan in made[:5]:
        aduan.status = Status.SELESAI
        aduan.category = "narkoba"
        aduan.save()
    do_refresh_metrics([a.pk for a in made])
    assert summary(_command_figures(ids, 12, polda.pk)) == summary(_command_figures(ids, 12, None))


def test_roll_up_rows_chosen_before_labelling_equal_a_sort_of_every_labelled_row() -> None:
    """A roll-up labels only the rows that may be shown (those ahead of the last shown row's
    need and those tied with it): the rows shown and their order equal sorting every
    labelled row (by received and label, then by overdue, open and received, as before),
    ties on need and on label included."""
    import random

    from posko.metrics.command import _candidates, _first
    from posko.metrics.dashboard import label_rows
    from posko.metrics.queries import Figures

    rng = random.Random(12)
    for trial in range(300):
        n = rng.randint(0, 60)
        names = [f"Unit {rng.randint(0, 5)}" for _ in range(n)]  # duplicate labels
        labels = {str(i): names[i] for i in range(n) if rng.random() < 0.9}
        rows = [
            Figures(
                value="" if i == 0 else str(i),
                counts={"open": rng.randint(0, 2), "received": rng.randint(0, 3)},
                overdue=rng.choice([0, 0, 1, 2]),
            )
            for i in range(n)
        ]
        limit = rng.randint(1, 25)
        every = [Figures(value=r.value, counts=r.counts, overdue=r.overdue) for r in rows]
        label_rows(every, labels, "?")
        before = sorted(every, key=lambda f: (-f.counts.get("received", 0), f.label))
        before.sort(key=lambda r: (-r.overdue, -r.open, -r.received))
        candidates = _candidates(rows, limit)
        label_rows(candidates, labels, "?")
        chosen = _first(candidates, limit)
        assert [r.value for r in chosen] == [r.value for r in before[:limit]], trial
        assert [r.label for r in chosen] == [r.label for r in before[:limit]]
        assert len(candidates) <= len(rows)
        labelled = {r.value for r in rows if r.label}
        assert labelled == {r.value for r in candidates}  # only the candidates labelled
