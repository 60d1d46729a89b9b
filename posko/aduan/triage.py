"""The bridge between the Django models and the pure-Python triage engine (``posko.triage``)."""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from posko.aduan.models import Aduan
from posko.org.models import Unit
from posko.triage import IncidentCandidate, TriageInput, TriageResult
from posko.triage_store.loader import triager_for

# How far back an incoming report is compared with earlier ones for the same incident.
INCIDENT_WINDOW = timedelta(hours=12)
# At most this many of the most recent reports in the window are compared.
INCIDENT_CANDIDATES = 300
# Texts and receipt times kept in this process (a few windows' worth of candidates).
TEXT_CACHE = 5000

# An aduan's text and receipt time by id, with its tracking code. All three are written once,
# when the aduan is created (``do_submit_aduan``), and never changed, so a kept entry cannot go
# stale: which aduan are candidates, and their category, place and incident (which later
# actions change), are read from the database for every report, with the code; only the two
# written-once fields, the bulk of the read (the text) and its slowest column to convert (a
# timestamp), come from here, and only when the code read matches the one kept (SQLite may
# give the id of a rolled-back aduan to the next one; its random code differs).
_texts: OrderedDict[int, tuple[str, str, datetime]] = OrderedDict()


def triage_text(
    polres: Unit, text: str, *, channel: str | None, received_at: datetime
) -> TriageResult:
    return triager_for(polres).classify(
        TriageInput(id="aduan", text=text, channel=channel, received_at=received_at)
    )


def remember_text(aduan: Aduan) -> None:
    """Keep the written-once fields of an aduan just saved (it may still roll back: an entry
    is only used for an id and code the database lists as a candidate)."""
    at = aduan.received_at
    _texts[aduan.pk] = (aduan.code, aduan.text, at.astimezone(UTC) if at.tzinfo else at)
    _trim_texts()


def _trim_texts() -> None:
    """The oldest kept entries dropped past TEXT_CACHE."""
    while len(_texts) > TEXT_CACHE:
        _texts.popitem(last=False)


def _texts_of(rows: list[tuple[int, str]]) -> dict[int, tuple[str, datetime]]:
    """(text, received_at) by id for these (id, code) pairs."""
    found: dict[int, tuple[str, datetime]] = {}
    missing = []
    for pk, code in rows:
        kept = _texts.get(pk)
        if kept is not None and kept[0] == code:
            found[pk] = kept[1:]
        else:
            missing.append(pk)
    if missing:
        read = Aduan.objects.filter(pk__in=missing).values_list("id", "code", "text", "received_at")
        for pk, code, body, at in read:
            _texts[pk] = (code, body, at)
            found[pk] = (body, at)
        _trim_texts()
    return found


def find_incident_peer(
    polres: Unit, result: TriageResult, text: str, received_at: datetime
) -> Aduan | None:
    """The most recent earlier aduan that describes the same event, if any."""
    # plain rows, not model instances, and without the written-once text and time (``_texts``)
    recent = list(
        Aduan.objects.filter(
            polres=polres,
            received_at__gte=received_at - INCIDENT_WINDOW,
            received_at__lte=received_at,
        )
        .order_by("-received_at")
        .values_list("id", "code", "category", "kecamatan_id", "desa_id", "incident_id")[
            :INCIDENT_CANDIDATES
        ]
    )
    if not recent:
        return None
    texts = _texts_of([(row[0], row[1]) for row in recent])
    candidates = [
        IncidentCandidate(
            key=str(pk),
            text=texts[pk][0],
            category=category,
            kecamatan_code=kecamatan_id,
            desa_code=desa_id,
            received_at=texts[pk][1],
        )
        for pk, _code, category, kecamatan_id, desa_id, _ in recent
        if pk in texts  # an aduan deleted meanwhile is no candidate
    ]
    key = triager_for(polres).match_incident(result, text, received_at, candidates)
    if key is None:
        return None
    pk, _code, category, kecamatan_id, desa_id, incident_id = next(
        r for r in recent if str(r[0]) == key
    )
    body, at = texts[pk]
    read = {
        "id": pk,
        "text": body,
        "category": category,
        "kecamatan_id": kecamatan_id,
        "desa_id": desa_id,
        "received_at": at,
        "incident_id": incident_id,
    }
    # as ``.only(*read)`` would have read it (``from_db`` takes the values in field order)
    names = [f.attname for f in Aduan._meta.concrete_fields if f.attname in read]
    return Aduan.from_db(Aduan.objects.db, names, [read[name] for name in names])
