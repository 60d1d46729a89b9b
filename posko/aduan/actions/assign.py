from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_dispatch
from posko.aduan.actions.common import lock_aduan, record_audit, touch
from posko.aduan.events import EventKind, emit
from posko.aduan.models import Aduan, Notification
from posko.org.models import Officer, Unit


class AssignmentError(ValueError):
    pass


def do_assign_aduan(
    aduan: Aduan,
    unit: Unit,
    *,
    officer: Officer | None = None,
    acting_user: User,
) -> Aduan:
    """Hand the aduan to a unit of the same Polres (and optionally one of its officers).
    Another unit than the current one: dispatch roles only."""
    authorize_dispatch(acting_user, aduan, unit)
    if unit.polres != aduan.polres:
        raise AssignmentError(_("Satuan tujuan bukan bagian dari Polres aduan ini."))
    if officer is not None and officer.unit_id != unit.pk:
        raise AssignmentError(_("Petugas yang dipilih bukan anggota satuan tujuan."))
    with transaction.atomic(durable=True):
        aduan = lock_aduan(aduan)
        if aduan.is_restricted and (
            unit.pk == aduan.subject_unit_id
            or (officer is not None and officer.pk == aduan.subject_officer_id)
        ):
            raise AssignmentError(
                _("Aduan terbatas tidak dapat ditugaskan kepada satuan atau anggota yang diadukan.")
            )
        before = {"unit": aduan.handling_unit_id, "officer": aduan.assigned_officer_id}
        aduan.handling_unit = unit
        aduan.assigned_officer = officer
        touch(aduan, "handling_unit", "assigned_officer")
        record_audit(
            aduan,
            "assigned",
            actor=acting_user,
            before=before,
            unit=unit.pk,
            unit_name=unit.name,
            officer=officer.pk if officer else None,
            officer_name=str(officer) if officer else None,
        )
        if officer is not None:
            Notification.objects.create(
                recipient=officer,
                aduan=aduan,
                text=f"Aduan {aduan.code} ditugaskan kepada Anda.",
            )
        emit(EventKind.ASSIGNED, aduan, unit=unit.pk, officer=officer.pk if officer else None)
    return aduan
