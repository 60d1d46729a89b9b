"""Test data builders for aduan in a precise state (fields the triage would not choose).

Tests that exercise intake itself go through ``do_submit_aduan``; these builders only set up
the starting state for permission, inbox and status tests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from posko.aduan.codes import new_tracking_code
from posko.aduan.models import Aduan, AduanMessage, MessageKind, StatusChange
from posko.aduan.models.choices import PRIORITY_RANK, Status
from posko.aduan.routing import route
from posko.aduan.sla import due_times
from posko.org.models import Officer, Unit, UnitKind
from posko.regions.models import Region

ROUTE = object()  # sentinel: use the default routing for the category


def polsek_named(polres: Unit, kecamatan_name: str) -> Unit:
    return Unit.objects.get(parent=polres, kind=UnitKind.POLSEK, name=f"Polsek {kecamatan_name}")


def make_aduan(
    polres: Unit,
    *,
    text: str = "Laporan uji coba untuk pengujian",
    category: str = "pencurian",
    priority: str = "sedang",
    tone: str = "netral",
    channel: str = "web",
    desa: str | None = None,
    handling_unit: Any = ROUTE,
    polsek: Any = ROUTE,
    assigned_officer: Officer | None = None,
    subject_unit: Unit | None = None,
    subject_officer: Officer | None = None,
    status: str = Status.BARU,
    received_at: datetime | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    **extra: Any,
) -> Aduan:
    received_at = received_at or timezone.now()
    desa_region = Region.objects.get(code=desa) if desa else None
    kecamatan = desa_region.parent if desa_region else None
    routed_unit, routed_polsek = route(polres, category, priority, kecamatan)
    first_due, resolution_due = due_times(polres, priority, received_at)
    aduan = Aduan.objects.create(
        polres=polres,
        code=new_tracking_code(polres.code_prefix),
        channel=channel,
        received_at=received_at,
        anonymous=not reporter_name,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        text=text,
        desa=desa_region,
        kecamatan=kecamatan,
        category=category,
        priority=priority,
        priority_rank=PRIORITY_RANK[priority],
        tone=tone,
        handling_unit=routed_unit if handling_unit is ROUTE else handling_unit,
        polsek=routed_polsek if polsek is ROUTE else polsek,
        assigned_officer=assigned_officer,
        subject_unit=subject_unit,
        subject_officer=subject_officer,
        status=status,
        first_response_due=first_due,
        resolution_due=resolution_due,
        created_at=received_at,
        updated_at=received_at,
        **extra,
    )
    AduanMessage.objects.create(
        aduan=aduan, kind=MessageKind.INCOMING, text=text, channel=channel, created_at=received_at
    )
    StatusChange.objects.create(aduan=aduan, to_status=Status.BARU, created_at=received_at)
    return aduan
