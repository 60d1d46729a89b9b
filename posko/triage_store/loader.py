"""The Triager for a Polres: its landmarks and its active model version (or the shipped one)."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from django.db.models.signals import post_delete, post_save

from posko.org.models import Unit
from posko.triage import Landmark, Triager, get_triager
from posko.triage.model import ModelBundle
from posko.triage_store.models import Landmark as LandmarkRow
from posko.triage_store.models import TriageModelVersion

DEFAULT_KABUPATEN = "19.06"


def kabupaten_of(polres: Unit) -> str:
    return polres.region_id or DEFAULT_KABUPATEN


def landmarks_of(polres: Unit) -> tuple[Landmark, ...]:
    return tuple(
        Landmark(name=row.name, desa_code=row.desa_id, aliases=row.alias_list)
        for row in LandmarkRow.objects.filter(polres=polres).order_by("name")
    )


# Per-process snapshot of each Polres's triager: a drain triages hundreds of messages a
# second, and two queries per message for the same answer are most of its database work.
SNAPSHOT_SECONDS = 2.0
_snapshots: dict[int, tuple[float, Triager]] = {}


def forget_triagers(*args: Any, **kwargs: Any) -> None:
    """Drop the snapshots (a landmark or model version changed in this process)."""
    _snapshots.clear()


post_save.connect(forget_triagers, sender=LandmarkRow, dispatch_uid="triager-landmark-saved")
post_delete.connect(forget_triagers, sender=LandmarkRow, dispatch_uid="triager-landmark-gone")
post_save.connect(forget_triagers, sender=TriageModelVersion, dispatch_uid="triager-model-saved")


def triager_for(polres: Unit) -> Triager:
    """Cached per (kabupaten, landmarks, active version): this process picks up a retrain, a
    rollback or an edited landmark on its next message, other processes within
    ``SNAPSHOT_SECONDS``."""
    now = time.monotonic()
    snapshot = _snapshots.get(polres.pk)
    if snapshot is not None and snapshot[0] > now:
        return snapshot[1]
    triager = _load(polres)
    _snapshots[polres.pk] = (now + SNAPSHOT_SECONDS, triager)
    return triager


def _load(polres: Unit) -> Triager:
    active = (
        TriageModelVersion.objects.filter(polres=polres, is_active=True)
        .values_list("pk", "path")
        .first()
    )
    return _build(kabupaten_of(polres), landmarks_of(polres), active)


@lru_cache(maxsize=32)
def _build(
    kabupaten_code: str, landmarks: tuple[Landmark, ...], active: tuple[int, str] | None
) -> Triager:
    if active is None:
        return get_triager(kabupaten_code, landmarks)
    return Triager(kabupaten_code, landmarks, model=ModelBundle.load(active[1]))
