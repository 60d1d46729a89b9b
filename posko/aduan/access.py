"""Permission-scoped reads of aduan.

Every read that depends on who is asking goes through these helpers, so the tenant (Polres)
boundary and the restricted-category rules (taxonomy: "visible only to the handling unit, the
Kapolres/Wakapolres and auditors, never to the unit or officer the report is about") cannot be
forgotten by a view, the API or a command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from posko.aduan.models import Aduan, AuditEvent
from posko.aduan.models.choices import RESTRICTED_CATEGORIES, Category
from posko.core.types import AnyUser
from posko.org.lookup import polres_units
from posko.org.models import Officer, Role

if TYPE_CHECKING:
    from posko.channels.models import ChannelAccount, ModerationItem

# Roles that see every (non-restricted) aduan of their Polres.
POLRES_WIDE_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN, Role.AUDITOR})
# Roles that see restricted aduan of their Polres besides the handling unit.
RESTRICTED_READERS = frozenset({Role.PIMPINAN, Role.AUDITOR})
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
INTAKE_ROLES = frozenset(
    {Role.ADMIN, Role.OPERATOR, Role.PETUGAS, Role.BHABINKAMTIBMAS, Role.PIMPINAN, Role.PROPAM}
)
# Roles allowed to route an aduan to any unit of the Polres.
DISPATCH_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN})
# Roles allowed to change the Polres's policy (SLA targets, service hours).
SETTINGS_ROLES = frozenset({Role.ADMIN, Role.PIMPINAN})
# Roles that work the public-comment moderation stream of their Polres.
MODERATION_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN})
# Roles that manage the Polres's official channel accounts (credentials).
CHANNEL_ADMIN_ROLES = frozenset({Role.ADMIN})


class AduanNotFound(Exception):
    """The aduan does not exist or the user may not see it (deliberately indistinguishable)."""


class AduanPermissionDenied(Exception):
    """The user may see the aduan but not perform this change."""


def officer_of(user: AnyUser) -> Officer | None:
    if isinstance(user, AnonymousUser):
        return None
    try:
        return user.officer
    except Officer.DoesNotExist:
        return None


def visible_aduan(user: AnyUser) -> QuerySet[Aduan]:
    """All aduan the user may see."""
    officer = officer_of(user)
    if officer is None:
        return Aduan.objects.none()
    qs = Aduan.objects.filter(polres__in=polres_units(officer.unit))

    if officer.role in POLRES_WIDE_ROLES:
        scope = Q()
    elif officer.role == Role.BHABINKAMTIBMAS:
        # A list, not a subquery: the planner then uses the (desa, status) index.
        own_desa = list(officer.desa.values_list("code", flat=True))
        scope = Q(desa__in=own_desa) | Q(assigned_officer=officer)
    else:  # petugas, propam: their own unit's work
        scope = Q(handling_unit=officer.unit) | Q(polsek=officer.unit) | Q(assigned_officer=officer)
        if officer.role == Role.PROPAM:
            scope |= Q(category=Category.PELANGGARAN_ANGGOTA)

    restricted = Q(category__in=RESTRICTED_CATEGORIES)
    if officer.role in RESTRICTED_READERS:
        may_see_restricted = Q()
    else:
        may_see_restricted = Q(handling_unit=officer.unit) | Q(assigned_officer=officer)
        if officer.role == Role.PROPAM:
            may_see_restricted |= Q(category=Category.PELANGGARAN_ANGGOTA)
    about_them = Q(subject_unit=officer.unit) | Q(subject_officer=officer)
    return qs.filter(scope).filter(~restricted | (may_see_restricted & ~about_them))


def access_aduan_by_code(user: AnyUser, code: str, *, record_view: bool = True) -> Aduan:
    """Fetch one aduan the user may see, recording the view of a restricted one."""
    aduan = (
        visible_aduan(user)
        .select_related(
            "polres", "desa", "kecamatan", "handling_unit", "polsek", "assigned_officer__user"
        )
        .filter(code=code.strip().upper())
        .first()
    )
    if aduan is None:
        raise AduanNotFound(code)
    if record_view and aduan.is_restricted:
        actor = None if isinstance(user, AnonymousUser) else user
        AuditEvent.objects.create(aduan=aduan, actor=actor, action="viewed", data={})
    return aduan


def can_change(user: AnyUser, aduan: Aduan) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role not in READ_ONLY_ROLES


def can_dispatch(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in DISPATCH_ROLES


def can_configure(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in SETTINGS_ROLES


def can_set_subject(user: AnyUser) -> bool:
    """Who may record the unit/member a restricted complaint is about."""
    officer = officer_of(user)
    return officer is not None and officer.role in {Role.PROPAM, Role.PIMPINAN}


def can_intake(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in INTAKE_ROLES


def can_moderate(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in MODERATION_ROLES


def can_manage_channels(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in CHANNEL_ADMIN_ROLES


def moderation_items(user: AnyUser) -> QuerySet[ModerationItem]:
    """The moderation stream the user may work: their Polres's items, moderators only."""
    from posko.channels.models import ModerationItem

    officer = officer_of(user)
    if officer is None or officer.role not in MODERATION_ROLES:
        return ModerationItem.objects.none()
    return ModerationItem.objects.filter(polres__in=polres_units(officer.unit))


def channel_accounts(user: AnyUser) -> QuerySet[ChannelAccount]:
    """The official accounts the user may manage: their Polres's, channel admins only."""
    from posko.channels.models import ChannelAccount

    officer = officer_of(user)
    if officer is None or officer.role not in CHANNEL_ADMIN_ROLES:
        return ChannelAccount.objects.none()
    return ChannelAccount.objects.filter(polres__in=polres_units(officer.unit))


def require_change(user: AnyUser, aduan: Aduan) -> Officer:
    officer = officer_of(user)
    if officer is None or not can_change(user, aduan):
        raise AduanPermissionDenied
    return officer
