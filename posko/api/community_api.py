"""``/api/v1/programmes`` and ``/api/v1/events``: the Polres's community programmes (Polisi
Sahabat Masyarakat, ronda, school seminars, bakti sosial, Jumat Curhat, sambang) and their
events, readable by every officer of the Polres (they are announced in public anyway);
aspirations and tips are not part of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from posko.api.schemas import ErrorOut
from posko.core.limits import MAX_ID, MAX_OFFSET
from posko.org.lookup import polres_units
from posko.org.permissions import officer_of
from posko.publishing.models import Programme, ProgrammeEvent

router = Router(tags=["program kemitraan"])


class ProgrammeOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    description: str
    is_active: bool
    events: int


class EventOut(Schema):
    id: int
    programme_id: int
    programme: str
    kind: str
    title: str
    place: str
    desa_code: str | None
    desa: str | None
    starts_at: datetime
    ends_at: datetime | None
    state: str
    post_id: int | None


class EventListOut(Schema):
    count: int
    results: list[EventOut]


class ProgrammeDetailOut(ProgrammeOut):
    upcoming: list[EventOut]


def _programmes(request: HttpRequest) -> QuerySet[Programme]:
    officer = officer_of(request.user)
    if officer is None:
        return Programme.objects.none()
    return Programme.objects.filter(polres__in=polres_units(officer.unit))


def _events(request: HttpRequest) -> QuerySet[ProgrammeEvent]:
    return ProgrammeEvent.objects.filter(programme__in=_programmes(request)).select_related(
        "programme", "desa"
    )


def _programme_out(p: Programme, events: int) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "kind_label": str(p.get_kind_display()),
        "name": p.name,
        "description": p.description,
        "is_active": p.is_active,
        "events": events,
    }


def _event_out(e: ProgrammeEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "programme_id": e.programme_id,
        "programme": e.programme.name,
        "kind": e.programme.kind,
        "title": e.title,
        "place": e.place,
        "desa_code": e.desa.code if e.desa else None,
        "desa": e.desa.name if e.desa else None,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "state": e.state,
        "post_id": e.post_id,
    }


@router.get("/programmes", response={200: list[ProgrammeOut], 401: ErrorOut})
def list_programmes(request: HttpRequest) -> list[dict[str, Any]]:
    rows = _programmes(request).annotate(n_events=Count("events")).order_by("kind", "name")
    return [_programme_out(p, p.n_events) for p in rows[:500]]


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def get_programme(
    request: HttpRequest, programme_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    programme = _programmes(request).filter(pk=programme_id).first()
    if programme is None:
        raise HttpError(404, "Program tidak ditemukan.")
    events = _events(request).filter(programme=programme).order_by("starts_at")
    return {
        **_programme_out(programme, events.count()),
        "upcoming": [_event_out(e) for e in events.filter(state="planned")[:100]],
    }


@router.get("/events", response={200: EventListOut, 401: ErrorOut, 422: ErrorOut})
def list_events(
    request: HttpRequest,
    programme: int | None = Query(None, ge=1, le=MAX_ID),
    kind: str = Query("", max_length=20),
    desa: str = Query("", max_length=20, pattern=r"^[0-9.]*$"),
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """Events in time order, filtered by programme, programme kind, desa code or time."""
    qs = _events(request).order_by("starts_at", "id")
    if programme is not None:
        qs = qs.filter(programme_id=programme)
    if kind:
        qs = qs.filter(programme__kind=kind)
    if desa:
        qs = qs.filter(desa__code=desa)
    if starts_after is not None:
        qs = qs.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        qs = qs.filter(starts_at__lt=starts_before)
    return {"count": qs.count(), "results": [_event_out(e) for e in qs[offset : offset + limit]]}


@router.get(
    "/events/{event_id}", response={200: EventOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def get_event(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    event = _events(request).filter(pk=event_id).first()
    if event is None:
        raise HttpError(404, "Kegiatan tidak ditemukan.")
    return _event_out(event)
