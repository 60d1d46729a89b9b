"""Bulk changes from the inbox: the same action applied to each selected aduan, all in one
transaction (``composed_actions``). Each aduan goes through its ordinary action, which checks
the actor and writes its own audit row; one refusal rolls the whole bulk back and says which
aduan refused and why."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from posko.aduan.access import AduanNotFound
from posko.aduan.actions.assign import do_assign_aduan
from posko.aduan.actions.common import composed_actions
from posko.aduan.actions.incidents import do_join_incident
from posko.aduan.actions.status import do_change_status
from posko.aduan.models import Aduan
from posko.org.models import Officer, Unit
from posko.org.permissions import NotPermitted

BULK_MAX = 100


class BulkError(ValueError):
    pass


class BulkRefused(NotPermitted):
    """One selected aduan refused the change (permission): nothing was changed."""


def _each(aduans: Sequence[Aduan], apply: Callable[[Aduan], object]) -> int:
    if not aduans:
        raise BulkError(_("Pilih minimal satu aduan."))
    if len(aduans) > BULK_MAX:
        raise BulkError(_("Paling banyak %(n)d aduan sekaligus.") % {"n": BULK_MAX})
    nothing = _("Tidak ada aduan yang diubah.")
    with composed_actions():
        for aduan in aduans:
            try:
                apply(aduan)
            except AduanNotFound as exc:
                raise BulkRefused(
                    _("Aduan %(code)s tidak dapat Anda ubah.") % {"code": aduan.code}
                    + " "
                    + nothing
                ) from exc
            except NotPermitted as exc:
                raise BulkRefused(
                    _("Aduan %(code)s: %(reason)s") % {"code": aduan.code, "reason": exc}
                    + " "
                    + nothing
                ) from exc
            except ValueError as exc:
                raise BulkError(
                    _("Aduan %(code)s: %(reason)s") % {"code": aduan.code, "reason": exc}
                    + " "
                    + nothing
                ) from exc
    return len(aduans)


def do_bulk_assign(
    aduans: Sequence[Aduan], unit: Unit, *, officer: Officer | None = None, acting_user: User
) -> int:
    return _each(
        aduans, lambda a: do_assign_aduan(a, unit, officer=officer, acting_user=acting_user)
    )


def do_bulk_change_status(
    aduans: Sequence[Aduan], new_status: str, *, reason: str = "", acting_user: User
) -> int:
    return _each(
        aduans, lambda a: do_change_status(a, new_status, reason=reason, acting_user=acting_user)
    )


def do_bulk_join_incident(aduans: Sequence[Aduan], *, acting_user: User) -> int:
    """Put every selected aduan in the incident of the first (one is created if it has
    none)."""
    if len(aduans) < 2:
        raise BulkError(_("Pilih minimal dua aduan untuk digabung ke satu insiden."))
    first, rest = aduans[0], aduans[1:]
    return 1 + _each(rest, lambda a: do_join_incident(a, first, acting_user=acting_user))
