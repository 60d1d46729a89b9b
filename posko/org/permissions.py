"""Who may do what: the roles behind each kind of permission, in one place.

Actions check these (``posko.aduan.access.require_*`` and the other domains' checks); views,
the API and templates only ask. Scopes (own unit, other unit, other Polres, restricted,
subject of the complaint) are applied by the permission-scoped selectors of each domain.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from posko.core.types import AnyUser
from posko.org.models import Officer, Role, Unit

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
# Roles that keep the Polres's triage in shape: landmarks, model versions, retraining.
TRIAGE_SETUP_ROLES = DISPATCH_ROLES
# Roles that work the public-comment moderation stream of their Polres.
MODERATION_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN})
# Roles that manage the Polres's official channel accounts (credentials) and notice templates.
CHANNEL_ADMIN_ROLES = frozenset({Role.ADMIN})
# Roles that may record the unit/member a restricted complaint is about.
SUBJECT_ROLES = frozenset({Role.PROPAM, Role.PIMPINAN})
# Roles that approve (or send back) public replies that need approval: replies on restricted
# aduan and on large or flagged incidents. Their own replies need none.
REPLY_APPROVER_ROLES = frozenset({Role.PIMPINAN})
# Roles that may send an urgent safety reply directly, without waiting for approval (the
# reply is marked urgent in the audit trail).
URGENT_REPLY_ROLES = frozenset({Role.OPERATOR, Role.PIMPINAN, Role.PROPAM})
# Roles that edit the Polres's macros and share saved inbox views with the whole Polres.
WORKBENCH_ADMIN_ROLES = frozenset({Role.ADMIN})


def officer_of(user: AnyUser | None) -> Officer | None:
    if user is None or isinstance(user, AnonymousUser):
        return None
    try:
        return user.officer
    except Officer.DoesNotExist:
        return None


def has_role(user: AnyUser | None, roles: frozenset[str]) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in roles


class NotPermitted(Exception):
    """The actor may not perform this change (the message says why). Actions raise it (or a
    subclass, e.g. ``AduanPermissionDenied``); the console answers 403, the API 403."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("Anda tidak berwenang melakukan perubahan ini."))


def authorize_in_polres(
    user: AnyUser | None, roles: frozenset[str], polres: Unit, message: str = ""
) -> Officer:
    """Inside an action: the actor holds one of ``roles`` in ``polres``."""
    officer = officer_of(user)
    if officer is None or officer.role not in roles or officer.unit.polres != polres:
        raise NotPermitted(message)
    return officer
