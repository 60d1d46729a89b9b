from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_change
from posko.aduan.actions.common import action_atomic, lock_aduan, record_audit, touch
from posko.aduan.events import EventKind, emit
from posko.aduan.models import Aduan, StatusChange
from posko.aduan.models.choices import REASON_REQUIRED, TRANSITIONS, Status


class StatusTransitionError(ValueError):
    pass


def do_change_status(
    aduan: Aduan, new_status: str, *, reason: str = "", acting_user: User
) -> Aduan:
    """Move the aduan through the status machine (``choices.TRANSITIONS``).

    ``ditolak``/``dialihkan`` and reopening a closed aduan need a reason; the reason is shown
    to the reporter on the tracking page.
    """
    authorize_change(acting_user, aduan)
    return _change_status(aduan, new_status, reason=reason, actor=acting_user)


def do_reopen_for_reporter(aduan: Aduan, *, reason: str) -> Aduan:
    """The reporter says a selesai aduan is not solved (satisfaction answer on the tracking
    page, which proved they hold its code): back to ditangani, recorded without an actor."""
    if aduan.status != Status.SELESAI:
        raise StatusTransitionError(_("Hanya aduan yang selesai yang dapat dibuka kembali."))
    return _change_status(aduan, Status.DITANGANI, reason=reason, actor=None)


def _change_status(aduan: Aduan, new_status: str, *, reason: str, actor: User | None) -> Aduan:
    acting_user = actor
    reason = reason.strip()
    with action_atomic():
        aduan = lock_aduan(aduan)
        old = aduan.status
        if new_status not in TRANSITIONS.get(old, frozenset()):
            raise StatusTransitionError(
                _("Status tidak dapat diubah dari '%(old)s' ke '%(new)s'.")
                % {"old": Status(old).label, "new": new_status}
            )
        reopening = old in (Status.SELESAI, Status.DITOLAK, Status.DIALIHKAN)
        if (new_status in REASON_REQUIRED or reopening) and not reason:
            raise StatusTransitionError(_("Alasan wajib diisi untuk perubahan status ini."))
        now = timezone.now()
        aduan.status = new_status
        fields = ["status"]
        if aduan.first_responded_at is None:
            aduan.first_responded_at = now
            fields.append("first_responded_at")
        if new_status == Status.SELESAI:
            aduan.resolved_at = now
            fields.append("resolved_at")
        elif reopening:
            aduan.resolved_at = None
            fields.append("resolved_at")
        touch(aduan, *fields)
        StatusChange.objects.create(
            aduan=aduan, from_status=old, to_status=new_status, reason=reason, actor=acting_user
        )
        record_audit(
            aduan,
            "status_changed",
            actor=acting_user,
            before=old,
            after=new_status,
            reason=reason,
        )
        emit(EventKind.STATUS_CHANGED, aduan, old=old, new=new_status, reason=reason)
    return aduan
