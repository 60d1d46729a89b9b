"""Every new aduan of a Polres with approved claims is matched against its registry (a
task, after commit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from posko.aduan.models import Aduan


@receiver(post_save, sender=Aduan, dispatch_uid="patrol_match_new_aduan")
def _match_new_aduan(sender: type[Aduan], instance: Aduan, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    from posko.patrol.models import ClaimStatus, HoaxClaim
    from posko.patrol.tasks import match_aduan_claims

    approved = HoaxClaim.objects.filter(polres_id=instance.polres_id, status=ClaimStatus.APPROVED)
    if not approved.exists():
        return  # nothing to match against: no task

    pk = instance.pk
    transaction.on_commit(lambda: match_aduan_claims.enqueue(pk))
