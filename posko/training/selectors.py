"""Who sees which training records: every trainee their own; the Kapolres/Wakapolres (and
auditors) the record of every officer of their Polres."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q
from django.utils.translation import gettext as _

from posko.core.types import AnyUser
from posko.org.models import Officer, Role, Unit
from posko.org.permissions import NotPermitted, officer_of
from posko.training.models import TrainingAttempt

RECORD_READERS = frozenset({Role.PIMPINAN, Role.AUDITOR})


@dataclass(frozen=True)
class OfficerRecord:
    officer: Officer
    exercises: int
    average_score: float | None
    best_score: int | None
    average_seconds: float | None
    category_right: int


def own_attempts(user: AnyUser) -> list[TrainingAttempt]:
    officer = officer_of(user)
    if officer is None:
        return []
    return list(TrainingAttempt.objects.filter(officer=officer).select_related("unit")[:50])


def may_read_records(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in RECORD_READERS


def officer_records(user: AnyUser) -> tuple[Unit, list[OfficerRecord]]:
    """Per officer of the reader's Polres: exercises done, average and best score, time."""
    officer = officer_of(user)
    if officer is None or officer.role not in RECORD_READERS or officer.unit.polres is None:
        raise NotPermitted(_("Rekap latihan hanya untuk pimpinan."))
    polres = officer.unit.polres
    done = Q(training_attempts__submitted_at__isnull=False, training_attempts__polres=polres)
    rows = (
        Officer.objects.filter(Q(unit=polres) | Q(unit__parent=polres))
        .select_related("user", "unit")
        .annotate(
            exercises=Count("training_attempts", filter=done),
            average_score=Avg("training_attempts__score", filter=done),
            best_score=Max("training_attempts__score", filter=done),
            average_seconds=Avg("training_attempts__seconds_taken", filter=done),
            category_right=Count(
                "training_attempts", filter=done & Q(training_attempts__result__category__gt=0)
            ),
        )
        .order_by("-exercises", "unit__name", "user__username")
    )
    return polres, [
        OfficerRecord(
            officer=row,
            exercises=row.exercises,
            average_score=row.average_score,
            best_score=row.best_score,
            average_seconds=row.average_seconds,
            category_right=row.category_right,
        )
        for row in rows
    ]
