"""Type aliases shared across apps."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

AnyUser = User | AnonymousUser


def staff_user(request: HttpRequest) -> User:
    """The logged-in user of a request that passed an authentication check."""
    user = request.user
    assert isinstance(user, User), "authenticated staff user expected"
    return user
