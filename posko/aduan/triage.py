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
    recent = list(
        Aduan.objects.filter(
            polres=polres,
            received_at__gte=received_at - INCIDENT_WINDOW,
            received_at__lte=received_at,
        )
        .only("id", "text", "category", "kecamatan_id", "desa_id", "received_at", "incident_id")
        .order_by("-received_at")[:300]
    )
    if not recent:
        return None
    by_key = {str(a.pk): a for a in recent}
    candidates = [
        IncidentCandidate(
            key=str(a.pk),
            text=a.text,
            category=a.category,
            kecamatan_code=a.kecamatan_id,
            desa_code=a.desa_id,
            received_at=a.received_at,
        )
        for a in recent
    ]
    key = triager_for(polres).match_incident(result, text, received_at, candidates)
    return by_key.get(key) if key else None
