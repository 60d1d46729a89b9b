"""The bridge between the Django models and the pure-Python triage engine (``posko.triage``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from posko.aduan.models import Aduan
from posko.org.models import Unit
from posko.triage import IncidentCandidate, TriageInput, TriageResult
from posko.triage_store.loader import triager_for

# How far back an incoming report is compared with earlier ones for the same incident.
INCIDENT_WINDOW = timedelta(hours=12)


def triage_text(
    polres: Unit, text: str, *, channel: str | None, received_at: datetime
) -> TriageResult:
    return triager_for(polres).classify(
        TriageInput(id="aduan", text=text, channel=channel, received_at=received_at)
    )


def find_incident_peer(
    polres: Unit, result: TriageResult, text: str, received_at: datetime
) -> Aduan | None:
    """The most recent earlier aduan that describes the same event, if any."""
    # plain rows, not model instances: up to 300 of them are read for every new report
    fields = ("id", "text", "category", "kecamatan_id", "desa_id", "received_at", "incident_id")
    recent = list(
        Aduan.objects.filter(
            polres=polres,
            received_at__gte=received_at - INCIDENT_WINDOW,
            received_at__lte=received_at,
        )
        .order_by("-received_at")
        .values_list(*fields)[:300]
    )
    if not recent:
        return None
    candidates = [
        IncidentCandidate(
            key=str(pk),
            text=body,
            category=category,
            kecamatan_code=kecamatan_id,
            desa_code=desa_id,
            received_at=at,
        )
        for pk, body, category, kecamatan_id, desa_id, at, _ in recent
    ]
    key = triager_for(polres).match_incident(result, text, received_at, candidates)
    if key is None:
        return None
    row = next(r for r in recent if str(r[0]) == key)
    return Aduan.from_db(Aduan.objects.db, fields, row)  # as ``.only(*fields)`` would have read it
