"""Tenant isolation with three Polres: two under Polda Kepulauan Bangka Belitung, a third
(onboarded here) under Polda Kepulauan Riau. Officers of each Polres see only their own aduan,
incidents, metrics, inbox counts and API lists; the Kapolda sees the Polres of the Polda, the
Mabes staff all of them; no detail of a restricted aduan crosses a Polres boundary (the
roll-ups count them, nothing more)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from posko.aduan.access import (
    AduanNotFound,
    access_aduan_by_code,
    visible_aduan,
    visible_incidents,
)
from posko.aduan.actions.onboarding import do_onboard_polres
from posko.aduan.inbox import inbox_counts
from posko.aduan.models import Aduan, Incident
from posko.aduan.tests.factories import make_aduan
from posko.api.actions import do_create_api_token
from posko.conftest import PASSWORD, make_officer
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Role, Unit

pytestmark = pytest.mark.django_db


@dataclass
class Tenant:
    polres: Unit
    operator: Officer
    kapolres: Officer
    public: list[Aduan] = field(default_factory=list)
    restricted: list[Aduan] = field(default_factory=list)
    incident: Incident | None = None

    @property
    def codes(self) -> set[str]:
        return {a.code for a in self.public}


def _tenant(polres: Unit, tag: str, n_public: int) -> Tenant:
    humas = satuan_of(polres, "humas")
    assert humas is not None
    tenant = Tenant(
        polres,
        make_officer(f"operator.{tag}", Role.OPERATOR, humas),
        make_officer(f"kapolres.{tag}", Role.PIMPINAN, polres),
    )
    incident = Incident.objects.create(polres=polres, category="pencurian")
    for i in range(n_public):
        tenant.public.append(
            make_aduan(polres, category="pencurian", incident=incident if i < 2 else None)
        )
    tenant.restricted = [
        make_aduan(polres, category="pelanggaran_anggota", text=f"Oknum {tag} minta uang"),
        make_aduan(polres, category="asusila_kdrt", text=f"KDRT di {tag}"),
    ]
    tenant.incident = incident
    return tenant


@pytest.fixture
def world(polres: Unit, other_polres: Unit) -> dict[str, Any]:
    batam = do_onboard_polres("21.71", "BTM", "Polresta Barelang", "Polda Kepulauan Riau")
    tenants = [_tenant(polres, "blt", 3), _tenant(other_polres, "blg", 4), _tenant(batam, "btm", 5)]
    do_rebuild_metrics()
    assert polres.parent is not None and batam.parent is not None
    assert polres.parent.parent is not None
    return {
        "tenants": tenants,
        "kapolda": make_officer("kapolda", Role.PIMPINAN, polres.parent),
        "kapolda_kepri": make_officer("kapolda.kepri", Role.PIMPINAN, batam.parent),
        "mabes": make_officer("mabes", Role.AUDITOR, polres.parent.parent),
    }


def _api(officer: Officer, path: str) -> Any:
    token = do_create_api_token(officer.user)
    response = Client().get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    return response.json()


def _console(officer: Officer, path: str) -> tuple[int, str]:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    response = client.get(path)
    return response.status_code, response.content.decode()


def _visible_codes(officer: Officer) -> set[str]:
    return set(visible_aduan(officer.user).values_list("code", flat=True))


def test_officers_of_each_polres_see_only_their_own(world: dict[str, Any]) -> None:
    tenants: list[Tenant] = world["tenants"]
    for tenant in tenants:
        others = [t for t in tenants if t is not tenant]
        other_codes = set().union(*(t.codes for t in others))
        other_restricted = {a.code for t in others for a in t.restricted}
        own_restricted = {a.code for a in tenant.restricted}

        assert _visible_codes(tenant.operator) == tenant.codes
        assert _visible_codes(tenant.kapolres) == tenant.codes | own_restricted
        assert set(visible_incidents(tenant.operator.user)) == {tenant.incident}
        counts = inbox_counts(tenant.operator.user)
        assert counts["open"] == len(tenant.public)
        assert inbox_counts(tenant.kapolres.user)["open"] == len(tenant.public) + 2

        listed = {i["code"] for i in _api(tenant.kapolres, "/aduan?status=semua")["items"]}
        assert listed == tenant.codes | own_restricted
        for code in other_codes | other_restricted:
            with pytest.raises(AduanNotFound):
                access_aduan_by_code(tenant.kapolres.user, code)

        summary = _api(tenant.kapolres, "/metrics/summary")
        assert summary["polres"] == [tenant.polres.code_prefix]
        assert summary["total"]["received"] == len(tenant.public) + 2
        per_polres = _api(tenant.kapolres, "/metrics/polres")["items"]
        assert [i["value"] for i in per_polres] == [tenant.polres.code_prefix]

        status, html = _console(tenant.operator, "/posko/")
        assert status == 200
        assert all(code in html for code in tenant.codes)
        assert not any(code in html for code in other_codes | other_restricted)
        status, html = _console(tenant.kapolres, "/posko/komando/")
        assert status == 200
        assert not any(t.polres.name + "<" in html for t in others)


def test_polda_sees_its_polres_and_mabes_all_restricted_never(world: dict[str, Any]) -> None:
    blt, blg, btm = world["tenants"]
    restricted = {a.code for t in (blt, blg, btm) for a in t.restricted}
    scopes = {
        "kapolda": [blt, blg],
        "kapolda_kepri": [btm],
        "mabes": [blt, blg, btm],
    }
    for name, seen in scopes.items():
        officer: Officer = world[name]
        codes = set().union(*(t.codes for t in seen))
        # Aduan: the Polres's public aduan, never a restricted one (counts only).
        assert _visible_codes(officer) == codes, name
        listed = {i["code"] for i in _api(officer, "/aduan?status=semua")["items"]}
        assert listed == codes, name
        assert inbox_counts(officer.user)["open"] == len(codes)
        assert set(visible_incidents(officer.user)) == {t.incident for t in seen}
        for code in restricted:
            with pytest.raises(AduanNotFound):
                access_aduan_by_code(officer.user, code)
            # The console's aduan pages are for officers of a Polres (403 above it).
            assert _console(officer, f"/posko/aduan/{code}/")[0] in (403, 404)
        # The roll-up: one row per Polres of the scope, restricted aduan counted.
        items = _api(officer, "/metrics/polres")["items"]
        assert sorted(i["value"] for i in items) == sorted(t.polres.code_prefix for t in seen)
        for item in items:
            tenant = next(t for t in seen if t.polres.code_prefix == item["value"])
            assert item["received"] == len(tenant.public) + 2
        summary = _api(officer, "/metrics/summary")
        assert summary["total"]["received"] == sum(len(t.public) + 2 for t in seen)
        status, html = _console(officer, "/posko/komando/")
        assert status == 200
        for tenant in (blt, blg, btm):
            if tenant not in seen:
                assert tenant.polres.name not in html
            elif len(seen) > 1:
                assert tenant.polres.name + "<" in html  # a row of the comparison table
        status, html = _console(officer, "/posko/?status=semua")
        assert status == 403
        assert not any(code in html for code in restricted)
        assert not any(a.text in html for t in (blt, blg, btm) for a in t.restricted)


def test_a_roll_up_lists_the_units_that_need_attention_first(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above a Polres the satuan, Polsek and officer tables are capped (a Polda of 30 Polres
    has about 1,500 such rows): the rows with the most overdue, then open, aduan come first."""
    from posko.metrics import command

    blt = world["tenants"][0]
    monkeypatch.setattr(command, "ROLLUP_ROWS", 1)
    status, html = _console(world["kapolda"], "/posko/komando/")
    assert status == 200
    satuan = html.split("Per satuan", 1)[1].split("Per Polsek", 1)[0]
    assert satuan.count('<th scope="row">') == 1
    assert 'data-testid="rollup-note"' in satuan and "1 dari " in satuan
    assert "Satreskrim" in satuan  # the satuan holding the open aduan, not an idle one
    status, html = _console(blt.kapolres, "/posko/komando/")
    assert 'data-testid="rollup-note"' not in html  # one Polres: every row
