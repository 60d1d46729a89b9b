"""The aduan endpoints: the inbox list, one aduan, staff intake, replies and status.

Reads go through the permission-scoped selectors; changes through aduan's actions, which
check the actor themselves (their typed errors become 403/404 in ``service.py``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from posko.aduan.access import (
    AduanNotFound,
    AduanPermissionDenied,
    access_aduan_by_code,
    can_intake,
    officer_of,
    record_restricted_views,
)
from posko.aduan.actions import do_add_message, do_change_status, do_submit_aduan
from posko.aduan.actions.intake import Reporter
from posko.aduan.actions.status import StatusTransitionError
from posko.aduan.inbox import InboxFilters, capped_count, inbox_page, inbox_queryset
from posko.aduan.models import Channel
from posko.aduan.models.choices import STAFF_INTAKE_CHANNELS
from posko.api.schemas import (
    AcceptedOut,
    AduanDetailOut,
    AduanIn,
    AduanListOut,
    ErrorOut,
    ReplyIn,
    StatusIn,
)
from posko.api.serializers import aduan_detail, aduan_summary
from posko.core.limits import MAX_ID, MAX_OFFSET
from posko.core.types import staff_user
from posko.org.lookup import desa_of_polres

router = Router(tags=["aduan"])

# Staff intake records reports received outside Posko; platform channels (Instagram, Telegram,
# X …) arrive through their own webhooks, where identity and deduplication are handled.
API_INTAKE_CHANNELS = frozenset({*(c.value for c in STAFF_INTAKE_CHANNELS), Channel.API.value})


# The list's count stops here (``count_capped``): never a COUNT over a Polda's whole table.
API_COUNT_CAP = 10_000


@router.get("", response={200: AduanListOut, 401: ErrorOut, 422: ErrorOut})
def list_aduan(
    request: HttpRequest,
    status: str = "terbuka",
    category: str = "",
    unit: int | None = Query(None, ge=1, le=MAX_ID),
    polsek: int | None = Query(None, ge=1, le=MAX_ID),
    desa: str = "",
    channel: str = "",
    overdue: bool = False,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """Inbox order: priority, then SLA due time. ``status`` = a status code, ``terbuka``
    (every open status, the default) or ``semua``."""
    qs = inbox_queryset(
        request.user,
        InboxFilters(
            status=status,
            category=category,
            unit=unit,
            polsek=polsek,
            desa=desa,
            channel=channel,
            overdue=overdue,
        ),
    )
    page = inbox_page(qs, offset, limit)
    record_restricted_views(request.user, page, via="api")
    count = capped_count(qs, cap=API_COUNT_CAP)
    return {
        "count": count,
        "count_capped": count >= API_COUNT_CAP,
        "items": [aduan_summary(a, request.user) for a in page],
    }


@router.get(
    "/{code}",
    response={200: AduanDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def get_aduan(request: HttpRequest, code: str) -> dict[str, Any]:
    return aduan_detail(access_aduan_by_code(request.user, code), request.user)


@router.post(
    "",
    response={
        201: AduanDetailOut,
        202: AcceptedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
    },
)
def create_aduan(request: HttpRequest, payload: AduanIn) -> Status[dict[str, Any]]:
    """Staff intake: record an aduan received by phone, SMS, walk-in or another channel.

    201 with the aduan; 202 with only its code when it is restricted and the recorder may
    not read it (e.g. a complaint about a member, routed to Propam)."""
    officer = officer_of(request.user)
    if officer is None or not can_intake(request.user):
        raise AduanPermissionDenied
    polres = officer.unit.polres
    if polres is None:
        raise HttpError(403, "Akun ini tidak terikat pada Polres.")
    if payload.channel not in Channel.values:
        raise HttpError(422, f"Kanal tidak dikenal: {payload.channel}")
    if payload.channel not in API_INTAKE_CHANNELS:
        allowed = ", ".join(sorted(API_INTAKE_CHANNELS))
        raise HttpError(
            422, f"Kanal '{payload.channel}' tidak dapat dicatat lewat API ({allowed})."
        )
    desa = desa_of_polres(polres, payload.desa_code)
    if payload.desa_code and desa is None:
        raise HttpError(422, "Desa tidak dikenal di wilayah Polres ini.")
    try:
        aduan = do_submit_aduan(
            polres,
            text=payload.text,
            channel=payload.channel,
            reporter=Reporter(
                name=payload.reporter_name,
                phone=payload.reporter_phone,
                email=payload.reporter_email,
                anonymous=payload.anonymous,
                confidential=payload.confidential,
            ),
            desa=desa,
            category=payload.category,
            latitude=payload.latitude,
            longitude=payload.longitude,
            received_at=payload.received_at,
            acting_user=staff_user(request),
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    try:
        visible = access_aduan_by_code(request.user, aduan.code, record_view=False)
    except AduanNotFound:
        message = "Aduan tercatat. Aduan ini bersifat terbatas dan diteruskan ke satuan berwenang."
        return Status(202, {"code": aduan.code, "message": message})
    return Status(201, aduan_detail(visible, request.user))


@router.post(
    "/{code}/replies",
    response={
        201: AduanDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
)
def add_reply(request: HttpRequest, code: str, payload: ReplyIn) -> Status[dict[str, Any]]:
    """A public reply to the reporter (``internal: false``) or an internal note."""
    aduan = access_aduan_by_code(request.user, code)
    try:
        do_add_message(
            aduan, payload.text, public=not payload.internal, acting_user=staff_user(request)
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    detail = aduan_detail(access_aduan_by_code(request.user, code, record_view=False), request.user)
    return Status(201, detail)


@router.post(
    "/{code}/status",
    response={
        200: AduanDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def change_status(request: HttpRequest, code: str, payload: StatusIn) -> dict[str, Any]:
    aduan = access_aduan_by_code(request.user, code)
    try:
        do_change_status(
            aduan, payload.status, reason=payload.reason, acting_user=staff_user(request)
        )
    except StatusTransitionError as exc:
        raise HttpError(409, str(exc)) from exc
    return aduan_detail(access_aduan_by_code(request.user, code, record_view=False), request.user)
