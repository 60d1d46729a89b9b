"""The work settings pages: automatic assignment per unit (with officers' leave) and the
reply-approval threshold — through their actions, audited, refused for other roles, clear
Indonesian errors, nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from posko.aduan.actions.approvals import approval_min_reports_of
from posko.aduan.models import AuditEvent, ReplyPolicy
from posko.conftest import PASSWORD
from posko.org.lookup import satuan_of
from posko.org.models import AutoAssign, Officer, Unit

pytestmark = pytest.mark.django_db

ASSIGN = "/posko/pengaturan/penugasan/"
POLICY = "/posko/pengaturan/persetujuan-balasan/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _sat(polres: Unit, code: str) -> Unit:
    unit = satuan_of(polres, code)
    assert unit is not None
    return unit


def _post_unit(client: Client, unit: Unit, mode: str, capacity: str) -> Any:
    return client.post(
        ASSIGN,
        {"unit": unit.pk, f"u{unit.pk}-mode": mode, f"u{unit.pk}-capacity": capacity},
    )


@pytest.mark.parametrize("username", ["admin", "kapolres"])
def test_settings_roles_set_a_units_automatic_assignment(
    polres: Unit, officers: dict[str, Officer], username: str
) -> None:
    samapta = _sat(polres, "samapta")
    client = _client(username)
    page = client.get(ASSIGN)
    assert page.status_code == 200
    assert "Samapta" in page.content.decode() and 'data-testid="officer-leave"' in (
        page.content.decode()
    )
    response = _post_unit(client, samapta, AutoAssign.LEAST_OPEN, "3")
    assert response.status_code == 302
    samapta.refresh_from_db()
    assert (samapta.auto_assign, samapta.officer_capacity) == (AutoAssign.LEAST_OPEN, 3)
    event = AuditEvent.objects.get(action="unit_auto_assign_changed")
    assert event.actor == officers[username].user and event.target == f"unit:{samapta.pk}"
    followed = client.get(ASSIGN).content.decode()
    assert "Penugasan otomatis Samapta disimpan." in followed


@pytest.mark.parametrize(
    ("mode", "capacity", "message"),
    [
        ("least_open", "-1", "Kapasitas tidak boleh kurang dari 0."),
        ("least_open", "501", "Kapasitas paling banyak 500."),
        ("least_open", "dua", "Kapasitas harus berupa bilangan bulat."),
        ("least_open", "", "Isi kapasitas (0 berarti tanpa batas)."),
        ("acak", "2", "Pilih salah satu cara penugasan yang tersedia."),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_is_saved(
    polres: Unit, officers: dict[str, Officer], mode: str, capacity: str, message: str
) -> None:
    samapta = _sat(polres, "samapta")
    response = _post_unit(_client("admin"), samapta, mode, capacity)
    assert response.status_code == 400
    assert message in response.content.decode()
    samapta.refresh_from_db()
    assert (samapta.auto_assign, samapta.officer_capacity) == (AutoAssign.OFF, 0)
    assert not AuditEvent.objects.filter(action="unit_auto_assign_changed").exists()


def test_one_units_save_leaves_the_other_units_untouched(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    samapta, satlantas = _sat(polres, "samapta"), _sat(polres, "satlantas")
    client = _client("admin")
    # Another unit's fields posted along with a bad value are not saved either.
    response = client.post(
        ASSIGN,
        {
            "unit": samapta.pk,
            f"u{samapta.pk}-mode": "round_robin",
            f"u{samapta.pk}-capacity": "-5",
            f"u{satlantas.pk}-mode": "round_robin",
            f"u{satlantas.pk}-capacity": "2",
        },
    )
    assert response.status_code == 400
    for unit in (samapta, satlantas):
        unit.refresh_from_db()
        assert unit.auto_assign == AutoAssign.OFF


@pytest.mark.parametrize("username", ["operator", "satlantas", "propam", "bhabin.gantung"])
def test_other_roles_may_not_open_or_post(
    polres: Unit, officers: dict[str, Officer], username: str
) -> None:
    samapta = _sat(polres, "samapta")
    client = _client(username)
    assert client.get(ASSIGN).status_code == 403
    assert _post_unit(client, samapta, AutoAssign.ROUND_ROBIN, "1").status_code == 403
    assert client.get(POLICY).status_code == 403
    assert client.post(POLICY, {"approval_min_reports": "9"}).status_code == 403
    samapta.refresh_from_db()
    assert samapta.auto_assign == AutoAssign.OFF
    assert not ReplyPolicy.objects.exists()


def test_a_unit_of_another_polres_is_not_found(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    theirs = _sat(other_polres, "samapta")
    assert _post_unit(_client("admin"), theirs, AutoAssign.ROUND_ROBIN, "1").status_code == 404
    theirs.refresh_from_db()
    assert theirs.auto_assign == AutoAssign.OFF


def test_admin_marks_an_officers_leave_and_back(polres: Unit, officers: dict[str, Officer]) -> None:
    ppa = officers["ppa"]
    client = _client("admin")
    url = f"/posko/pengaturan/penugasan/cuti/{ppa.pk}/"
    assert client.post(url, {"on_leave": "1"}).status_code == 302
    ppa.refresh_from_db()
    assert ppa.on_leave
    assert "cuti" in client.get(ASSIGN).content.decode()
    assert client.post(url, {"on_leave": "0"}).status_code == 302
    ppa.refresh_from_db()
    assert not ppa.on_leave
    assert AuditEvent.objects.filter(action="officer_leave_changed").count() == 2
    # An officer of another Polres is not listed nor reachable.
    other = officers["other_operator"]
    assert (
        client.post(f"/posko/pengaturan/penugasan/cuti/{other.pk}/", {"on_leave": "1"}).status_code
        == 404
    )
    # A plain officer may not mark a colleague.
    assert _client("satreskrim").post(url, {"on_leave": "1"}).status_code == 403
    ppa.refresh_from_db()
    assert not ppa.on_leave


@pytest.mark.parametrize("username", ["admin", "kapolres"])
def test_settings_roles_set_the_large_incident_threshold(
    polres: Unit, officers: dict[str, Officer], username: str
) -> None:
    client = _client(username)
    page = client.get(POLICY).content.decode()
    assert 'value="5"' in page  # the default
    assert "Pimpinan" in page and "Operator Humas/PID" in page  # who may approve / send urgent
    assert client.post(POLICY, {"approval_min_reports": "8"}).status_code == 302
    assert approval_min_reports_of(polres.pk) == 8
    event = AuditEvent.objects.get(action="reply_policy_changed")
    assert event.actor == officers[username].user
    assert (event.data["before"], event.data["after"]) == (5, 8)
    assert 'value="8"' in client.get(POLICY).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", "Paling sedikit 2 laporan."),
        ("1001", "Paling banyak 1000 laporan."),
        ("lima", "Jumlah laporan harus berupa bilangan bulat."),
        ("", "Isi jumlah laporan."),
    ],
)
def test_bad_threshold_is_refused_in_indonesian(
    polres: Unit, officers: dict[str, Officer], value: str, message: str
) -> None:
    response = _client("admin").post(POLICY, {"approval_min_reports": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReplyPolicy.objects.exists()
    assert not AuditEvent.objects.filter(action="reply_policy_changed").exists()


def test_the_action_refuses_out_of_range_values_itself(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    from posko.aduan.actions.approvals import ReplyApprovalError, do_set_reply_policy
    from posko.org.permissions import NotPermitted

    with pytest.raises(ReplyApprovalError, match="antara 2 dan 1000"):
        do_set_reply_policy(polres, approval_min_reports=1, acting_user=officers["admin"].user)
    with pytest.raises(NotPermitted):
        do_set_reply_policy(polres, approval_min_reports=9, acting_user=officers["operator"].user)
    with pytest.raises(NotPermitted):  # an admin of another Polres
        do_set_reply_policy(
            polres, approval_min_reports=9, acting_user=officers["other_operator"].user
        )
    assert not ReplyPolicy.objects.exists()
