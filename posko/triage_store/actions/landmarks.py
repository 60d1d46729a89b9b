from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from posko.core import audit_port
from posko.org.lookup import is_desa_of_polres
from posko.org.models import Unit
from posko.org.permissions import TRIAGE_SETUP_ROLES, authorize_in_polres
from posko.regions.models import Region
from posko.triage_store.models import Landmark


class LandmarkError(ValueError):
    pass


def _authorize(user: User, polres: Unit) -> None:
    message = _("Hanya operator atau pimpinan yang dapat mengubah landmark.")
    authorize_in_polres(user, TRIAGE_SETUP_ROLES, polres, message)


@transaction.atomic(durable=True)
def do_add_landmark(
    polres: Unit, *, name: str, desa: Region, aliases: str = "", acting_user: User
) -> Landmark:
    """Add a landmark the triage engine will recognise in this Polres's messages."""
    _authorize(acting_user, polres)
    name = " ".join(name.split())
    if len(name) < 3:
        raise LandmarkError(_("Nama landmark terlalu pendek."))
    if not is_desa_of_polres(polres, desa):
        raise LandmarkError(_("Desa harus berada di wilayah Polres ini."))
    try:
        with transaction.atomic():
            landmark = Landmark.objects.create(
                polres=polres, name=name, desa=desa, aliases=aliases.strip()
            )
    except IntegrityError as exc:
        raise LandmarkError(_("Landmark '%(name)s' sudah ada.") % {"name": name}) from exc
    audit_port.record_change(
        polres,
        "landmark_added",
        actor=acting_user,
        target=f"landmark:{landmark.pk}",
        name=name,
        desa=desa.code,
        aliases=landmark.aliases,
    )
    return landmark


@transaction.atomic(durable=True)
def do_delete_landmark(landmark: Landmark, *, acting_user: User) -> None:
    polres = landmark.polres
    _authorize(acting_user, polres)
    audit_port.record_change(
        polres,
        "landmark_deleted",
        actor=acting_user,
        target=f"landmark:{landmark.pk}",
        name=landmark.name,
        desa=landmark.desa_id,
    )
    landmark.delete()
