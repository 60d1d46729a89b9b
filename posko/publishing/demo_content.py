"""Demo content of publishing (called by ``posko.demo.seed``): subscribers in three desa, and —
when the demo's official accounts are configured (``docs/kanal/README.md``) — one education
post approved for immediate publishing and one traffic advisory scheduled for next Saturday."""

from __future__ import annotations

import logging
import os
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from posko.channels.actions.accounts import do_save_account
from posko.channels.models import ChannelAccount
from posko.org.models import Unit
from posko.publishing.actions.common import PostError
from posko.publishing.actions.compose import Draft, do_create_post
from posko.publishing.actions.review import do_approve, do_submit_for_review
from posko.publishing.actions.subscribers import do_register_subscriber
from posko.publishing.models import Post, PostKind, Subscriber
from posko.publishing.publishers.publish_telegram import channel_chat_id
from posko.regions.models import Region

logger = logging.getLogger(__name__)

DEMO_SUBSCRIBERS = {
    "19.06.02.2001": ["081300000101", "081300000102", "081300000103"],  # Gantung
    "19.06.02.2009": ["081300000201", "081300000202"],
    "19.06.05.2003": ["081300000301", "081300000302"],
}
EDUCATION = (
    "Stop narkoba! Narkoba merusak masa depan. Laporkan peredaran narkoba di sekitar Anda ke "
    "Polres Belitung Timur lewat WhatsApp atau posko.polres-beltim. Identitas pelapor dijaga."
)
TRAFFIC = (
    "INFO LALU LINTAS: Jl. Jenderal Sudirman, Manggar ditutup Sabtu pukul 07.00–12.00 untuk "
    "karnaval HUT Kabupaten. Gunakan jalur alternatif Jl. Lintas Timur."
)


def _next_saturday_morning() -> datetime:
    today = timezone.localdate()
    days = (5 - today.weekday()) % 7 or 7
    moment = datetime.combine(today + timedelta(days=days), time(6, 30))
    return timezone.make_aware(moment)


def configure_publishing_accounts(polres: Unit) -> None:
    """Publishing settings of the demo's accounts from the environment (docs/kanal/README.md):
    ``POSKO_X_USER_ACCESS_TOKEN`` (posting needs user context), ``POSKO_TELEGRAM_CHANNEL``
    (also read at publish time), ``POSKO_WHATSAPP_ALERT_TEMPLATE`` and
    ``POSKO_WHATSAPP_OPTIN_TEMPLATE`` (approved template names, language ``id``)."""
    env = os.environ.get
    for account in ChannelAccount.objects.filter(polres=polres):
        if account.platform == "x" and env("POSKO_X_USER_ACCESS_TOKEN"):
            do_save_account(
                polres,
                "x",
                external_id=account.external_id,
                credentials={"user_access_token": env("POSKO_X_USER_ACCESS_TOKEN")},
            )
        if account.platform == "telegram" and env("POSKO_TELEGRAM_CHANNEL"):
            do_save_account(
                polres,
                "telegram",
                external_id=account.external_id,
                config={"channel_chat_id": env("POSKO_TELEGRAM_CHANNEL")},
            )
        if account.platform == "whatsapp":
            config = {
                key: {"name": env(var), "language": "id"}
                for key, var in (
                    ("alert_template", "POSKO_WHATSAPP_ALERT_TEMPLATE"),
                    ("optin_template", "POSKO_WHATSAPP_OPTIN_TEMPLATE"),
                )
                if env(var)
            }
            if config:
                do_save_account(polres, "whatsapp", external_id=account.external_id, config=config)


def seed_publishing_demo(polres: Unit, *, with_posts: bool = True) -> None:
    """Idempotent. The sample posts go only to accounts ready to publish (a Telegram account
    needs its channel id); a demo whose accounts are not ready still seeds, without posts."""
    configure_publishing_accounts(polres)
    if not Subscriber.objects.filter(polres=polres).exists():
        for code, phones in DEMO_SUBSCRIBERS.items():
            desa = Region.objects.filter(code=code).first()
            for phone in phones if desa else []:
                do_register_subscriber(polres, phone, desa, source="demo")  # type: ignore[arg-type]
    accounts = [
        a
        for a in ChannelAccount.objects.filter(
            polres=polres, platform__in=("facebook", "x", "telegram"), is_active=True
        )
        if a.platform != "telegram" or channel_chat_id(a)
    ]
    operator = User.objects.filter(username="operator").first()
    kapolres = User.objects.filter(username="kapolres").first()
    if not with_posts or not accounts or operator is None or kapolres is None:
        return
    if Post.objects.filter(polres=polres).exists():
        return
    try:
        with transaction.atomic():  # both posts or neither
            _seed_posts(polres, accounts, operator, kapolres)
    except PostError:
        logger.warning("demo posts not seeded: the accounts are not ready to publish")


def _seed_posts(
    polres: Unit, accounts: list[ChannelAccount], operator: User, kapolres: User
) -> None:
    education = do_create_post(
        polres,
        Draft(
            kind=PostKind.EDUCATION,
            text=EDUCATION,
            title="Kampanye anti-narkoba",
            accounts=accounts,
        ),
        acting_user=operator,
    )
    traffic = do_create_post(
        polres,
        Draft(
            kind=PostKind.TRAFFIC,
            text=TRAFFIC,
            title="Penutupan Jl. Sudirman (karnaval)",
            accounts=accounts,
            fields={
                "road": "Jl. Jenderal Sudirman, Manggar",
                "time_from": "Sabtu 07.00",
                "time_until": "Sabtu 12.00",
                "alternative_route": "Jl. Lintas Timur",
            },
            publish_at=_next_saturday_morning(),
        ),
        acting_user=operator,
    )
    for post in (education, traffic):
        do_submit_for_review(post, acting_user=operator)
        do_approve(post, acting_user=kapolres)
