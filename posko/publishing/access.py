"""Who may compose, approve and publish directly, and which posts a user sees.

"Approve" and "publish directly" are separate permissions: pimpinan and admin approve; an
operator on duty may publish an urgent warning (security warning, traffic advisory) at once,
without being able to approve anything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from posko.aduan.access import officer_of
from posko.core.types import AnyUser
from posko.org.lookup import polres_units
from posko.org.models import Role, Unit
from posko.publishing.models import URGENT_KINDS, Post, PostStatus, Subscriber, TargetStatus

COMPOSE_ROLES = frozenset({Role.OPERATOR, Role.PIMPINAN, Role.ADMIN})
APPROVE_ROLES = frozenset({Role.PIMPINAN, Role.ADMIN})
PUBLISH_DIRECT_ROLES = frozenset({Role.PIMPINAN, Role.ADMIN, Role.OPERATOR})
READ_ROLES = COMPOSE_ROLES | {Role.AUDITOR}
# Roles that send alerts and may see subscribers' numbers in full.
SUBSCRIBER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})


class PublishingPermissionDenied(Exception):
    """The user may not do this with posts."""


def _role(user: AnyUser) -> str | None:
    officer = officer_of(user)
    return officer.role if officer is not None else None


def can_compose(user: AnyUser) -> bool:
    return _role(user) in COMPOSE_ROLES


def can_approve(user: AnyUser) -> bool:
    return _role(user) in APPROVE_ROLES


def can_publish_directly(user: AnyUser, post: Post) -> bool:
    return _role(user) in PUBLISH_DIRECT_ROLES and post.kind in URGENT_KINDS


def can_read(user: AnyUser) -> bool:
    return _role(user) in READ_ROLES


def can_see_phone_numbers(user: AnyUser) -> bool:
    return _role(user) in SUBSCRIBER_ROLES


def visible_posts(user: AnyUser) -> QuerySet[Post]:
    officer = officer_of(user)
    if officer is None or officer.role not in READ_ROLES:
        return Post.objects.none()
    return Post.objects.filter(polres__in=polres_units(officer.unit))


def visible_subscribers(user: AnyUser) -> QuerySet[Subscriber]:
    officer = officer_of(user)
    if officer is None or officer.role not in READ_ROLES:
        return Subscriber.objects.none()
    return Subscriber.objects.filter(polres__in=polres_units(officer.unit))


PUBLIC_STATUSES = frozenset({PostStatus.PUBLISHED, PostStatus.PARTLY_PUBLISHED})


def public_posts(polres: Unit, kinds: Iterable[str], *, days: int = 30) -> QuerySet[Post]:
    """What the public pages show: posts of these kinds published on at least one account in
    the last ``days`` days (never drafts, posts in review, rejected or failed ones)."""
    since = timezone.now() - timedelta(days=days)
    return (
        Post.objects.filter(polres=polres, kind__in=list(kinds), status__in=PUBLIC_STATUSES)
        .filter(targets__status=TargetStatus.PUBLISHED, targets__published_at__gte=since)
        .distinct()
        .prefetch_related("media")
        .order_by("-approved_at", "-id")
    )


def mask_address(address: str) -> str:
    """``+62812****7890``: enough to tell numbers apart, not to call them."""
    if len(address) <= 6:
        return "*" * len(address)
    return address[:5] + "*" * (len(address) - 9) + address[-4:]
