"""The GeoReport v2 server at /open311/v2/. Public GETs never show personal data (no reporter,
no text, no coordinates: only the service, status, handling unit and desa) and never list a
restricted aduan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from posko.aduan.models import Aduan
from posko.aduan.models.choices import OPEN_STATUSES, RESTRICTED_CATEGORIES, Status
from posko.open311.actions.requests import do_submit_open311_request
from posko.open311.catalogue import Service, service_by_code, service_for_aduan, services_of
from posko.open311.models import Open311Key, Open311Request, hash_key
from posko.open311.render import FORMATS, Open311Error, render
from posko.open311.validation import parse_datetime, parse_request
from posko.org.lookup import get_polres_by_prefix
from posko.org.models import Unit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00+07:00"
MAX_SPAN = timedelta(days=90)
MAX_REQUESTS = 1000

View = Callable[..., HttpResponse]


def open311_view(view: View) -> View:
    """Check the format and turn ``Open311Error`` into the spec's error body."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            if fmt not in FORMATS:
                raise Open311Error(404, f"format tidak didukung: {fmt}")
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return exc.response(fmt)

    return wrapper


def rfc3339(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(microsecond=0).isoformat()


def jurisdiction(request: HttpRequest) -> Unit:
    """The Polres named by ``jurisdiction_id`` (its prefix, e.g. ``BLT``); the deployment's
    default Polres when absent."""
    params = request.POST if request.method == "POST" else request.GET
    prefix = params.get("jurisdiction_id", "").strip() or settings.POSKO_DEFAULT_POLRES
    polres = get_polres_by_prefix(prefix)
    if polres is None:
        raise Open311Error(404, f"jurisdiction_id tidak dikenal: {prefix}")
    return polres


@require_http_methods(["GET"])
@open311_view
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    endpoints = [
        {
            "specification": SPECIFICATION,
            "url": url,
            "changeset": CHANGESET,
            "type": kind,
            "formats": ["text/xml", "application/json"],
        }
        for url, kind in ((base, "production"), (settings.POSKO_OPEN311_TEST_URL or base, "test"))
    ]
    payload = {
        "changeset": CHANGESET,
        "contact": settings.POSKO_OPEN311_CONTACT,
        "key_service": settings.POSKO_OPEN311_KEY_SERVICE,
        "endpoints": endpoints,
    }
    return render(fmt, "discovery", payload)


@require_http_methods(["GET"])
@open311_view
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    polres = jurisdiction(request)
    return render(fmt, "services", [s.as_list_item() for s in services_of(polres)])


@require_http_methods(["GET"])
@open311_view
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    polres = jurisdiction(request)
    service = service_by_code(polres, code)
    if service is None:
        raise Open311Error(404, f"service_code tidak dikenal: {code}")
    return render(fmt, "service_definition", service.definition())


def public_requests(polres: Unit) -> QuerySet[Aduan]:
    return (
        Aduan.objects.filter(polres=polres)
        .exclude(category__in=RESTRICTED_CATEGORIES)
        .select_related("handling_unit", "desa", "kecamatan", "open311")
    )


def request_item(aduan: Aduan, catalogue: list[Service]) -> dict[str, Any]:
    link = getattr(aduan, "open311", None)
    service = service_for_aduan(catalogue, aduan.category, link.service_code if link else None)
    is_open = aduan.status in OPEN_STATUSES
    address = None
    if aduan.desa is not None:
        address = aduan.desa.name + (f", {aduan.kecamatan.name}" if aduan.kecamatan else "")
    return {
        "service_request_id": aduan.code,
        "status": "open" if is_open else "closed",
        "status_notes": str(Status(aduan.status).label),
        "service_name": service.service_name,
        "service_code": service.service_code,
        "agency_responsible": aduan.handling_unit.name if aduan.handling_unit else None,
        "requested_datetime": rfc3339(aduan.received_at),
        "updated_datetime": rfc3339(aduan.updated_at),
        "expected_datetime": rfc3339(aduan.resolution_due) if is_open else None,
        "address": address,
    }


def _service_filter(codes: list[str], catalogue: list[Service]) -> Q:
    categories = {s.category for s in catalogue if s.service_code in codes and s.category}
    categories |= set(codes)
    return Q(open311__service_code__in=codes) | Q(
        open311__isnull=True, category__in=sorted(categories)
    )


def _date(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    parsed = parse_datetime(raw)
    if parsed is None:
        raise Open311Error(400, f"{name} harus tanggal-waktu ISO 8601 dengan zona waktu")
    return parsed


def _status_filter(raw: str) -> Q:
    wanted = {s.strip() for s in raw.split(",") if s.strip()}
    if not wanted <= {"open", "closed"}:
        raise Open311Error(400, "status harus open dan/atau closed")
    if wanted == {"open"}:
        return Q(status__in=OPEN_STATUSES)
    if wanted == {"closed"}:
        return ~Q(status__in=OPEN_STATUSES)
    return Q()


def _filtered(
    request: HttpRequest, qs: QuerySet[Aduan], catalogue: list[Service]
) -> QuerySet[Aduan]:
    ids = [
        c.strip().upper() for c in request.GET.get("service_request_id", "").split(",") if c.strip()
    ]
    if ids:  # overrides every other filter
        return qs.filter(code__in=ids)
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(_service_filter(codes, catalogue))
    start, end = _date(request, "start_date"), _date(request, "end_date")
    if start is not None and end is not None and start > end:
        raise Open311Error(400, "start_date setelah end_date")
    end = end or (start + MAX_SPAN if start else timezone.now())
    start = start or end - MAX_SPAN
    if end - start > MAX_SPAN:
        raise Open311Error(400, "rentang start_date–end_date paling lama 90 hari")
    return qs.filter(received_at__gte=start, received_at__lte=end).filter(
        _status_filter(request.GET.get("status", ""))
    )


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    polres = jurisdiction(request)
    catalogue = services_of(polres)
    qs = _filtered(request, public_requests(polres), catalogue)
    items = [request_item(a, catalogue) for a in qs.order_by("-received_at")[:MAX_REQUESTS]]
    return render(fmt, "service_requests", items)


def _api_key(request: HttpRequest) -> Open311Key:
    raw = request.POST.get("api_key", "").strip()
    key = (
        Open311Key.objects.filter(key_hash=hash_key(raw), revoked_at__isnull=True).first()
        if raw
        else None
    )
    if key is None:
        raise Open311Error(403, "api_key tidak ada atau tidak valid")
    return key


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    key = _api_key(request)
    polres = jurisdiction(request)
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code wajib diisi")
    service = service_by_code(polres, code)
    if service is None:
        raise Open311Error(404, f"service_code tidak dikenal: {code}")
    parsed = parse_request(request.POST, service)
    aduan, link = do_submit_open311_request(polres, parsed, key=key)
    track = request.build_absolute_uri(reverse("portal:lacak_detail", args=[aduan.code]))
    item: dict[str, Any] = {
        "service_notice": f"Aduan diterima dengan kode lacak {aduan.code}. Pantau: {track}"
    }
    if service.type == "realtime":
        item = {"service_request_id": aduan.code, **item}
    elif service.type == "batch":
        item = {"token": link.token, **item}
    return render(fmt, "service_requests", [item])


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def requests_collection(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


@require_http_methods(["GET"])
@open311_view
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    polres = jurisdiction(request)
    aduan = public_requests(polres).filter(code=request_id.strip().upper()).first()
    if aduan is None:
        raise Open311Error(404, f"service_request_id tidak ditemukan: {request_id}")
    return render(fmt, "service_requests", [request_item(aduan, services_of(polres))])


@require_http_methods(["GET"])
@open311_view
def token_detail(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    polres = jurisdiction(request)
    link = (
        Open311Request.objects.select_related("aduan")
        .filter(token=token, aduan__polres=polres)
        .first()
    )
    if link is None:
        raise Open311Error(404, f"token tidak ditemukan: {token}")
    visible = link.aduan.category not in RESTRICTED_CATEGORIES
    item = {"service_request_id": link.aduan.code if visible else None, "token": link.token}
    return render(fmt, "service_requests", [item])


def root(request: HttpRequest) -> HttpResponse:
    """The endpoint's base URL: points to the discovery document."""
    return redirect("open311:discovery", fmt="xml")
