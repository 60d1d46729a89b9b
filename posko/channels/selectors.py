"""Permission-scoped reads of the channels' objects (tenant and role rules in one place)."""

from __future__ import annotations

from django.db.models import QuerySet

from posko.channels.models import ChannelAccount, ModerationItem, NoticeTemplate
from posko.core.types import AnyUser
from posko.org.lookup import polres_units
from posko.org.permissions import CHANNEL_ADMIN_ROLES, MODERATION_ROLES, officer_of


def moderation_items(user: AnyUser) -> QuerySet[ModerationItem]:
    """The moderation stream the user may work: their Polres's items, moderators only."""
    officer = officer_of(user)
    if officer is None or officer.role not in MODERATION_ROLES:
        return ModerationItem.objects.none()
    return ModerationItem.objects.filter(polres__in=polres_units(officer.unit))


def channel_accounts(user: AnyUser) -> QuerySet[ChannelAccount]:
    """The official accounts the user may manage: their Polres's, channel admins only."""
    officer = officer_of(user)
    if officer is None or officer.role not in CHANNEL_ADMIN_ROLES:
        return ChannelAccount.objects.none()
    return ChannelAccount.objects.filter(polres__in=polres_units(officer.unit))


def notice_templates(user: AnyUser) -> QuerySet[NoticeTemplate]:
    """The notice templates the user may edit: their Polres's, channel admins only."""
    officer = officer_of(user)
    if officer is None or officer.role not in CHANNEL_ADMIN_ROLES:
        return NoticeTemplate.objects.none()
    return NoticeTemplate.objects.filter(polres__in=polres_units(officer.unit))
