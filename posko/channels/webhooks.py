"""Webhook endpoints. Each one: authenticate the raw request (403, nothing stored, when the
signature or secret is wrong or missing), store the raw event durably with its processing
task, then acknowledge. Database trouble answers 503 so the platform redelivers later."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from posko.channels.actions.inbound import body_key, store_event
from posko.channels.crypto import CredentialsUnreadable
from posko.channels.models import META_PLATFORMS, ChannelAccount, Platform
from posko.channels.signatures import (
    hmac_sha256_hex,
    meta_signature_valid,
    token_equal,
    x_crc_response,
    x_signature_valid,
)

log = logging.getLogger(__name__)

META_OBJECTS = {
    "whatsapp_business_account": Platform.WHATSAPP,
    "instagram": Platform.INSTAGRAM,
    "page": Platform.FACEBOOK,
}

View = Callable[..., HttpResponse]


def _reply(status: int, message: str) -> JsonResponse:
    return JsonResponse({"status": message}, status=status)


def forbidden() -> JsonResponse:
    return _reply(403, "forbidden")


def webhook(view: View) -> View:
    """CSRF-exempt (authenticated by signature), GET/POST only, and 503 on database errors."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "POST"):
            return _reply(405, "method not allowed")
        try:
            return view(request, *args, **kwargs)
        except DatabaseError:
            log.exception("webhook: database unavailable; asking the platform to retry")
            return _reply(503, "temporarily unavailable")
        except CredentialsUnreadable:
            log.error("webhook: channel credentials cannot be decrypted (POSKO_CHANNEL_KEY?)")
            return _reply(503, "misconfigured")

    return wrapper


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return payload if isinstance(payload, dict) else None


def _meta_accounts() -> list[dict[str, Any]]:
    rows = ChannelAccount.objects.filter(platform__in=META_PLATFORMS, is_active=True).only(
        "credentials_encrypted"
    )
    return [row.credentials for row in rows]


def _meta(request: HttpRequest, objects: set[str]) -> HttpResponse:
    if request.method == "GET":
        # Verification handshake: echo hub.challenge when the verify token matches.
        params = request.GET
        token = params.get("hub.verify_token", "")
        if params.get("hub.mode") == "subscribe" and any(
            token_equal(token, str(c.get("verify_token", ""))) for c in _meta_accounts()
        ):
            return HttpResponse(params.get("hub.challenge", ""), content_type="text/plain")
        return forbidden()
    body = request.body
    secrets = [str(c.get("app_secret", "")) for c in _meta_accounts()]
    if not meta_signature_valid(body, request.headers.get("X-Hub-Signature-256"), secrets):
        return forbidden()
    payload = _json_object(body)
    kind = payload.get("object") if payload is not None else None
    if not isinstance(kind, str) or kind not in objects:
        return _reply(400, "unsupported payload")
    platform = META_OBJECTS[kind]
    stored = store_event(platform, body, dict(request.headers), dedupe_key=body_key(body))
    return _reply(200, "ok" if stored else "duplicate")


@webhook
def whatsapp(request: HttpRequest) -> HttpResponse:
    return _meta(request, {"whatsapp_business_account"})


@webhook
def meta(request: HttpRequest) -> HttpResponse:
    return _meta(request, {"instagram", "page"})


def _account(platform: str, slug: str) -> ChannelAccount | None:
    return ChannelAccount.objects.filter(platform=platform, slug=slug, is_active=True).first()


@webhook
def telegram(request: HttpRequest, slug: str) -> HttpResponse:
    account = _account(Platform.TELEGRAM, slug)
    if account is None or request.method != "POST":
        return forbidden()
    secret = str(account.credentials.get("secret_token", ""))
    if not token_equal(request.headers.get("X-Telegram-Bot-Api-Secret-Token"), secret):
        return forbidden()
    body = request.body
    payload = _json_object(body)
    update_id = payload.get("update_id") if payload else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return _reply(400, "unsupported payload")
    stored = store_event(
        Platform.TELEGRAM,
        body,
        dict(request.headers),
        dedupe_key=f"{account.pk}:{update_id}",
        account=account,
    )
    return _reply(200, "ok" if stored else "duplicate")


@webhook
def sms(request: HttpRequest, slug: str) -> HttpResponse:
    """Generic SMS gateway (format in docs/kanal/sms.md): ``X-Posko-Signature: sha256=<hex
    HMAC-SHA256(webhook secret, raw body)>``."""
    account = _account(Platform.SMS, slug)
    if account is None or request.method != "POST":
        return forbidden()
    body = request.body
    secret = str(account.credentials.get("webhook_secret", ""))
    header = request.headers.get("X-Posko-Signature", "")
    if not secret or not token_equal(header, "sha256=" + hmac_sha256_hex(secret, body)):
        return forbidden()
    payload = _json_object(body)
    if payload is None or not isinstance(payload.get("id"), str) or not payload["id"]:
        return _reply(400, "unsupported payload")
    kind = str(payload.get("type", "message"))
    key = f"{account.pk}:{kind}:{payload['id']}:{payload.get('status', '')}"
    stored = store_event(
        Platform.SMS,
        body,
        dict(request.headers),
        dedupe_key=body_key(key.encode()),
        account=account,
    )
    return _reply(200, "ok" if stored else "duplicate")


@webhook
def x(request: HttpRequest, slug: str) -> HttpResponse:
    """X Account Activity webhook: GET = CRC check; POST = signed events."""
    account = _account(Platform.X, slug)
    if account is None:
        return forbidden()
    consumer_secret = str(account.credentials.get("consumer_secret", ""))
    if not consumer_secret:
        return forbidden()
    if request.method == "GET":
        crc_token = request.GET.get("crc_token", "")
        if not crc_token:
            return _reply(400, "crc_token missing")
        return JsonResponse({"response_token": x_crc_response(consumer_secret, crc_token)})
    body = request.body
    if not x_signature_valid(
        body, request.headers.get("X-Twitter-Webhooks-Signature"), consumer_secret
    ):
        return forbidden()
    if _json_object(body) is None:
        return _reply(400, "unsupported payload")
    stored = store_event(
        Platform.X, body, dict(request.headers), dedupe_key=body_key(body), account=account
    )
    return _reply(200, "ok" if stored else "duplicate")


@csrf_exempt
def ping(request: HttpRequest) -> HttpResponse:
    """Does nothing: the baseline the webhook benchmark compares against."""
    return HttpResponse(status=204)
