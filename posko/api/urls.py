"""JSON API v1 (django-ninja): bearer-token auth, scoped exactly like the console."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from posko.aduan.access import (
    AduanNotFound,
    AduanPermissionDenied,
    access_aduan_by_code,
    can_intake,
    officer_of,
    record_restricted_views,
    require_change,
)
from posko.aduan.actions import do_add_message, do_change_status, do_submit_aduan
from posko.aduan.actions.intake import Reporter
from posko.aduan.actions.status import StatusTransitionError
from posko.aduan.inbox import InboxFilters, capped_count, inbox_queryset
from posko.aduan.models import Channel
from posko.aduan.models.choices import STAFF_INTAKE_CHANNELS
from posko.api.models import ApiToken, hash_token
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
from posko.regions.models import Region, RegionLevel

# Staff intake records reports received outside Posko; platform channels (Instagram, Telegram,
# X …) arrive through their own webhooks, where identity and deduplication are handled.
API_INTAKE_CHANNELS = frozenset({*(c.value for c in STAFF_INTAKE_CHANNELS), Channel.API.value})


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="Posko API",
    version="1",
    description="API Posko untuk aplikasi internal Polres. Semua data dibatasi sesuai "
    "hak akses pemilik token, sama seperti konsol.",
    auth=TokenAuth(),
    urls_namespace="api",
)


def _error(request: HttpRequest, message: str, status: int, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"message": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, "Token tidak valid atau tidak ada.", 401)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, "Data tidak valid.", 422, errors=exc.errors)


@api.exception_handler(AduanNotFound)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, "Aduan tidak ditemukan.", 404)


@api.exception_handler(AduanPermissionDenied)
def on_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, "Anda tidak berwenang melakukan tindakan ini.", 403)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc.message), exc.status_code)


# The list's count stops here (``count_capped``): never a COUNT over a Polda's whole table.
API_COUNT_CAP = 10_000


@api.get("/aduan", response={200: AduanListOut, 401: ErrorOut, 422: ErrorOut}, tags=["aduan"])
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
    page = list(qs[offset : offset + limit])
    record_restricted_views(request.user, page, via="api")
    count = capped_count(qs, cap=API_COUNT_CAP)
    return {
        "count": count,
        "count_capped": count >= API_COUNT_CAP,
        "items": [aduan_summary(a) for a in page],
    }


@api.get(
    "/aduan/{code}",
    response={200: AduanDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["aduan"],
)
def get_aduan(request: HttpRequest, code: str) -> dict[str, Any]:
    return aduan_detail(access_aduan_by_code(request.user, code))


@api.post(
    "/aduan",
    response={
        201: AduanDetailOut,
        202: AcceptedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
    },
    tags=["aduan"],
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
    desa = None
    if payload.desa_code:
        desa = Region.objects.filter(
            code=payload.desa_code,
            level=RegionLevel.DESA,
            code__startswith=f"{polres.region_id}.",
        ).first()
        if desa is None:
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
    return Status(201, aduan_detail(visible))


@api.post(
    "/aduan/{code}/replies",
    response={
        201: AduanDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    tags=["aduan"],
)
def add_reply(request: HttpRequest, code: str, payload: ReplyIn) -> Status[dict[str, Any]]:
    """A public reply to the reporter (``internal: false``) or an internal note."""
    aduan = access_aduan_by_code(request.user, code)
    require_change(request.user, aduan)
    try:
        do_add_message(
            aduan, payload.text, public=not payload.internal, acting_user=staff_user(request)
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    detail = aduan_detail(access_aduan_by_code(request.user, code, record_view=False))
    return Status(201, detail)


@api.post(
    "/aduan/{code}/status",
    response={
        200: AduanDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    tags=["aduan"],
)
def change_status(request: HttpRequest, code: str, payload: StatusIn) -> dict[str, Any]:
    aduan = access_aduan_by_code(request.user, code)
    require_change(request.user, aduan)
    try:
        do_change_status(
            aduan, payload.status, reason=payload.reason, acting_user=staff_user(request)
        )
    except StatusTransitionError as exc:
        raise HttpError(409, str(exc)) from exc
    return aduan_detail(access_aduan_by_code(request.user, code, record_view=False))


# Publishing (posko/api/publishing_api.py).
from posko.api.publishing_api import router as posts_router  # noqa: E402

api.add_router("/posts", posts_router)

# The metrics layer's endpoints (posko/metrics/api.py).
from posko.metrics.api import router as metrics_router  # noqa: E402

api.add_router("/metrics/", metrics_router)
