"""Replies officers can stand behind: a public reply on a restricted aduan or on a large
(≥ the Polres's ``ReplyPolicy.approval_min_reports``) or flagged incident goes out only after
a pimpinan approves it. draft → approved → sent, or changes requested with a reason; each
transition is one audited action. Sending goes through ``do_add_message`` (so the channel
dispatch, first-response clock and audit are the usual ones)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_change
from posko.aduan.actions.common import composed_actions, lock_aduan, record_audit
from posko.aduan.audit import record_polres_audit
from posko.aduan.models import Aduan, AduanMessage, DraftState, ReplyDraft, ReplyPolicy
from posko.aduan.models.approval import DEFAULT_APPROVAL_MIN_REPORTS
from posko.core.types import AnyUser
from posko.org.models import Unit
from posko.org.permissions import (
    REPLY_APPROVER_ROLES,
    SETTINGS_ROLES,
    NotPermitted,
    authorize_in_polres,
    has_role,
)


class ReplyApprovalError(ValueError):
    pass


class ReplyNeedsApproval(ReplyApprovalError):
    """A public reply was sent directly where a pimpinan's approval is required."""

    def __init__(self) -> None:
        super().__init__(
            _("Balasan pada aduan ini memerlukan persetujuan pimpinan: simpan sebagai draf.")
        )


def approval_min_reports_of(polres_id: int) -> int:
    policy = ReplyPolicy.objects.filter(polres_id=polres_id).first()
    return policy.approval_min_reports if policy else DEFAULT_APPROVAL_MIN_REPORTS


# Bounds of the "large incident" threshold: 2 (one report is never an incident of many) to
# 1000 (beyond it the setting means "never").
MIN_APPROVAL_REPORTS, MAX_APPROVAL_REPORTS = 2, 1000


@transaction.atomic(durable=True)
def do_set_reply_policy(
    polres: Unit, *, approval_min_reports: int, acting_user: User
) -> ReplyPolicy:
    """From how many reports an incident counts as large (its public replies then need a
    pimpinan's approval); settings roles of the Polres. Audited with the value before."""
    authorize_in_polres(acting_user, SETTINGS_ROLES, polres)
    if not MIN_APPROVAL_REPORTS <= approval_min_reports <= MAX_APPROVAL_REPORTS:
        raise ReplyApprovalError(
            _("Batas insiden besar harus antara %(low)d dan %(high)d laporan.")
            % {"low": MIN_APPROVAL_REPORTS, "high": MAX_APPROVAL_REPORTS}
        )
    before = approval_min_reports_of(polres.pk)
    policy, _created = ReplyPolicy.objects.select_for_update().get_or_create(polres=polres)
    policy.approval_min_reports, policy.updated_at = approval_min_reports, timezone.now()
    policy.save(update_fields=["approval_min_reports", "updated_at"])
    record_polres_audit(
        polres,
        "reply_policy_changed",
        actor=acting_user,
        target="reply_policy",
        before=before,
        after=approval_min_reports,
    )
    return policy


def approval_required(aduan: Aduan) -> bool:
    """Whether a public reply on this aduan needs a pimpinan's approval."""
    if aduan.is_restricted:
        return True
    if aduan.incident_id is None:
        return False
    incident = aduan.incident
    if incident is not None and incident.flagged:
        return True
    reports = Aduan.objects.filter(incident_id=aduan.incident_id).count()
    return reports >= approval_min_reports_of(aduan.polres_id)


def reply_needs_approval(aduan: Aduan, user: AnyUser | None) -> bool:
    """For this author: approvers' own replies need none."""
    return approval_required(aduan) and not has_role(user, REPLY_APPROVER_ROLES)


def do_submit_reply_draft(aduan: Aduan, text: str, *, acting_user: User) -> ReplyDraft:
    """Save a public reply for approval (anyone who may change the aduan)."""
    authorize_change(acting_user, aduan)
    text = text.strip()
    if not text:
        raise ReplyApprovalError(_("Isi pesan tidak boleh kosong."))
    with transaction.atomic(durable=True):
        aduan = lock_aduan(aduan)
        draft = ReplyDraft.objects.create(aduan=aduan, text=text, author=acting_user)
        record_audit(aduan, "reply_draft_submitted", actor=acting_user, draft=draft.pk)
    return draft


def _authorize_review(draft: ReplyDraft, acting_user: User) -> None:
    authorize_change(acting_user, draft.aduan)
    authorize_in_polres(
        acting_user,
        REPLY_APPROVER_ROLES,
        draft.aduan.polres,
        _("Hanya pimpinan yang dapat menyetujui balasan."),
    )


def _lock_draft(draft: ReplyDraft, *states: str) -> ReplyDraft:
    draft = ReplyDraft.objects.select_for_update().select_related("aduan").get(pk=draft.pk)
    if draft.state not in states:
        raise ReplyApprovalError(
            _("Draf ini sudah %(state)s.") % {"state": DraftState(draft.state).label}
        )
    return draft


def do_approve_reply_draft(draft: ReplyDraft, *, acting_user: User) -> ReplyDraft:
    _authorize_review(draft, acting_user)
    with transaction.atomic(durable=True):
        draft = _lock_draft(draft, DraftState.DRAFT)
        draft.state, draft.reviewer, draft.reviewed_at = (
            DraftState.APPROVED,
            acting_user,
            timezone.now(),
        )
        draft.save(update_fields=["state", "reviewer", "reviewed_at"])
        record_audit(draft.aduan, "reply_draft_approved", actor=acting_user, draft=draft.pk)
    return draft


def do_request_reply_changes(draft: ReplyDraft, *, reason: str, acting_user: User) -> ReplyDraft:
    _authorize_review(draft, acting_user)
    reason = reason.strip()
    if not reason:
        raise ReplyApprovalError(_("Tuliskan apa yang perlu diperbaiki."))
    with transaction.atomic(durable=True):
        draft = _lock_draft(draft, DraftState.DRAFT)
        draft.state, draft.reviewer, draft.reviewed_at = (
            DraftState.CHANGES_REQUESTED,
            acting_user,
            timezone.now(),
        )
        draft.review_reason = reason[:1000]
        draft.save(update_fields=["state", "reviewer", "reviewed_at", "review_reason"])
        record_audit(
            draft.aduan,
            "reply_draft_changes_requested",
            actor=acting_user,
            draft=draft.pk,
            reason=draft.review_reason,
        )
    return draft


def do_send_approved_reply(draft: ReplyDraft, *, acting_user: User) -> AduanMessage:
    """Send an approved draft through the ordinary reply path (its author or an approver)."""
    from posko.aduan.actions.replies import do_add_message

    authorize_change(acting_user, draft.aduan)
    if draft.author_id != acting_user.pk and not has_role(acting_user, REPLY_APPROVER_ROLES):
        raise NotPermitted(_("Hanya penulis draf atau pimpinan yang dapat mengirimnya."))
    with composed_actions():
        draft = _lock_draft(draft, DraftState.APPROVED)
        message = do_add_message(
            draft.aduan, draft.text, public=True, acting_user=acting_user, approved_draft=draft
        )
        draft.state, draft.message = DraftState.SENT, message
        draft.save(update_fields=["state", "message"])
        record_audit(
            draft.aduan,
            "reply_draft_sent",
            actor=acting_user,
            draft=draft.pk,
            message=message.pk,
        )
    return message


def drafts_awaiting_approval(user: AnyUser) -> list[ReplyDraft]:
    """Drafts of the approver's Polres that they may see, oldest first."""
    from posko.aduan.access import visible_aduan

    if not has_role(user, REPLY_APPROVER_ROLES):
        return []
    seen = visible_aduan(user).values("pk")
    return list(
        ReplyDraft.objects.filter(state=DraftState.DRAFT, aduan__in=seen)
        .select_related("aduan", "author")
        .order_by("created_at", "pk")[:200]
    )
