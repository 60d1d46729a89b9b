"""Who may do what: the roles behind each kind of permission, in one place.

Actions check these (``posko.aduan.access.require_*`` and the other domains' checks); views,
the API and templates only ask. Scopes (own unit, other unit, other Polres, restricted,
subject of the complaint) are applied by the permission-scoped selectors of each domain.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from posko.core.types import AnyUser
from posko.org.models import Officer, Role

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
# Roles allowed to change the Polres's policy (SLA targets, service hours, landmarks, models).
SETTINGS_ROLES = frozenset({Role.ADMIN, Role.PIMPINAN})
# Roles that work the public-comment moderation stream of their Polres.
MODERATION_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN})
# Roles that manage the Polres's official channel accounts (credentials) and notice templates.
CHANNEL_ADMIN_ROLES = frozenset({Role.ADMIN})
# Roles that may record the unit/member a restricted complaint is about.
SUBJECT_ROLES = frozenset({Role.PROPAM, Role.PIMPINAN})


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
