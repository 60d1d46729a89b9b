from __future__ import annotations

from django.utils import timezone

from posko.aduan.audit import record_audit as record_audit
from posko.aduan.models import Aduan
from posko.core.outbox import enqueue_with_transaction


def lock_aduan(aduan: Aduan) -> Aduan:
    """Re-read the aduan under a row lock inside the current transaction."""
    return Aduan.objects.select_for_update().get(pk=aduan.pk)


def touch(aduan: Aduan, *fields: str) -> None:
    aduan.updated_at = timezone.now()
    aduan.save(update_fields=[*fields, "updated_at"])


def schedule_sla_checks(aduan: Aduan) -> None:
    """Enqueue (with the transaction) the escalation checks for the aduan's current due times."""
    from posko.aduan.tasks import check_sla_deadline

    first_due, resolution_due, pk = aduan.first_response_due, aduan.resolution_due, aduan.pk

    def enqueue() -> None:
        if first_due is not None:
            check_sla_deadline.using(run_after=first_due).enqueue(
                pk, "first_response", first_due.isoformat()
            )
        if resolution_due is not None:
            check_sla_deadline.using(run_after=resolution_due).enqueue(
                pk, "resolution", resolution_due.isoformat()
            )

    enqueue_with_transaction(enqueue)
