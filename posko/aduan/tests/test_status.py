"""The aduan status machine (``choices.TRANSITIONS``) through ``do_change_status``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any
from unittest import mock

import pytest
import time_machine

from posko.aduan.actions import do_add_message, do_change_status
from posko.aduan.actions.status import StatusTransitionError
from posko.aduan.models import Aduan, AuditEvent, Status, StatusChange
from posko.aduan.models.choices import TRANSITIONS
from posko.aduan.tests.factories import make_aduan
from posko.conftest import make_officer
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Role, Unit

B, V, T, S, X, D = (
    Status.BARU,
    Status.DIVERIFIKASI,
    Status.DITANGANI,
    Status.SELESAI,
    Status.DITOLAK,
    Status.DIALIHKAN,
)
# The life cycle as the product describes it; closed aduan can only be reopened to ditangani.
EXPECTED_ALLOWED = {
    (B, V), (B, T), (B, X), (B, D),
    (V, T), (V, S), (V, X), (V, D),
    (T, S), (T, X), (T, D),
    (S, T), (X, T), (D, T),
}  # fmt: skip
ALL_PAIRS = list(product(list(Status), repeat=2))
CLOSED = {S, X, D}

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def operator(polres: Unit) -> Officer:
    # One Polres and one officer are enough here (the full ``officers`` set loads two).
    humas = satuan_of(polres, "humas")
    assert humas is not None
    return make_officer("operator", Role.OPERATOR, humas)


def _aduan_in(polres: Unit, status: str) -> Aduan:
    extra: dict[str, Any] = {}
    if status in CLOSED:
        extra = {"resolved_at": START, "first_responded_at": START}
    return make_aduan(polres, status=status, received_at=START, **extra)


def test_transition_table_is_the_documented_machine() -> None:
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == EXPECTED_ALLOWED
    assert set(TRANSITIONS) == set(Status)


@pytest.mark.parametrize(
    ("old", "new"),
    sorted(EXPECTED_ALLOWED),
    ids=[f"{a}->{b}" for a, b in sorted(EXPECTED_ALLOWED)],
)
def test_allowed_transition_is_saved_with_history_and_audit(
    polres: Unit, operator: Officer, old: str, new: str
) -> None:
    aduan = _aduan_in(polres, old)
    user = operator.user
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        result = do_change_status(aduan, new, reason="  Alasan untuk pelapor  ", acting_user=user)

    aduan.refresh_from_db()
    assert aduan.status == new == result.status
    assert aduan.updated_at == START + timedelta(hours=1)
    change = StatusChange.objects.filter(aduan=aduan).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.reason, change.actor) == (
        old,
        new,
        "Alasan untuk pelapor",
        user,
    )
    audit = AuditEvent.objects.get(aduan=aduan, action="status_changed")
    assert audit.actor == user
    assert audit.data == {"before": old, "after": new, "reason": "Alasan untuk pelapor"}


@pytest.mark.parametrize(
    ("old", "new"),
    [p for p in ALL_PAIRS if p not in EXPECTED_ALLOWED],
    ids=[f"{a}->{b}" for a, b in ALL_PAIRS if (a, b) not in EXPECTED_ALLOWED],
)
def test_forbidden_transition_changes_nothing(
    polres: Unit, operator: Officer, old: str, new: str
) -> None:
    aduan = _aduan_in(polres, old)
    before = Aduan.objects.values().get(pk=aduan.pk)
    with pytest.raises(StatusTransitionError, match="Status tidak dapat diubah"):
        do_change_status(aduan, new, reason="alasan", acting_user=operator.user)
    assert Aduan.objects.values().get(pk=aduan.pk) == before
    assert StatusChange.objects.filter(aduan=aduan).count() == 1  # only the initial "baru"
    assert not AuditEvent.objects.filter(aduan=aduan).exists()


def test_unknown_status_code_is_refused(polres: Unit, operator: Officer) -> None:
    aduan = _aduan_in(polres, B)
    with pytest.raises(StatusTransitionError):
        do_change_status(aduan, "diarsipkan", acting_user=operator.user)
    aduan.refresh_from_db()
    assert aduan.status == B


@pytest.mark.parametrize(
    ("old", "new"),
    [(B, X), (B, D), (V, X), (T, D), (S, T), (X, T), (D, T)],
    ids=lambda s: str(s),
)
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_reason_is_required_to_refuse_forward_or_reopen(
    polres: Unit, operator: Officer, old: str, new: str, reason: str
) -> None:
    aduan = _aduan_in(polres, old)
    with pytest.raises(StatusTransitionError, match="Alasan wajib diisi"):
        do_change_status(aduan, new, reason=reason, acting_user=operator.user)
    aduan.refresh_from_db()
    assert aduan.status == old
    assert StatusChange.objects.filter(aduan=aduan).count() == 1
    assert not AuditEvent.objects.filter(aduan=aduan).exists()


@pytest.mark.parametrize(("old", "new"), [(B, V), (B, T), (V, S), (T, S)])
def test_ordinary_progress_needs_no_reason(
    polres: Unit, operator: Officer, old: str, new: str
) -> None:
    aduan = _aduan_in(polres, old)
    do_change_status(aduan, new, acting_user=operator.user)
    aduan.refresh_from_db()
    assert aduan.status == new
    assert StatusChange.objects.filter(aduan=aduan).last().reason == ""  # type: ignore[union-attr]


def test_clocks_through_a_whole_life_cycle(polres: Unit, operator: Officer) -> None:
    user = operator.user
    aduan = make_aduan(polres, received_at=START)
    assert aduan.first_responded_at is None and aduan.resolved_at is None

    def at(minutes: int, new: str, reason: str = "") -> Aduan:
        with time_machine.travel(START + timedelta(minutes=minutes), tick=False):
            do_change_status(aduan, new, reason=reason, acting_user=user)
        aduan.refresh_from_db()
        return aduan

    # The first status change is the first response (the reporter sees it when tracking).
    at(5, V)
    assert aduan.first_responded_at == START + timedelta(minutes=5)
    assert aduan.resolved_at is None
    at(60, T)
    assert aduan.first_responded_at == START + timedelta(minutes=5)  # not moved again
    at(120, S)
    assert aduan.resolved_at == START + timedelta(minutes=120)
    assert not aduan.is_open and aduan.current_due is None
    # Reopened: the resolution clock is running again.
    at(180, T, reason="Pelapor menyampaikan masalah terulang")
    assert aduan.resolved_at is None
    assert aduan.is_open and aduan.current_due == aduan.resolution_due
    at(240, S)
    assert aduan.resolved_at == START + timedelta(minutes=240)
    assert aduan.first_responded_at == START + timedelta(minutes=5)

    history = list(StatusChange.objects.filter(aduan=aduan).values_list("from_status", "to_status"))
    assert history == [("", B), (B, V), (V, T), (T, S), (S, T), (T, S)]
    assert AuditEvent.objects.filter(aduan=aduan, action="status_changed").count() == 5


def test_refusal_is_a_first_response_but_not_a_resolution(polres: Unit, operator: Officer) -> None:
    aduan = make_aduan(polres, received_at=START)
    with time_machine.travel(START + timedelta(minutes=30), tick=False):
        do_change_status(aduan, X, reason="Bukan wewenang Polri", acting_user=operator.user)
    aduan.refresh_from_db()
    assert aduan.first_responded_at == START + timedelta(minutes=30)
    assert aduan.resolved_at is None
    assert not aduan.is_open


def test_earlier_public_reply_keeps_its_first_response_time(
    polres: Unit, operator: Officer
) -> None:
    aduan = make_aduan(polres, received_at=START)
    with time_machine.travel(START + timedelta(minutes=3), tick=False):
        do_add_message(aduan, "Laporan diterima, kami cek.", public=True, acting_user=operator.user)
    with time_machine.travel(START + timedelta(minutes=50), tick=False):
        do_change_status(aduan, T, acting_user=operator.user)
    aduan.refresh_from_db()
    assert aduan.first_responded_at == START + timedelta(minutes=3)


def test_transition_is_checked_against_the_database_not_a_stale_object(
    polres: Unit, operator: Officer
) -> None:
    aduan = make_aduan(polres, received_at=START)
    stale = Aduan.objects.get(pk=aduan.pk)
    do_change_status(aduan, T, acting_user=operator.user)
    do_change_status(aduan, S, acting_user=operator.user)
    assert stale.status == B
    # baru → diverifikasi would be allowed for the stale copy; selesai → diverifikasi is not.
    with pytest.raises(StatusTransitionError):
        do_change_status(stale, V, acting_user=operator.user)
    aduan.refresh_from_db()
    assert aduan.status == S


@pytest.mark.django_db(transaction=True)
def test_failure_inside_the_transaction_saves_nothing(polres: Unit, operator: Officer) -> None:
    aduan = make_aduan(polres, received_at=START)
    before = Aduan.objects.values().get(pk=aduan.pk)
    with (
        mock.patch(
            "posko.aduan.actions.status.record_audit", side_effect=RuntimeError("disk penuh")
        ),
        pytest.raises(RuntimeError),
    ):
        do_change_status(aduan, T, acting_user=operator.user)
    assert Aduan.objects.values().get(pk=aduan.pk) == before
    assert StatusChange.objects.filter(aduan=aduan).count() == 1
    assert not AuditEvent.objects.filter(aduan=aduan).exists()
