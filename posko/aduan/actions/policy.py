from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_configure
from posko.aduan.audit import record_polres_audit
from posko.aduan.models import ServiceHours, SlaPolicy
from posko.aduan.models.choices import Priority
from posko.org.models import Unit


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class SlaTarget:
    first_response_minutes: int
    resolution_minutes: int
    working_hours_only: bool = False


@dataclass(frozen=True)
class Hours:
    opens_at: time
    closes_at: time
    saturday_open: bool = False
    observe_cuti_bersama: bool = True


@transaction.atomic(durable=True)
def do_update_sla_settings(
    polres: Unit, *, targets: dict[str, SlaTarget], hours: Hours, acting_user: User
) -> None:
    """Replace the Polres's SLA targets and service hours. Applies to aduan received from now
    on; the due times of existing aduan are kept. Audited with the values before and after."""
    authorize_configure(acting_user, polres)
    before = _current_settings(polres)
    if set(targets) != set(Priority.values):
        raise PolicyError(_("Target SLA harus diisi untuk setiap prioritas."))
    for priority, target in targets.items():
        if target.first_response_minutes < 1 or target.resolution_minutes < 1:
            raise PolicyError(
                _("Target prioritas %(priority)s harus lebih dari 0 menit.")
                % {"priority": priority}
            )
        if target.resolution_minutes < target.first_response_minutes:
            raise PolicyError(
                _(
                    "Target penyelesaian prioritas %(priority)s tidak boleh lebih singkat dari "
                    "target respons pertama."
                )
                % {"priority": priority}
            )
    if hours.closes_at <= hours.opens_at:
        raise PolicyError(_("Jam tutup harus setelah jam buka."))
    now = timezone.now()
    for priority, target in targets.items():
        SlaPolicy.objects.update_or_create(
            polres=polres,
            priority=priority,
            defaults={
                "first_response_minutes": target.first_response_minutes,
                "resolution_minutes": target.resolution_minutes,
                "working_hours_only": target.working_hours_only,
                "updated_at": now,
            },
        )
    ServiceHours.objects.update_or_create(
        polres=polres,
        defaults={
            "opens_at": hours.opens_at,
            "closes_at": hours.closes_at,
            "saturday_open": hours.saturday_open,
            "observe_cuti_bersama": hours.observe_cuti_bersama,
            "updated_at": now,
        },
    )
    record_polres_audit(
        polres,
        "sla_settings_changed",
        actor=acting_user,
        target="sla_policy",
        before=before,
        after=_current_settings(polres),
    )


def _current_settings(polres: Unit) -> dict[str, Any]:
    targets = {
        p.priority: [p.first_response_minutes, p.resolution_minutes, p.working_hours_only]
        for p in SlaPolicy.objects.filter(polres=polres)
    }
    hours = ServiceHours.objects.filter(polres=polres).first()
    return {
        "targets": targets,
        "hours": [
            hours.opens_at.isoformat(timespec="minutes"),
            hours.closes_at.isoformat(timespec="minutes"),
            hours.saturday_open,
            hours.observe_cuti_bersama,
        ]
        if hours is not None
        else None,
    }
