"""Permission-scoped reads of aduan.

Every read that depends on who is asking goes through these helpers, so the tenant (Polres)
boundary and the restricted-category rules (taxonomy: "visible only to the handling unit, the
Kapolres/Wakapolres and auditors, never to the unit or officer the report is about") cannot be
forgotten by a view, the API or a command.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from posko.aduan.models import Aduan, AuditEvent, Incident
from posko.aduan.models.choices import RESTRICTED_CATEGORIES, Category
from posko.core.types import AnyUser
from posko.org.lookup import polres_units
from posko.org.models import Officer, Role, Unit, UnitKind
from posko.org.permissions import (
    CHANNEL_ADMIN_ROLES,
    DISPATCH_ROLES,
    INTAKE_ROLES,
    MODERATION_ROLES,
    POLRES_WIDE_ROLES,
    READ_ONLY_ROLES,
    RESTRICTED_READERS,
    SETTINGS_ROLES,
    SUBJECT_ROLES,
    NotPermitted,
    has_role,
    officer_of,
)

__all__ = [
    "CHANNEL_ADMIN_ROLES",
    "DISPATCH_ROLES",
    "INTAKE_ROLES",
    "MODERATION_ROLES",
    "POLRES_WIDE_ROLES",
    "READ_ONLY_ROLES",
    "RESTRICTED_READERS",
    "SETTINGS_ROLES",
    "AduanNotFound",
    "AduanPermissionDenied",
    "ReporterIdentity",
    "access_aduan_by_code",
    "may_see_reporter",
    "officer_of",
    "reporter_identity",
    "visible_aduan",
]


@dataclass(frozen=True)
class ReporterIdentity:
    """Who reported, as the asking user may see it: empty for anonymous reports, masked
    (``hidden``) for confidential ones outside the few who may see them."""

    name: str = ""
    phone: str = ""
    email: str = ""
    anonymous: bool = False
    confidential: bool = False
    hidden: bool = False

    @property
    def contactable(self) -> bool:
        """Tap-to-call / WhatsApp links may be shown."""
        return bool(self.phone) and not self.hidden and not self.anonymous


def may_see_reporter(user: AnyUser | None, aduan: Aduan) -> bool:
    """A confidential reporter's identity is for the handling unit's head, Propam and the
    Kapolres/Wakapolres only; other reports' identity for whoever may see the aduan."""
    if not aduan.confidential:
        return True
    officer = officer_of(user) if user is not None else None
    if officer is None:
        return False
    if officer.role in (Role.PIMPINAN, Role.PROPAM):
        return True
    return officer.is_unit_head and officer.unit_id == aduan.handling_unit_id


def reporter_identity(user: AnyUser | None, aduan: Aduan) -> ReporterIdentity:
    """The reporter's identity for this user (console detail, API, placeholders, exports)."""
    if aduan.anonymous:
        return ReporterIdentity(anonymous=True)
    if not may_see_reporter(user, aduan):
        return ReporterIdentity(confidential=True, hidden=True)
    return ReporterIdentity(
        name=aduan.reporter_name,
        phone=aduan.reporter_phone,
        email=aduan.reporter_email,
        confidential=aduan.confidential,
    )


class AduanNotFound(Exception):
    """The aduan does not exist or the user may not see it (deliberately indistinguishable)."""


class AduanPermissionDenied(NotPermitted):
    """The user may see the aduan but not perform this change (the message says why)."""


def visible_aduan(user: AnyUser, *, polres_ids: list[int] | None = None) -> QuerySet[Aduan]:
    """All aduan the user may see. ``polres_ids``: the ids of ``polres_units(officer.unit)``
    when the caller has read them already (one query less)."""
    officer = officer_of(user)
    if officer is None:
        return Aduan.objects.none()
    if polres_ids is None:
        polres_ids = [u.pk for u in polres_units(officer.unit)]
    qs = Aduan.objects.filter(polres__in=polres_ids)

    if officer.role in POLRES_WIDE_ROLES:
        scope = Q()
    elif officer.role == Role.BHABINKAMTIBMAS:
        # A list, not a subquery: the planner then uses the (desa, status) index.
        own_desa = list(officer.desa.values_list("code", flat=True))
        scope = _bhabin_scope(officer, own_desa)
    else:  # petugas, propam: their own unit's work
        scope = Q(handling_unit=officer.unit) | Q(polsek=officer.unit) | Q(assigned_officer=officer)
        if officer.role == Role.PROPAM:
            scope |= Q(category=Category.PELANGGARAN_ANGGOTA)

    qs = qs.filter(scope)
    if officer.unit.kind in (UnitKind.POLDA, UnitKind.MABES):
        # Above the Polres: no detail of a restricted aduan crosses the Polres boundary (a
        # Polda or Mabes officer sees them as counts in the roll-up, never as aduan).
        return qs.exclude(category__in=RESTRICTED_CATEGORIES)
    if officer.role not in RESTRICTED_READERS:
        may_see_restricted = Q(handling_unit=officer.unit) | Q(assigned_officer=officer)
        if officer.role == Role.PROPAM:
            may_see_restricted |= Q(category=Category.PELANGGARAN_ANGGOTA)
        qs = qs.filter(~Q(category__in=RESTRICTED_CATEGORIES) | may_see_restricted)
    # The unit or member a complaint is about never sees it, whatever its category becomes
    # later (a re-labelled complaint keeps its subject).
    return qs.exclude(Q(subject_unit=officer.unit) | Q(subject_officer=officer))


def _bhabin_scope(officer: Officer, own_desa: list[str]) -> Q:
    """Their desa's aduan, and those assigned to them. Aduan assigned to a Bhabinkamtibmas
    outside their desa are rare, and without any the scope is one range of the (desa, status)
    index: the inbox's counts are then index-only scans (at 1 M aduan 0.5 ms each instead of
    15 ms for the bitmap the ``OR`` forces)."""
    scope = Q(desa__in=own_desa)
    assigned_elsewhere = Aduan.objects.filter(assigned_officer=officer).exclude(scope)
    if assigned_elsewhere.exists():
        scope |= Q(assigned_officer=officer)
    return scope


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
    if record_view:
        record_restricted_views(user, [aduan], via="detail")
    return aduan


def record_restricted_views(user: AnyUser, aduans: Iterable[Aduan], *, via: str) -> None:
    """One "viewed" audit row per restricted aduan whose content the user is shown (detail
    page, inbox preview, API list or detail, photo), saying through what."""
    actor = None if isinstance(user, AnonymousUser) else user
    rows = [
        AuditEvent(
            aduan=aduan, polres_id=aduan.polres_id, actor=actor, action="viewed", data={"via": via}
        )
        for aduan in aduans
        if aduan.is_restricted
    ]
    if rows:  # bulk_create([]) costs nothing, but of a generator it opens a transaction
        AuditEvent.objects.bulk_create(rows)


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
    return has_role(user, SUBJECT_ROLES)


def can_intake(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in INTAKE_ROLES


def can_moderate(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in MODERATION_ROLES


def can_manage_channels(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in CHANNEL_ADMIN_ROLES


def authorize_change(user: AnyUser | None, aduan: Aduan) -> Officer:
    """Check, inside an action, that the actor may change this aduan: it must be one they may
    see (else ``AduanNotFound``, indistinguishable from a missing one) and their role must
    not be read-only (else ``AduanPermissionDenied``)."""
    officer = _seeing_officer(user, aduan)
    if officer.role in READ_ONLY_ROLES:
        raise AduanPermissionDenied
    return officer


def _seeing_officer(user: AnyUser | None, aduan: Aduan) -> Officer:
    """The actor's officer, when the aduan is one they may see; else ``AduanNotFound``."""
    officer = officer_of(user)
    if officer is None or user is None or not visible_aduan(user).filter(pk=aduan.pk).exists():
        raise AduanNotFound(aduan.code)
    return officer


def authorize_dispatch(user: AnyUser | None, aduan: Aduan, unit: Unit) -> Officer:
    """Moving an aduan to another unit is for the dispatch roles; anyone who may change it
    may (re)assign within its current unit."""
    officer = authorize_change(user, aduan)
    if officer.role not in DISPATCH_ROLES and unit.pk != aduan.handling_unit_id:
        raise AduanPermissionDenied(
            _("Hanya operator atau pimpinan yang dapat memindahkan ke satuan lain.")
        )
    return officer


def authorize_subject(user: AnyUser | None, aduan: Aduan) -> Officer:
    officer = authorize_change(user, aduan)
    if officer.role not in SUBJECT_ROLES:
        raise AduanPermissionDenied(
            _("Hanya Propam atau pimpinan yang dapat mencatat pihak yang diadukan.")
        )
    return officer


def authorize_configure(user: AnyUser | None, polres: Unit) -> Officer:
    """Changing a Polres's policy: a settings role of that Polres."""
    officer = officer_of(user)
    if officer is None or officer.role not in SETTINGS_ROLES or officer.unit.polres != polres:
        raise AduanPermissionDenied
    return officer


def visible_incidents(user: AnyUser) -> QuerySet[Incident]:
    """Incidents with at least one report the user may see (the others stay hidden in them)."""
    seen = visible_aduan(user).filter(incident__isnull=False).values("incident_id")
    return Incident.objects.filter(pk__in=seen)


class IncidentNotFound(Exception):
    """The incident does not exist or the user sees none of its reports."""


def access_incident(user: AnyUser, incident_id: int) -> Incident:
    incident = visible_incidents(user).filter(pk=incident_id).first()
    if incident is None:
        raise IncidentNotFound(incident_id)
    return incident


def authorize_incident_change(
    user: AnyUser | None, *, aduans: Iterable[Aduan] = (), incidents: Iterable[Incident] = ()
) -> Officer:
    """Grouping reports into incidents (join, split, merge) is for the dispatch roles, on
    reports and incidents they can see."""
    officer = officer_of(user)
    if officer is None or user is None:
        raise IncidentNotFound()
    for aduan in aduans:
        _seeing_officer(user, aduan)
    for incident in incidents:
        access_incident(user, incident.pk)
    if officer.role not in DISPATCH_ROLES:
        raise AduanPermissionDenied(
            _("Hanya operator atau pimpinan yang dapat menggabungkan atau memisahkan laporan.")
        )
    return officer
