"""Bulk changes (one transaction, a refusal changes nothing), reply approval (draft →
approved → sent, changes requested, urgent replies) and automatic assignment inside a unit."""

from __future__ import annotations

import pytest

from posko.aduan.access import AduanPermissionDenied
from posko.aduan.actions import do_add_message, do_assign_aduan
from posko.aduan.actions.approvals import (
    ReplyApprovalError,
    ReplyNeedsApproval,
    approval_required,
    do_approve_reply_draft,
    do_request_reply_changes,
    do_send_approved_reply,
    do_submit_reply_draft,
    drafts_awaiting_approval,
)
from posko.aduan.actions.bulk import (
    BulkError,
    BulkRefused,
    do_bulk_assign,
    do_bulk_change_status,
    do_bulk_join_incident,
)
from posko.aduan.models import Aduan, AuditEvent, DraftState, Incident, MessageKind, ReplyPolicy
from posko.aduan.tests.factories import make_aduan
from posko.conftest import make_officer
from posko.org.actions.assignment import do_set_leave, do_set_unit_auto_assign
from posko.org.lookup import satuan_of
from posko.org.models import AutoAssign, Officer, Role, Unit
from posko.org.permissions import NotPermitted

pytestmark = pytest.mark.django_db


def _unit(polres: Unit, code: str) -> Unit:
    unit = satuan_of(polres, code)
    assert unit is not None
    return unit


# Bulk


def test_bulk_assign_goes_through_the_action_for_each_aduan(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduans = [make_aduan(polres, category="lalu_lintas") for _ in range(3)]
    samapta = _unit(polres, "samapta")
    assert do_bulk_assign(aduans, samapta, acting_user=officers["operator"].user) == 3
    for aduan in aduans:
        aduan.refresh_from_db()
        assert aduan.handling_unit_id == samapta.pk
        assert aduan.audit_events.filter(action="assigned").count() == 1


def test_one_refusal_makes_the_whole_bulk_fail_and_changes_nothing(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    mine = make_aduan(polres, category="lalu_lintas")  # Satlantas
    other = make_aduan(polres, category="pencurian")  # Satreskrim: satlantas does not see it
    audit_before = AuditEvent.objects.count()
    with pytest.raises(BulkRefused) as refused:
        do_bulk_change_status([mine, other], "diverifikasi", acting_user=officers["satlantas"].user)
    assert other.code in str(refused.value) and "Tidak ada aduan yang diubah" in str(refused.value)
    mine.refresh_from_db()
    assert mine.status == "baru"
    assert AuditEvent.objects.count() == audit_before
    # A petugas may not move aduan to another unit: refused on the first, nothing moved.
    with pytest.raises(BulkRefused):
        do_bulk_assign([mine], _unit(polres, "samapta"), acting_user=officers["satlantas"].user)
    mine.refresh_from_db()
    assert mine.handling_unit_id == _unit(polres, "satlantas").pk


def test_bulk_status_invalid_transition_rolls_back_the_rows_before_it(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    fine = make_aduan(polres)
    closed = make_aduan(polres, status="selesai")
    with pytest.raises(BulkError) as error:
        do_bulk_change_status([fine, closed], "diverifikasi", acting_user=officers["operator"].user)
    assert closed.code in str(error.value)
    fine.refresh_from_db()
    assert fine.status == "baru"
    assert not fine.audit_events.filter(action="status_changed").exists()


def test_bulk_join_puts_every_selected_aduan_in_one_incident(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduans = [make_aduan(polres, category="kebakaran") for _ in range(3)]
    assert do_bulk_join_incident(aduans, acting_user=officers["operator"].user) == 3
    incident_ids = {
        a.incident_id for a in type(aduans[0]).objects.filter(pk__in=[a.pk for a in aduans])
    }
    assert len(incident_ids) == 1 and None not in incident_ids
    with pytest.raises(BulkError):
        do_bulk_join_incident(aduans[:1], acting_user=officers["operator"].user)
    with pytest.raises(BulkRefused):
        do_bulk_join_incident(aduans, acting_user=officers["satlantas"].user)


# Reply approval


def _restricted(polres: Unit) -> Aduan:
    return make_aduan(
        polres,
        text="Oknum Satlantas minta uang damai",
        category="pelanggaran_anggota",
        priority="tinggi",
        subject_unit=_unit(polres, "satlantas"),
    )


def test_restricted_reply_needs_approval_then_goes_out_through_do_add_message(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = _restricted(polres)
    propam, kapolres = officers["propam"].user, officers["kapolres"].user
    assert approval_required(aduan)
    with pytest.raises(ReplyNeedsApproval):
        do_add_message(aduan, "Laporan Anda kami tindak lanjuti.", public=True, acting_user=propam)
    assert not aduan.messages.filter(kind=MessageKind.PUBLIC_REPLY).exists()
    # An internal note needs no approval.
    do_add_message(aduan, "catatan", public=False, acting_user=propam)

    draft = do_submit_reply_draft(aduan, "Laporan Anda kami tindak lanjuti.", acting_user=propam)
    assert drafts_awaiting_approval(kapolres) == [draft]
    assert drafts_awaiting_approval(propam) == []  # not an approver
    assert drafts_awaiting_approval(officers["operator"].user) == []
    with pytest.raises(ReplyApprovalError):  # not approved yet
        do_send_approved_reply(draft, acting_user=propam)
    with pytest.raises(NotPermitted):
        do_approve_reply_draft(draft, acting_user=propam)
    do_approve_reply_draft(draft, acting_user=kapolres)
    message = do_send_approved_reply(draft, acting_user=propam)
    draft.refresh_from_db()
    assert draft.state == DraftState.SENT and draft.message_id == message.pk
    assert message.kind == MessageKind.PUBLIC_REPLY and message.author == propam
    actions = list(aduan.audit_events.values_list("action", flat=True))
    for kind in (
        "reply_draft_submitted",
        "reply_draft_approved",
        "reply_added",
        "reply_draft_sent",
    ):
        assert actions.count(kind) == 1, kind
    with pytest.raises(ReplyApprovalError):  # sent once only
        do_send_approved_reply(draft, acting_user=propam)


def test_changes_requested_need_a_reason_and_block_sending(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = _restricted(polres)
    draft = do_submit_reply_draft(aduan, "Sabar ya.", acting_user=officers["propam"].user)
    kapolres = officers["kapolres"].user
    with pytest.raises(ReplyApprovalError):
        do_request_reply_changes(draft, reason="  ", acting_user=kapolres)
    do_request_reply_changes(draft, reason="Sebutkan kode lacak.", acting_user=kapolres)
    draft.refresh_from_db()
    assert draft.state == DraftState.CHANGES_REQUESTED and draft.review_reason
    with pytest.raises(ReplyApprovalError):
        do_approve_reply_draft(draft, acting_user=kapolres)
    with pytest.raises(ReplyApprovalError):
        do_send_approved_reply(draft, acting_user=officers["propam"].user)
    assert aduan.audit_events.filter(action="reply_draft_changes_requested").count() == 1


def test_urgent_safety_reply_only_by_the_declared_roles(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = _restricted(polres)
    message = do_add_message(
        aduan,
        "Segera menjauh dari lokasi, petugas menuju.",
        public=True,
        urgent=True,
        acting_user=officers["propam"].user,
    )
    assert aduan.audit_events.get(action="reply_added", data__message=message.pk).data["urgent"]
    # The approver's own reply needs no approval.
    do_add_message(aduan, "Kami tangani.", public=True, acting_user=officers["kapolres"].user)
    lantas = make_aduan(polres, category="lalu_lintas")
    Incident.objects.create(polres=polres, category="lalu_lintas", flagged=True)
    lantas.incident = Incident.objects.get()
    lantas.save()
    with pytest.raises(NotPermitted):
        do_add_message(
            lantas, "Menjauh.", public=True, urgent=True, acting_user=officers["satlantas"].user
        )


def test_large_incident_threshold_is_the_polres_policy(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    incident = Incident.objects.create(polres=polres, category="kebakaran")
    reports = [make_aduan(polres, category="kebakaran", incident=incident) for _ in range(3)]
    assert not approval_required(reports[0])  # default: 5 reports
    ReplyPolicy.objects.create(polres=polres, approval_min_reports=3)
    assert approval_required(reports[0])
    with pytest.raises(ReplyNeedsApproval):
        do_add_message(
            reports[0], "Api sudah padam.", public=True, acting_user=officers["operator"].user
        )
    assert not approval_required(make_aduan(polres, category="kebakaran"))


# Automatic assignment inside a unit


def _crew(polres: Unit) -> tuple[Unit, list[Officer]]:
    samapta = _unit(polres, "samapta")
    crew = [make_officer(f"samapta{i}", Role.PETUGAS, samapta) for i in range(3)]
    return samapta, crew


def test_round_robin_skips_officers_on_leave_and_at_capacity(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    samapta, crew = _crew(polres)
    members = list(Officer.objects.filter(unit=samapta).order_by("pk"))  # incl. fixture's head
    admin = officers["admin"].user
    do_set_unit_auto_assign(samapta, mode=AutoAssign.ROUND_ROBIN, capacity=2, acting_user=admin)
    do_set_leave(crew[1], on_leave=True, acting_user=crew[1].user)
    available = [o for o in members if o.pk != crew[1].pk]
    chosen = []
    for _ in range(len(available) * 2 + 1):
        aduan = make_aduan(polres, category="lalu_lintas")
        do_assign_aduan(aduan, samapta, acting_user=officers["operator"].user)
        aduan.refresh_from_db()
        chosen.append(aduan.assigned_officer_id)
    turns = [o.pk for o in available]
    assert chosen[: len(turns) * 2] == turns + turns  # in turn, never the one on leave
    assert chosen[-1] is None  # everyone holds two open aduan: none chosen
    audit = AuditEvent.objects.filter(action="assigned").order_by("pk").first()
    assert audit is not None and audit.data["auto"] is True


def test_least_open_picks_the_lightest_load_and_manual_choice_wins(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    samapta, crew = _crew(polres)
    do_set_unit_auto_assign(
        samapta, mode=AutoAssign.LEAST_OPEN, capacity=0, acting_user=officers["kapolres"].user
    )
    members = list(Officer.objects.filter(unit=samapta).order_by("pk"))
    for officer in members[:-1]:
        make_aduan(polres, handling_unit=samapta, assigned_officer=officer)
    aduan = make_aduan(polres, category="lalu_lintas")
    do_assign_aduan(aduan, samapta, acting_user=officers["operator"].user)
    aduan.refresh_from_db()
    assert aduan.assigned_officer_id == members[-1].pk
    other = make_aduan(polres, category="lalu_lintas")
    do_assign_aduan(other, samapta, officer=crew[0], acting_user=officers["operator"].user)
    other.refresh_from_db()
    assert other.assigned_officer_id == crew[0].pk


def test_assignment_settings_and_leave_are_permission_checked(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    samapta, crew = _crew(polres)
    with pytest.raises(NotPermitted):
        do_set_unit_auto_assign(
            samapta, mode="round_robin", capacity=1, acting_user=officers["operator"].user
        )
    with pytest.raises(ValueError):
        do_set_unit_auto_assign(
            samapta, mode="lottery", capacity=1, acting_user=officers["admin"].user
        )
    with pytest.raises(NotPermitted):  # another officer's leave: not theirs, not their head
        do_set_leave(crew[0], on_leave=True, acting_user=officers["satlantas"].user)
    do_set_leave(crew[0], on_leave=True, acting_user=officers["samapta"].user)  # the unit head
    crew[0].refresh_from_db()
    assert crew[0].on_leave
    assert AuditEvent.objects.filter(action="officer_leave_changed").count() == 1
    assert isinstance(AduanPermissionDenied(), NotPermitted)
