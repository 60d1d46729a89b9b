"""The Triager for a Polres: its landmarks and its active model version (or the shipped one)."""

from __future__ import annotations

from functools import lru_cache

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


def triager_for(polres: Unit) -> Triager:
    """Cached per (kabupaten, landmarks, active version): every process picks up a retrain,
    a rollback or an edited landmark on its next message."""
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
