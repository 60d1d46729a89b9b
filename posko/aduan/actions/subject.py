from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_subject
from posko.aduan.actions.common import lock_aduan, record_audit, touch
from posko.aduan.events import EventKind, emit
from posko.aduan.models import Aduan
from posko.org.models import Officer, Unit


class SubjectError(ValueError):
    pass


def do_set_complaint_subject(
    aduan: Aduan, *, unit: Unit | None, officer: Officer | None, acting_user: User
) -> Aduan:
    """Record which unit / member a restricted complaint is about. From then on they cannot see
    it, be assigned to it, or be notified about it (``access.visible_aduan``)."""
    authorize_subject(acting_user, aduan)
    if not aduan.is_restricted:
        raise SubjectError(_("Hanya aduan terbatas yang mencatat pihak yang diadukan."))
    if officer is not None and unit is None:
        unit = officer.unit
    if unit is not None and unit.polres != aduan.polres:
        raise SubjectError(_("Satuan yang diadukan bukan bagian dari Polres aduan ini."))
    if officer is not None and officer.unit_id != getattr(unit, "pk", None):
        raise SubjectError(_("Anggota yang dipilih bukan anggota satuan yang diadukan."))
    with transaction.atomic(durable=True):
        aduan = lock_aduan(aduan)
        if unit is not None and aduan.handling_unit_id == unit.pk:
            raise SubjectError(
                _("Satuan yang diadukan sedang menangani aduan ini; pindahkan penanganan dahulu.")
            )
        before = {"unit": aduan.subject_unit_id, "officer": aduan.subject_officer_id}
        aduan.subject_unit, aduan.subject_officer = unit, officer
        fields = ["subject_unit", "subject_officer"]
        if aduan.assigned_officer_id is not None and (
            aduan.assigned_officer_id == getattr(officer, "pk", None)
            or (unit is not None and aduan.assigned_officer.unit_id == unit.pk)  # type: ignore[union-attr]
        ):
            aduan.assigned_officer = None
            fields.append("assigned_officer")
        touch(aduan, *fields)
        emit(EventKind.SUBJECT_SET, aduan)
        record_audit(
            aduan,
            "subject_set",
            actor=acting_user,
            before=before,
            unit=unit.pk if unit else None,
            unit_name=unit.name if unit else None,
            officer=officer.pk if officer else None,
        )
    return aduan
