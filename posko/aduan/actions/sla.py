from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from posko.aduan import events
from posko.aduan.access import visible_aduan
from posko.aduan.actions.common import record_audit
from posko.aduan.models import Aduan, AuditEvent, Notification
from posko.org.models import Officer, Role

SLA_KINDS = ("first_response", "resolution")


def do_check_sla_deadline(
    aduan_id: int, kind: str, due_iso: str, *, then: Callable[[], None] | None = None
) -> str:
    """Run at an SLA due time: if the clock is still running, escalate to the head of the
    handling unit and to the Kapolres. Returns what happened (for the task result).

    ``due_iso`` is the due time the check was scheduled for; if the due time has since moved
    (priority corrected) this check is stale and does nothing — a fresh one was scheduled.
    ``then`` runs inside the check's transaction, whatever its outcome (the next clock's check
    is enqueued there: ``do_check_sla_clocks``).
    """
    if kind not in SLA_KINDS:
        raise ValueError(f"unknown SLA kind {kind!r}")
    with transaction.atomic(durable=True):
        outcome = _check_deadline(aduan_id, kind, due_iso)
        if then is not None:
            then()
    return outcome


def _check_deadline(aduan_id: int, kind: str, due_iso: str) -> str:
    due = datetime.fromisoformat(due_iso)
    aduan = Aduan.objects.select_for_update().filter(pk=aduan_id).first()
    if aduan is None:
        return "missing"
    current_due = aduan.first_response_due if kind == "first_response" else aduan.resolution_due
    if current_due != due:
        return "stale"
    if not aduan.is_open:
        return "closed"
    if kind == "first_response" and aduan.first_responded_at is not None:
        return "met"
    if timezone.now() < due:
        return "early"
    already = AuditEvent.objects.filter(
        aduan=aduan, action="escalated", data__kind=kind, data__due=due_iso
    )
    if already.exists():
        return "duplicate"
    candidates = list(
        Officer.objects.filter(unit=aduan.handling_unit, is_unit_head=True).select_related("user")
        if aduan.handling_unit_id
        else []
    ) + list(Officer.objects.filter(unit=aduan.polres, role=Role.PIMPINAN).select_related("user"))
    # The operators who run the Polres's inbox must hear of overdue aduan too.
    candidates += list(
        Officer.objects.filter(
            role=Role.OPERATOR, unit__in=[aduan.polres, *aduan.polres.children.all()]
        ).select_related("user")
    )
    # Only officers who may see the aduan: a restricted complaint is never announced to
    # the unit or officer it is about.
    recipients = [
        o
        for o in {o.pk: o for o in candidates}.values()
        if visible_aduan(o.user).filter(pk=aduan.pk).exists()
    ]
    label = "respons pertama" if kind == "first_response" else "penyelesaian"
    for officer in recipients:
        Notification.objects.create(
            recipient=officer,
            aduan=aduan,
            text=f"Aduan {aduan.code} melewati batas {label} (prioritas {aduan.priority}).",
        )
    aduan.escalated_at = timezone.now()
    aduan.save(update_fields=["escalated_at"])
    events.emit(events.EventKind.ESCALATED, aduan)
    record_audit(
        aduan,
        "escalated",
        actor=None,
        kind=kind,
        due=due_iso,
        notified=sorted(o.pk for o in recipients),
    )
    return "escalated"


def do_check_sla_clocks(
    aduan_id: int, first_response_due: str | None, resolution_due: str | None
) -> str:
    """The one SLA task of an aduan (``schedule_sla_checks``): check the earliest of its clocks
    and, in the transaction of that check, enqueue the task again for the clocks left, at the
    earliest of their due times. One task per aduan instead of one per clock."""
    from posko.aduan.actions.common import enqueue_sla_clocks

    given = {"first_response": first_response_due, "resolution": resolution_due}
    clocks = sorted(
        (datetime.fromisoformat(iso), kind) for kind, iso in given.items() if iso is not None
    )
    if not clocks:
        return "nothing to check"
    kind = clocks[0][1]
    rest = {k: given[k] for _, k in clocks[1:]}

    def next_clocks() -> None:
        if rest:
            enqueue_sla_clocks(aduan_id, rest.get("first_response"), rest.get("resolution"))

    iso = given[kind]
    assert iso is not None
    try:
        outcome = do_check_sla_deadline(aduan_id, kind, iso, then=next_clocks)
    except Exception:
        # The failed check rolled back its transaction, and with it the enqueue of the later
        # clocks: enqueue them on their own, so one failing check never silences the next
        # clock. The failure itself stays visible as the task's error (no retry here).
        with transaction.atomic():
            next_clocks()
        raise
    return f"{kind}: {outcome}"
