"""Ronda shift swaps: a resident on a coming shift asks to hand it to someone else (from the
pos's page, with their own number); the shift's coordinator — or a publishing officer —
approves (the member is replaced on the roster) or rejects it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.audit import record_polres_audit
from posko.org.permissions import NotPermitted, officer_of
from posko.publishing.access import can_compose
from posko.publishing.actions.common import PostError
from posko.publishing.actions.subscribers import normalize_phone
from posko.publishing.models import RondaMember, RondaSwapRequest, RondaSwapState


def do_request_swap(
    token: str, phone: str, *, replacement_name: str, replacement_phone: str, reason: str = ""
) -> RondaSwapRequest:
    """From the resident (no login): their next shift at this pos that has not begun."""
    address = normalize_phone(phone)
    replacement = normalize_phone(replacement_phone)
    name = replacement_name.strip()
    if not name or len(name) > 120:
        raise PostError(_("Isi nama warga pengganti."))
    if replacement == address:
        raise PostError(_("Pengganti harus warga lain."))
    with transaction.atomic():
        member = (
            RondaMember.objects.select_for_update()
            .select_related("shift__post")
            .filter(shift__post__token=token, phone=address, shift__starts_at__gt=timezone.now())
            .order_by("shift__starts_at")
            .first()
        )
        if member is None:
            raise PostError(_("Nomor ini tidak terjadwal jaga di pos ini."))
        if member.swaps.filter(state=RondaSwapState.PENDING).exists():
            raise PostError(_("Permintaan tukar jaga Anda masih menunggu koordinator."))
        swap = RondaSwapRequest.objects.create(
            member=member,
            replacement_name=name,
            replacement_phone=replacement,
            reason=reason.strip()[:300],
        )
        record_polres_audit(
            member.shift.post.polres,
            "community_swap_requested",
            actor=None,
            target=f"ronda_swap:{swap.pk}",
        )
    return swap


def may_decide(user: User, swap: RondaSwapRequest) -> bool:
    shift = swap.member.shift
    officer = officer_of(user)
    if officer is None or officer.unit.polres != shift.post.polres:
        return False
    return can_compose(user) or (
        shift.coordinator_id is not None and officer.pk == shift.coordinator_id
    )


def do_decide_swap(swap: RondaSwapRequest, *, approve: bool, acting_user: User) -> RondaSwapRequest:
    if not may_decide(acting_user, swap):
        raise NotPermitted(_("Hanya koordinator jaga yang memutuskan tukar jaga."))
    with transaction.atomic():
        locked = RondaSwapRequest.objects.select_for_update().get(pk=swap.pk)
        if locked.state != RondaSwapState.PENDING:
            raise PostError(_("Permintaan ini sudah diputuskan."))
        member = (
            RondaMember.objects.select_for_update()
            .select_related("shift__post")
            .get(pk=locked.member_id)
        )
        if approve:
            if member.shift.starts_at <= timezone.now():
                raise PostError(_("Jaga sudah dimulai: tukar jaga tidak dapat disetujui lagi."))
            member.name, member.phone = locked.replacement_name, locked.replacement_phone
            member.checked_in_at = None
            try:
                with transaction.atomic():
                    member.save(update_fields=["name", "phone", "checked_in_at"])
            except IntegrityError as exc:
                raise PostError(_("Warga pengganti sudah terjadwal di jaga yang sama.")) from exc
        locked.state = RondaSwapState.APPROVED if approve else RondaSwapState.REJECTED
        locked.decided_by, locked.decided_at = acting_user, timezone.now()
        locked.save(update_fields=["state", "decided_by", "decided_at"])
        record_polres_audit(
            member.shift.post.polres,
            "community_swap_decided",
            actor=acting_user,
            target=f"ronda_swap:{locked.pk}",
            after=locked.state,
        )
    return locked
