"""Automatic assignment inside a unit: the unit's setting and officers' leave."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posko.core import audit_port
from posko.org.models import AutoAssign, Officer, Unit
from posko.org.permissions import SETTINGS_ROLES, NotPermitted, authorize_in_polres, officer_of

KINDS = {
    "unit_auto_assign_changed": gettext_lazy("Penugasan otomatis satuan diubah"),
    "officer_leave_changed": gettext_lazy("Status cuti personel diubah"),
}


def register_audit_kinds() -> None:
    audit_port.register_kinds(KINDS)


class AssignmentSettingError(ValueError):
    pass


@transaction.atomic(durable=True)
def do_set_unit_auto_assign(unit: Unit, *, mode: str, capacity: int, acting_user: User) -> Unit:
    """Off, round-robin or least-open, with a capacity per officer (0: none); settings roles
    of the unit's Polres."""
    polres = unit.polres
    if polres is None:
        raise AssignmentSettingError(_("Satuan ini tidak berada di bawah Polres."))
    authorize_in_polres(acting_user, SETTINGS_ROLES, polres)
    if mode not in AutoAssign.values:
        raise AssignmentSettingError(_("Cara penugasan otomatis tidak dikenal."))
    if not 0 <= capacity <= 500:
        raise AssignmentSettingError(_("Kapasitas harus antara 0 dan 500."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = {"mode": unit.auto_assign, "capacity": unit.officer_capacity}
    unit.auto_assign, unit.officer_capacity = mode, capacity
    unit.save(update_fields=["auto_assign", "officer_capacity"])
    audit_port.record_change(
        polres,
        "unit_auto_assign_changed",
        actor=acting_user,
        target=f"unit:{unit.pk}",
        before=before,
        mode=mode,
        capacity=capacity,
    )
    return unit


@transaction.atomic(durable=True)
def do_set_leave(officer: Officer, *, on_leave: bool, acting_user: User) -> Officer:
    """An officer marks their own leave; the head of their unit or a settings role of the
    Polres may mark it for them. Officers on leave get no automatic assignments."""
    actor = officer_of(acting_user)
    if actor is None:
        raise NotPermitted()
    own = actor.pk == officer.pk
    head = actor.is_unit_head and actor.unit_id == officer.unit_id
    polres = officer.unit.polres
    if not (own or head):
        if polres is None:
            raise NotPermitted()
        authorize_in_polres(acting_user, SETTINGS_ROLES, polres)
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    officer.on_leave = on_leave
    officer.save(update_fields=["on_leave"])
    audit_port.record_change(
        polres,
        "officer_leave_changed",
        actor=acting_user,
        target=f"officer:{officer.pk}",
        on_leave=on_leave,
    )
    return officer
