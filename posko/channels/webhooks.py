"""Webhook endpoints. Each one: authenticate the raw request (403, nothing stored, when the
signature or secret is wrong or missing), store the raw event durably with its processing
task, then acknowledge. Database trouble answers 503 so the platform redelivers later.

Hot path, per signed event: no session, auth, CSRF, messages, htmx or language middleware
(``WebhookFastPath``), credentials from a per-process cache of decrypted secrets
(``AccountCache``, no query and no Fernet decryption), then one SQL statement that stores the
event and its task (``store_event``).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache, wraps
from typing import Any

from django.core.signals import setting_changed
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import HttpHeaders
from django.urls import Resolver404, ResolverMatch, get_resolver
from django.views.decorators.csrf import csrf_exempt

from posko.channels.actions.store import KEEP_HEADERS, body_key, store_event
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

# What X sends as ``crc_token``: an opaque token (letters, digits, base64/URL-safe punctuation).
X_CRC_TOKEN = re.compile(r"[A-Za-z0-9_\-+/=.~]{1,256}")


def fast_path(view: View) -> View:
    """Mark a view to be served by ``WebhookFastPath`` (past the middleware)."""
    view.webhook_fast_path = True  # type: ignore[attr-defined]
    return view


def _reply(status: int, message: str) -> HttpResponse:
    """``{"status": message}`` (the bytes made once per message)."""
    return HttpResponse(_json(message), content_type="application/json", status=status)


@cache
def _json(message: str) -> bytes:
    return json.dumps({"status": message}).encode()


def forbidden() -> HttpResponse:
    return _reply(403, "forbidden")


def _header(request: HttpRequest, name: str) -> str | None:
    """``request.headers.get(name)`` without building the whole ``request.headers``."""
    return request.META.get(HttpHeaders.to_wsgi_name(name))


def _kept_headers(request: HttpRequest) -> dict[str, str]:
    """The request headers kept with a raw event."""
    meta = request.META
    return {name: meta[key] for name, key in _KEPT if key in meta}


_KEPT = [(name, HttpHeaders.to_wsgi_name(name)) for name in KEEP_HEADERS]


def webhook(view: View) -> View:
    """CSRF-exempt (authenticated by signature), GET/POST only, 503 on database errors, and
    served by ``WebhookFastPath``."""

    @fast_path
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


@dataclass
class _Account:
    account: ChannelAccount
    credentials: dict[str, Any] | None  # None: encrypted with another key

    def secret(self, name: str) -> str:
        if self.credentials is None:
            raise CredentialsUnreadable
        return str(self.credentials.get(name, ""))


@dataclass
class _Snapshot:
    loaded_at: float
    meta: list[_Account] = field(default_factory=list)
    by_slug: dict[tuple[str, str], _Account] = field(default_factory=dict)


class AccountCache:
    """The active accounts with their credentials decrypted, kept per process so that a
    webhook costs neither a query nor a Fernet decryption.

    Freshness: a save or delete of an account in this process drops the snapshot at once
    (signals; also any settings change, e.g. the channel key); other processes (the console's
    workers) are seen within ``TTL`` seconds; and a request that does not verify against the
    snapshot (a new account or a rotated secret) reloads it first, at most once per
    ``MISS_RELOAD`` seconds so that a flood of forged requests costs at most that many queries.
    So a new secret works at once (or within ``MISS_RELOAD``), while a secret removed in
    another process may still be accepted for up to ``TTL`` seconds."""

    TTL = 10.0
    MISS_RELOAD = 1.0

    def __init__(self) -> None:
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()

    def clear(self, **kwargs: Any) -> None:
        self._snapshot = None

    def get(self) -> _Snapshot:
        snapshot = self._snapshot
        if snapshot is None or time.monotonic() - snapshot.loaded_at >= self.TTL:
            snapshot = self._load()
        return snapshot

    def reload_after_miss(self, snapshot: _Snapshot) -> _Snapshot | None:
        """A fresh snapshot, or None when the one given is too recent to reload."""
        if time.monotonic() - snapshot.loaded_at < self.MISS_RELOAD:
            return None
        return self._load()

    def _load(self) -> _Snapshot:
        with self._lock:
            snapshot = _Snapshot(loaded_at=time.monotonic())
            for account in ChannelAccount.objects.filter(is_active=True).order_by("pk"):
                try:
                    entry = _Account(account, account.credentials)
                except CredentialsUnreadable:
                    entry = _Account(account, None)
                if account.platform in META_PLATFORMS:
                    snapshot.meta.append(entry)
                snapshot.by_slug[(account.platform, account.slug)] = entry
            self._snapshot = snapshot
        return snapshot


accounts = AccountCache()
post_save.connect(accounts.clear, sender=ChannelAccount, dispatch_uid="webhook-accounts-save")
post_delete.connect(accounts.clear, sender=ChannelAccount, dispatch_uid="webhook-accounts-del")
setting_changed.connect(accounts.clear, dispatch_uid="webhook-accounts-settings")


def _verified(check: Callable[[_Snapshot], bool]) -> bool:
    snapshot = accounts.get()
    if check(snapshot):
        return True
    fresh = accounts.reload_after_miss(snapshot)
    return fresh is not None and check(fresh)


def _meta(request: HttpRequest, objects: set[str]) -> HttpResponse:
    if request.method == "GET":
        # Verification handshake: echo hub.challenge when the verify token matches.
        params = request.GET
        token = params.get("hub.verify_token", "")
        if params.get("hub.mode") == "subscribe" and _verified(
            lambda snap: any(token_equal(token, a.secret("verify_token")) for a in snap.meta)
        ):
            return HttpResponse(params.get("hub.challenge", ""), content_type="text/plain")
        return forbidden()
    body = request.body
    header = _header(request, "X-Hub-Signature-256")
    if not _verified(
        lambda snap: meta_signature_valid(body, header, [a.secret("app_secret") for a in snap.meta])
    ):
        return forbidden()
    payload = _json_object(body)
    kind = payload.get("object") if payload is not None else None
    if not isinstance(kind, str) or kind not in objects:
        return _reply(400, "unsupported payload")
    platform = META_OBJECTS[kind]
    stored = store_event(platform, body, _kept_headers(request), dedupe_key=body_key(body))
    return _reply(200, "ok" if stored else "duplicate")


@webhook
def whatsapp(request: HttpRequest) -> HttpResponse:
    return _meta(request, {"whatsapp_business_account"})


@webhook
def meta(request: HttpRequest) -> HttpResponse:
    return _meta(request, {"instagram", "page"})


def _account(platform: str, slug: str, check: Callable[[_Account], bool]) -> _Account | None:
    """The active account at this URL whose credentials pass ``check`` (else None)."""
    found: list[_Account] = []

    def passes(snapshot: _Snapshot) -> bool:
        entry = snapshot.by_slug.get((platform, slug))
        if entry is not None and check(entry):
            found.append(entry)
            return True
        return False

    return found[-1] if _verified(passes) else None


@webhook
def telegram(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return forbidden()
    given = _header(request, "X-Telegram-Bot-Api-Secret-Token")
    entry = _account(
        Platform.TELEGRAM, slug, lambda a: token_equal(given, a.secret("secret_token"))
    )
    if entry is None:
        return forbidden()
    account = entry.account
    body = request.body
    payload = _json_object(body)
    update_id = payload.get("update_id") if payload else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return _reply(400, "unsupported payload")
    stored = store_event(
        Platform.TELEGRAM,
        body,
        _kept_headers(request),
        dedupe_key=f"{account.pk}:{update_id}",
        account=account,
    )
    return _reply(200, "ok" if stored else "duplicate")


@webhook
def sms(request: HttpRequest, slug: str) -> HttpResponse:
    """Generic SMS gateway (format in docs/kanal/sms.md): ``X-Posko-Signature: sha256=<hex
    HMAC-SHA256(webhook secret, raw body)>``."""
    if request.method != "POST":
        return forbidden()
    body = request.body
    header = _header(request, "X-Posko-Signature") or ""

    def signed(entry: _Account) -> bool:
        secret = entry.secret("webhook_secret")
        return bool(secret) and token_equal(header, "sha256=" + hmac_sha256_hex(secret, body))

    entry = _account(Platform.SMS, slug, signed)
    if entry is None:
        return forbidden()
    account = entry.account
    payload = _json_object(body)
    if payload is None or not isinstance(payload.get("id"), str) or not payload["id"]:
        return _reply(400, "unsupported payload")
    kind = str(payload.get("type", "message"))
    key = f"{account.pk}:{kind}:{payload['id']}:{payload.get('status', '')}"
    stored = store_event(
        Platform.SMS,
        body,
        _kept_headers(request),
        dedupe_key=body_key(key.encode()),
        account=account,
    )
    return _reply(200, "ok" if stored else "duplicate")


@webhook
def x(request: HttpRequest, slug: str) -> HttpResponse:
    """X Account Activity webhook: GET = CRC check; POST = signed events."""
    if request.method == "GET":
        entry = _account(Platform.X, slug, lambda a: bool(a.secret("consumer_secret")))
        if entry is None:
            return forbidden()
        crc_token = request.GET.get("crc_token", "")
        if not crc_token:
            return _reply(400, "crc_token missing")
        if not X_CRC_TOKEN.fullmatch(crc_token):
            # The CRC answer is the same HMAC that signs events: signing an arbitrary string
            # would hand out a valid signature for a forged event body. X's tokens are short
            # opaque strings; an event body is a JSON object (it starts with "{").
            return _reply(400, "crc_token invalid")
        crc = x_crc_response(entry.secret("consumer_secret"), crc_token)
        return JsonResponse({"response_token": crc})
    body = request.body
    header = _header(request, "X-Twitter-Webhooks-Signature")
    entry = _account(
        Platform.X, slug, lambda a: x_signature_valid(body, header, a.secret("consumer_secret"))
    )
    if entry is None:
        return forbidden()
    account = entry.account
    if _json_object(body) is None:
        return _reply(400, "unsupported payload")
    stored = store_event(
        Platform.X, body, _kept_headers(request), dedupe_key=body_key(body), account=account
    )
    return _reply(200, "ok" if stored else "duplicate")


@csrf_exempt
def ping(request: HttpRequest) -> HttpResponse:
    """Does nothing, through Django's full middleware stack: the bare Django endpoint the
    webhook benchmark compares against."""
    return HttpResponse(status=204)


@fast_path
@csrf_exempt
def ping_lean(request: HttpRequest) -> HttpResponse:
    """Does nothing, served like the webhooks (``WebhookFastPath``): the floor of the
    benchmark — gunicorn plus Django's handler."""
    return HttpResponse(status=204)


class WebhookFastPath:
    """First middleware: a request under ``/hooks/`` whose URL resolves to a view marked
    ``fast_path`` (every ``@webhook``) goes straight to that view, past every other middleware.

    Webhooks are machine-to-machine POSTs authenticated by their signature: they need no
    session, user, CSRF token (they are exempt anyway), messages, htmx, language, static files
    or browser security headers, and that middleware is most of what a bare Django request
    costs. The view still runs inside Django's handler: the same request object, exception to
    500 conversion, ``request_started``/``request_finished`` (database connection upkeep).
    ``ALLOWED_HOSTS`` is still enforced. Anything else (or an unknown ``/hooks/…`` URL, which
    then gets the normal 404 or slash redirect) takes the full stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        match = _fast_match(path) if path.startswith("/hooks/") else None
        if match is None:
            return self.get_response(request)
        request.get_host()  # DisallowedHost → 400, as on every other URL
        request.resolver_match = match
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        # As CommonMiddleware does: without it gunicorn sends the body chunked.
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response


@lru_cache(maxsize=512)
def _fast_match(path: str) -> ResolverMatch | None:
    """The URL's match when its view is marked ``fast_path`` (cached per path: the webhook
    URLs are few; the URLconf does not change while the process runs)."""
    try:
        match = get_resolver().resolve(path)
    except Resolver404:
        return None
    return match if getattr(match.func, "webhook_fast_path", False) else None


def _urlconf_changed(**kwargs: Any) -> None:
    _fast_match.cache_clear()


setting_changed.connect(_urlconf_changed, dispatch_uid="webhook-fast-path-urls")
