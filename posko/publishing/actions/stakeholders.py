"""Stakeholders of each desa (TNI Babinsa/Koramil, kepala desa and perangkat, pam swakarsa,
satpam, tokoh masyarakat) and sharing an alert or appeal with those of chosen desa, each on
their own channel, with the delivery state of every copy (the channels' delivery rows).

WhatsApp copies go out as the account's approved ``alert_template`` (a stakeholder is rarely
inside the 24-hour window); Telegram and SMS as plain text."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from posko.aduan.audit import record_polres_audit
from posko.channels.dispatch import queue_direct_message
from posko.channels.models import ChannelAccount, DeliveryState
from posko.org.lookup import is_desa_of_polres
from posko.org.models import Unit
from posko.org.permissions import authorize_in_polres
from posko.publishing.access import COMPOSE_ROLES, SUBSCRIBER_ROLES, mask_address
from posko.publishing.actions.common import PostError
from posko.publishing.actions.subscribers import normalize_phone
from posko.publishing.models import (
    Post,
    Stakeholder,
    StakeholderDelivery,
    StakeholderRole,
    StakeholderShare,
    SubscriberChannel,
)
from posko.regions.models import Region

MAX_SHARE_TEXT = 1024
# Roles whose contact every reader sees in full (their number is an office line by function);
# the others' numbers are masked for roles that do not share alerts.
PUBLIC_CONTACT_ROLES = frozenset({StakeholderRole.KORAMIL, StakeholderRole.KEPALA_DESA})
NO_CHANNEL = "no_channel"


def shown_address(stakeholder: Stakeholder, *, full: bool) -> str:
    if full or stakeholder.role in PUBLIC_CONTACT_ROLES:
        return stakeholder.address
    return mask_address(stakeholder.address)


def _address(channel: str, raw: str) -> str:
    if channel == SubscriberChannel.TELEGRAM:
        value = raw.strip()
        if not value.lstrip("-").isdigit() or len(value) > 40:
            raise PostError(_("Chat Telegram harus berupa angka (chat id)."))
        return value
    if channel in SubscriberChannel.values:
        return normalize_phone(raw)
    raise PostError(_("Kanal tidak dikenal."))


def do_save_stakeholder(
    polres: Unit,
    *,
    desa: Region,
    role: str,
    name: str,
    channel: str,
    address: str,
    organisation: str = "",
    acting_user: User,
) -> Stakeholder:
    authorize_in_polres(acting_user, COMPOSE_ROLES, polres)
    errors = []
    if role not in StakeholderRole.values:
        errors.append(_("Peran mitra tidak dikenal."))
    if not name.strip() or len(name) > 120:
        errors.append(_("Isi nama mitra (paling banyak 120 karakter)."))
    if not is_desa_of_polres(polres, desa):
        errors.append(_("Desa tidak dikenal di wilayah Polres ini."))
    if errors:
        raise PostError(errors)
    clean = _address(channel, address)
    with transaction.atomic():
        stakeholder, _created = Stakeholder.objects.update_or_create(
            polres=polres,
            desa=desa,
            channel=channel,
            address=clean,
            defaults={
                "role": role,
                "name": name.strip(),
                "organisation": organisation.strip()[:160],
                "is_active": True,
            },
        )
        record_polres_audit(
            polres,
            "community_stakeholder_saved",
            actor=acting_user,
            target=f"stakeholder:{stakeholder.pk}",
            role=role,
        )
    return stakeholder


def do_remove_stakeholder(stakeholder: Stakeholder, *, acting_user: User) -> None:
    authorize_in_polres(acting_user, COMPOSE_ROLES, stakeholder.polres)
    with transaction.atomic():
        Stakeholder.objects.filter(pk=stakeholder.pk).update(is_active=False)
        record_polres_audit(
            stakeholder.polres,
            "community_stakeholder_removed",
            actor=acting_user,
            target=f"stakeholder:{stakeholder.pk}",
        )


def sending_account(polres: Unit, channel: str) -> ChannelAccount | None:
    return (
        ChannelAccount.objects.filter(polres=polres, platform=channel, is_active=True)
        .order_by("pk")
        .first()
    )


def do_share_with_stakeholders(
    polres: Unit,
    *,
    text: str,
    desa: list[Region],
    acting_user: User,
    post: Post | None = None,
) -> StakeholderShare:
    """One copy per active stakeholder of the desa, queued on their channel after commit."""
    authorize_in_polres(acting_user, SUBSCRIBER_ROLES | COMPOSE_ROLES, polres)
    text = text.strip()
    errors = []
    if not text or len(text) > MAX_SHARE_TEXT:
        errors.append(_("Isi teks yang dibagikan (paling banyak 1.024 karakter)."))
    if not desa or any(not is_desa_of_polres(polres, d) for d in desa):
        errors.append(_("Pilih minimal satu desa di wilayah Polres ini."))
    if post is not None and post.polres_id != polres.pk:
        errors.append(_("Publikasi bukan milik Polres ini."))
    if errors:
        raise PostError(errors)
    accounts = {c: sending_account(polres, c) for c in SubscriberChannel.values}
    with transaction.atomic():
        share = StakeholderShare.objects.create(
            polres=polres, post=post, text=text, created_by=acting_user
        )
        share.desa.set(desa)
        stakeholders = Stakeholder.objects.filter(polres=polres, desa__in=desa, is_active=True)
        for stakeholder in stakeholders:
            StakeholderDelivery.objects.create(
                share=share, stakeholder=stakeholder, **_queue(accounts, stakeholder, text)
            )
        record_polres_audit(
            polres,
            "community_shared",
            actor=acting_user,
            target=f"share:{share.pk}",
            recipients=stakeholders.count(),
        )
    return share


def _queue(
    accounts: dict[str, ChannelAccount | None], stakeholder: Stakeholder, text: str
) -> dict[str, object]:
    account = accounts.get(stakeholder.channel)
    if account is None:
        return {"error": _("Polres belum punya akun pada kanal ini.")}
    recipient = stakeholder.address
    template = None
    if stakeholder.channel == SubscriberChannel.WHATSAPP:
        recipient = recipient.lstrip("+")
        alert_template = account.config.get("alert_template")
        if not isinstance(alert_template, dict) or not alert_template.get("name"):
            return {"error": _("Akun WhatsApp belum punya templat peringatan yang disetujui.")}
        template = {**alert_template, "params": [text]}
    return {"delivery": queue_direct_message(account, recipient, text, template=template)}


def share_state(copy: StakeholderDelivery) -> str:
    if copy.delivery is None:
        return NO_CHANNEL
    return str(copy.delivery.state)


def share_counts(share: StakeholderShare) -> dict[str, int]:
    counts = dict.fromkeys([*DeliveryState.values, NO_CHANNEL], 0)
    for copy in share.deliveries.select_related("delivery"):
        counts[share_state(copy)] += 1
    counts["total"] = sum(counts.values())
    return counts


def visible_stakeholders(polres: Unit) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.filter(polres=polres, is_active=True).select_related("desa")
