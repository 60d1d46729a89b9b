from __future__ import annotations

from typing import Any

from django.utils import timezone

from posko.aduan.access import reporter_identity
from posko.aduan.models import Aduan
from posko.core.types import AnyUser


def aduan_summary(aduan: Aduan, user: AnyUser) -> dict[str, Any]:
    """The aduan as ``user`` may see it (a confidential reporter masked)."""
    reporter = reporter_identity(user, aduan)
    due = getattr(aduan, "due", None) if hasattr(aduan, "due") else aduan.current_due
    return {
        "code": aduan.code,
        "status": aduan.status,
        "category": aduan.category,
        "priority": aduan.priority,
        "tone": aduan.tone,
        "channel": aduan.channel,
        "text": aduan.text,
        "received_at": aduan.received_at,
        "kecamatan_code": aduan.kecamatan_id,
        "desa_code": aduan.desa_id,
        "desa_name": aduan.desa.name if aduan.desa else None,
        "handling_unit": aduan.handling_unit.name if aduan.handling_unit else None,
        "polsek": aduan.polsek.name if aduan.polsek else None,
        "assigned_officer": str(aduan.assigned_officer) if aduan.assigned_officer else None,
        "incident": aduan.incident_id,
        "first_response_due": aduan.first_response_due,
        "resolution_due": aduan.resolution_due,
        "first_responded_at": aduan.first_responded_at,
        "due": due,
        "overdue": bool(due and aduan.is_open and due < timezone.now()),
        "reporter": {
            "anonymous": reporter.anonymous,
            "confidential": aduan.confidential,
            "name": reporter.name,
            "phone": reporter.phone,
            "email": reporter.email,
        },
    }


def aduan_detail(aduan: Aduan, user: AnyUser) -> dict[str, Any]:
    data = aduan_summary(aduan, user)
    data["messages"] = [
        {
            "kind": m.kind,
            "text": m.text,
            "channel": m.channel,
            "author": (m.author.get_full_name() or m.author.get_username()) if m.author else None,
            "delivery_state": m.delivery_state,
            "delivery_error": m.delivery_error,
            "created_at": m.created_at,
        }
        for m in aduan.messages.select_related("author")
    ]
    data["status_history"] = [
        {
            "from_status": s.from_status,
            "to_status": s.to_status,
            "reason": s.reason,
            "created_at": s.created_at,
        }
        for s in aduan.status_changes.all()
    ]
    return data
