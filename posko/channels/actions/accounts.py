"""Official accounts: create/update (console, ``posko channels``, demo seed)."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from posko.aduan.audit import record_polres_audit
from posko.channels.models import ChannelAccount, Platform
from posko.org.models import Unit
from posko.org.permissions import CHANNEL_ADMIN_ROLES, authorize_in_polres

# Non-secret fields whose changes are recorded.
TRACKED = ("name", "api_base", "config", "is_active")


def _authorize(acting_user: User | None, polres: Unit) -> None:
    """An administrator of the Polres; ``None`` is Posko itself (``posko channels`` on the
    server, the demo seed)."""
    if acting_user is not None:
        message = gettext("Hanya admin Polres yang dapat mengelola akun resmi.")
        authorize_in_polres(acting_user, CHANNEL_ADMIN_ROLES, polres, message)


@transaction.atomic
def do_save_account(
    polres: Unit,
    platform: str,
    *,
    external_id: str,
    name: str = "",
    slug: str = "",
    api_base: str | None = None,
    credentials: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
    is_active: bool | None = None,
    acting_user: User | None = None,
) -> ChannelAccount:
    """Create or update the account (platform, external id). Credentials given are merged
    into the stored ones (an empty value removes a key); config likewise. The change is
    audited (``AuditEvent`` of the Polres, target ``channel_account:<id>``) with the actor
    and the names — never the values — of the credentials that changed."""
    _authorize(acting_user, polres)
    if platform not in Platform.values:
        raise ValueError(gettext("Platform tidak dikenal: %(platform)s") % {"platform": platform})
    external_id = external_id.strip()
    if not external_id:
        raise ValueError(gettext("ID akun di platform wajib diisi."))
    account = (
        ChannelAccount.objects.select_for_update()
        .filter(platform=platform, external_id=external_id)
        .first()
    )
    if account is None:
        base = slugify(slug or f"{polres.code_prefix}-{platform}-{external_id}")[:50] or platform
        candidate = base
        while ChannelAccount.objects.filter(slug=candidate).exists():
            candidate = f"{base}-{secrets.token_hex(2)}"
        account = ChannelAccount(
            polres=polres,
            platform=platform,
            external_id=external_id,
            slug=candidate,
            name=name or f"{Platform(platform).label} {polres.name}",
        )
    elif account.polres_id != polres.pk:
        raise ValueError(gettext("Akun ini sudah terdaftar untuk Polres lain."))
    created = account.pk is None
    before = {f: getattr(account, f) for f in TRACKED}
    old_credentials = {} if created else account.credentials
    if name:
        account.name = name
    if api_base is not None:
        account.api_base = api_base
    if credentials:
        merged = {**account.credentials, **credentials}
        account.set_credentials(merged)
    if config:
        account.config = {k: v for k, v in {**account.config, **config}.items() if v is not None}
    if is_active is not None:
        account.is_active = is_active
    account.updated_at = timezone.now()
    account.save()
    changed = [f for f in TRACKED if getattr(account, f) != before[f]]
    new_credentials = account.credentials
    secrets_changed = sorted(
        k
        for k in {*old_credentials, *new_credentials}
        if old_credentials.get(k) != new_credentials.get(k)
    )
    if created or changed or secrets_changed:
        record_polres_audit(
            account.polres,
            "channel_account_created" if created else "channel_account_updated",
            actor=acting_user,
            target=account_target(account),
            name=account.name,
            fields=changed,
            credentials=secrets_changed,
        )
    return account


def account_target(account: ChannelAccount) -> str:
    return f"channel_account:{account.pk}"


@transaction.atomic
def do_set_account_active(
    account: ChannelAccount, active: bool, *, acting_user: User | None
) -> ChannelAccount:
    """Enable or disable an official account (disabled: webhooks for it are ignored, replies
    fail with the reason, polling stops)."""
    account = ChannelAccount.objects.select_for_update().get(pk=account.pk)
    _authorize(acting_user, account.polres)
    if account.is_active == active:
        return account
    account.is_active = active
    account.updated_at = timezone.now()
    account.save(update_fields=["is_active", "updated_at"])
    record_polres_audit(
        account.polres,
        "channel_account_enabled" if active else "channel_account_disabled",
        actor=acting_user,
        target=account_target(account),
        name=account.name,
    )
    return account


def configure_demo_accounts(polres: Unit) -> list[ChannelAccount]:
    """Demo: configure the Polres's accounts from environment variables, when set.

    ``POSKO_META_APP_SECRET``/``POSKO_META_VERIFY_TOKEN`` (all Meta webhooks),
    ``POSKO_WHATSAPP_ACCESS_TOKEN``/``POSKO_WHATSAPP_PHONE_NUMBER_ID``, ``POSKO_GRAPH_API_BASE``,
    ``POSKO_INSTAGRAM_ACCOUNT_ID``/``POSKO_INSTAGRAM_ACCESS_TOKEN``,
    ``POSKO_FACEBOOK_PAGE_ID``/``POSKO_FACEBOOK_PAGE_TOKEN``,
    ``POSKO_TELEGRAM_BOT_TOKEN``/``POSKO_TELEGRAM_SECRET_TOKEN``/``POSKO_TELEGRAM_API_BASE``,
    ``POSKO_X_BEARER_TOKEN``/``POSKO_X_USER_ID``/``POSKO_X_API_BASE``,
    ``POSKO_EMAIL_ADDRESS``/``POSKO_EMAIL_PASSWORD``/``POSKO_EMAIL_IMAP_HOST``/
    ``POSKO_EMAIL_SMTP_HOST``."""
    env = os.environ.get
    accounts: list[ChannelAccount] = []
    meta = {
        "app_secret": env("POSKO_META_APP_SECRET", ""),
        "verify_token": env("POSKO_META_VERIFY_TOKEN", ""),
    }
    graph = env("POSKO_GRAPH_API_BASE", "")
    if phone_id := env("POSKO_WHATSAPP_PHONE_NUMBER_ID", ""):
        accounts.append(
            do_save_account(
                polres,
                Platform.WHATSAPP,
                external_id=phone_id,
                slug=f"{polres.code_prefix}-whatsapp",
                api_base=graph,
                credentials={**meta, "access_token": env("POSKO_WHATSAPP_ACCESS_TOKEN", "")},
            )
        )
    for platform, id_var, token_var in (
        (Platform.INSTAGRAM, "POSKO_INSTAGRAM_ACCOUNT_ID", "POSKO_INSTAGRAM_ACCESS_TOKEN"),
        (Platform.FACEBOOK, "POSKO_FACEBOOK_PAGE_ID", "POSKO_FACEBOOK_PAGE_TOKEN"),
    ):
        if external_id := env(id_var, ""):
            accounts.append(
                do_save_account(
                    polres,
                    platform,
                    external_id=external_id,
                    slug=f"{polres.code_prefix}-{platform}",
                    api_base=graph,
                    credentials={**meta, "access_token": env(token_var, "")},
                )
            )
    if bot_token := env("POSKO_TELEGRAM_BOT_TOKEN", ""):
        accounts.append(
            do_save_account(
                polres,
                Platform.TELEGRAM,
                external_id=bot_token.split(":", 1)[0],
                slug=f"{polres.code_prefix}-telegram",
                api_base=env("POSKO_TELEGRAM_API_BASE", ""),
                credentials={
                    "bot_token": bot_token,
                    "secret_token": env("POSKO_TELEGRAM_SECRET_TOKEN", ""),
                },
            )
        )
    if bearer := env("POSKO_X_BEARER_TOKEN", ""):
        accounts.append(
            do_save_account(
                polres,
                Platform.X,
                external_id=env("POSKO_X_USER_ID", "") or f"{polres.code_prefix.lower()}-x",
                slug=f"{polres.code_prefix}-x",
                api_base=env("POSKO_X_API_BASE", ""),
                credentials={"bearer_token": bearer},
            )
        )
    if address := env("POSKO_EMAIL_ADDRESS", ""):
        password = env("POSKO_EMAIL_PASSWORD", "")
        accounts.append(
            do_save_account(
                polres,
                Platform.EMAIL,
                external_id=address,
                slug=f"{polres.code_prefix}-email",
                credentials={"imap_password": password, "smtp_password": password},
                config={
                    "imap_host": env("POSKO_EMAIL_IMAP_HOST", "") or None,
                    "smtp_host": env("POSKO_EMAIL_SMTP_HOST", "") or None,
                },
            )
        )
    return [a for a in accounts if a.slug]
