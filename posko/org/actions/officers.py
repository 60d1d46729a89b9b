from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from posko.org.models import Officer, Unit
from posko.regions.models import Region


@transaction.atomic
def ensure_officer(
    username: str,
    *,
    role: str,
    unit: Unit,
    full_name: str,
    rank: str = "",
    password: str | None = None,
    is_unit_head: bool = False,
    phone: str = "",
    desa: Iterable[Region] = (),
) -> Officer:
    """Create the staff user and officer profile if missing; set the password when given."""
    User = get_user_model()
    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    officer, _ = Officer.objects.update_or_create(
        user=user,
        defaults={
            "role": role,
            "unit": unit,
            "rank": rank,
            "is_unit_head": is_unit_head,
            "phone": phone,
        },
    )
    if desa:
        officer.desa.set(list(desa))
    return officer
