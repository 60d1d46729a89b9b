from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from posko.org.models import Unit
from posko.regions.models import Region, RegionLevel
from posko.triage_store.models import Landmark


class LandmarkError(ValueError):
    pass


def do_add_landmark(
    polres: Unit, *, name: str, desa: Region, aliases: str = "", acting_user: User
) -> Landmark:
    """Add a landmark the triage engine will recognise in this Polres's messages."""
    name = " ".join(name.split())
    if len(name) < 3:
        raise LandmarkError(_("Nama landmark terlalu pendek."))
    if desa.level != RegionLevel.DESA or not desa.code.startswith(f"{polres.region_id}."):
        raise LandmarkError(_("Desa harus berada di wilayah Polres ini."))
    try:
        with transaction.atomic():
            return Landmark.objects.create(
                polres=polres, name=name, desa=desa, aliases=aliases.strip()
            )
    except IntegrityError as exc:
        raise LandmarkError(_("Landmark '%(name)s' sudah ada.") % {"name": name}) from exc


@transaction.atomic
def do_delete_landmark(landmark: Landmark, *, acting_user: User) -> None:
    landmark.delete()
