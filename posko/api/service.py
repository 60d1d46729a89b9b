"""The Posko API (django-ninja): token authentication, the mapping of the domains' typed
errors to JSON answers, and the routers of each part (handlers live in ``aduan_api.py``,
``publishing_api.py``, ``community_api.py`` and ``posko/metrics/api.py``; ``urls.py`` only
mounts this)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from posko.aduan.access import AduanNotFound, IncidentNotFound
from posko.api.aduan_api import router as aduan_router
from posko.api.community_api import router as community_router
from posko.api.models import ApiToken, hash_token
from posko.api.publishing_api import router as posts_router
from posko.metrics.api import router as metrics_router
from posko.org.permissions import NotPermitted


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


@api.exception_handler(IncidentNotFound)
def on_incident_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, "Insiden tidak ditemukan.", 404)


@api.exception_handler(NotPermitted)
def on_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Every action's refusal (``AduanPermissionDenied`` and the other domains')."""
    return _error(request, "Anda tidak berwenang melakukan tindakan ini.", 403)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc.message), exc.status_code)


api.add_router("/aduan", aduan_router)
api.add_router("/posts", posts_router)
api.add_router("/metrics/", metrics_router)
api.add_router("", community_router)
