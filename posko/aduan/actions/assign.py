from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_dispatch
from posko.aduan.actions.common import action_atomic, lock_aduan, record_audit, touch
from posko.aduan.events import EventKind, emit
from posko.aduan.models import Aduan, Notification
from posko.aduan.models.choices import OPEN_STATUSES
from posko.org.models import AutoAssign, Officer, Unit


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
    with action_atomic():
        aduan = lock_aduan(aduan)
        if aduan.is_restricted and (
            unit.pk == aduan.subject_unit_id
            or (officer is not None and officer.pk == aduan.subject_officer_id)
        ):
            raise AssignmentError(
                _("Aduan terbatas tidak dapat ditugaskan kepada satuan atau anggota yang diadukan.")
            )
        auto = False
        if officer is None and unit.pk != aduan.handling_unit_id:
            officer = pick_officer(unit, exclude=_excluded_officer(aduan))
            auto = officer is not None
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
            auto=auto,
        )
        if officer is not None:
            Notification.objects.create(
                recipient=officer,
                aduan=aduan,
                text=f"Aduan {aduan.code} ditugaskan kepada Anda.",
            )
        emit(EventKind.ASSIGNED, aduan, unit=unit.pk, officer=officer.pk if officer else None)
    return aduan


def _excluded_officer(aduan: Aduan) -> int | None:
    return aduan.subject_officer_id if aduan.is_restricted else None


def pick_officer(unit: Unit, *, exclude: int | None = None) -> Officer | None:
    """Within the caller's transaction: the officer of ``unit`` that its automatic assignment
    setting chooses (``Unit.auto_assign``), or None (setting off, nobody available).

    Officers on leave are skipped, and so is anyone holding ``officer_capacity`` open aduan
    already (0: no limit). Round-robin takes the next officer after the last one chosen;
    least-open the one with the fewest open aduan (ties: the lowest id). The unit row is
    locked so two assignments at once do not pick the same turn."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.auto_assign == AutoAssign.OFF:
        return None
    officers = (
        Officer.objects.filter(unit=unit, on_leave=False, user__is_active=True)
        .exclude(pk=exclude or 0)
        .annotate(
            open_count=Count("assigned_aduan", filter=Q(assigned_aduan__status__in=OPEN_STATUSES))
        )
        .order_by("pk")
    )
    candidates = [
        o for o in officers if not unit.officer_capacity or o.open_count < unit.officer_capacity
    ]
    if not candidates:
        return None
    if unit.auto_assign == AutoAssign.LEAST_OPEN:
        chosen = min(candidates, key=lambda o: (o.open_count, o.pk))
    else:
        cursor = unit.auto_assign_cursor or 0
        chosen = next((o for o in candidates if o.pk > cursor), candidates[0])
    unit.auto_assign_cursor = chosen.pk
    unit.save(update_fields=["auto_assign_cursor"])
    return chosen
