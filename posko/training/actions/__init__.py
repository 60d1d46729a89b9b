"""Training actions: start an exercise, submit it. They read closed aduan and write only
training rows and the audit row (target ``training:<id>``, never the real aduan): nothing done
in training reaches a citizen, a channel or the real inbox."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posko.aduan.audit import record_polres_audit
from posko.aduan.codes import ALPHABET
from posko.aduan.models import Aduan
from posko.aduan.models.choices import CLOSED_STATUSES, RESTRICTED_CATEGORIES, Category, Priority
from posko.org.models import Officer, Role, Unit
from posko.org.permissions import NotPermitted, officer_of
from posko.training.masking import mask_text
from posko.training.models import TrainingAttempt
from posko.training.scoring import score_attempt

AUDIT_KINDS = {
    "training_started": gettext_lazy("Latihan dimulai"),
    "training_submitted": gettext_lazy("Latihan dinilai"),
}
# Everyone who answers or handles aduan may train; auditors only read the records.
TRAINEE_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.OPERATOR,
        Role.PETUGAS,
        Role.BHABINKAMTIBMAS,
        Role.PIMPINAN,
        Role.PROPAM,
    }
)


class TrainingError(ValueError):
    """A submission that cannot be scored (the message is Indonesian)."""


def _trainee(user: User | None) -> Officer:
    officer = officer_of(user)
    if officer is None or officer.role not in TRAINEE_ROLES or officer.unit.polres is None:
        raise NotPermitted(_("Akun ini tidak dapat mengikuti latihan."))
    return officer


def exercise_pool(polres: Unit) -> QuerySet[Aduan]:
    """Closed, non-restricted aduan of the Polres that make exercises."""
    return Aduan.objects.filter(
        polres=polres, status__in=sorted(CLOSED_STATUSES), handling_unit__isnull=False
    ).exclude(category__in=sorted(RESTRICTED_CATEGORIES))


def do_start_exercise(*, acting_user: User) -> TrainingAttempt:
    """A new exercise for the trainee: a closed aduan of their Polres they have not done yet,
    its text anonymised."""
    officer = _trainee(acting_user)
    polres = officer.unit.polres
    assert polres is not None
    done = TrainingAttempt.objects.filter(officer=officer).values("source_id")
    pool = exercise_pool(polres).exclude(pk__in=done)
    count = pool.count()
    if count == 0:
        raise TrainingError(_("Belum ada aduan selesai yang dapat dijadikan latihan."))
    source = pool.order_by("pk")[secrets.randbelow(count)]
    names = [source.reporter_name]
    if source.assigned_officer_id:
        assert source.assigned_officer is not None
        names.append(source.assigned_officer.user.get_full_name())
    with transaction.atomic():
        attempt = TrainingAttempt.objects.create(
            officer=officer,
            polres=polres,
            source=source,
            exercise_code="LAT-" + "".join(secrets.choice(ALPHABET) for _ in range(6)),
            exercise_text=mask_text(source.text, names=names),
        )
        record_polres_audit(
            polres, "training_started", actor=acting_user, target=f"training:{attempt.pk}"
        )
    return attempt


def do_submit_exercise(
    attempt: TrainingAttempt,
    *,
    category: str,
    priority: str,
    unit: Unit | None,
    reply: str,
    acting_user: User,
) -> TrainingAttempt:
    """Score the trainee's triage and reply against the real outcome; time taken since the
    exercise was opened. Only the trainee's own, unsubmitted attempt."""
    officer = _trainee(acting_user)
    if attempt.officer_id != officer.pk:
        raise NotPermitted(_("Latihan ini milik personel lain."))
    if category not in Category.values or priority not in Priority.values:
        raise TrainingError(_("Pilih kategori dan prioritas."))
    if unit is not None and attempt.polres_id not in (unit.pk, unit.parent_id):
        raise TrainingError(_("Satuan tidak dikenal."))
    reply = reply.strip()
    if not reply:
        raise TrainingError(_("Tulis balasan untuk pelapor."))
    with transaction.atomic():
        attempt = TrainingAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise TrainingError(_("Latihan ini sudah dinilai."))
        real = attempt.source
        stand_in = Aduan(polres=attempt.polres, code=attempt.exercise_code, category=category)
        score = score_attempt(
            real,
            exercise=stand_in,
            category=category,
            priority=priority,
            unit_id=unit.pk if unit else None,
            reply=reply,
        )
        now = timezone.now()
        attempt.category, attempt.priority, attempt.unit, attempt.reply = (
            category,
            priority,
            unit,
            reply,
        )
        attempt.submitted_at = now
        attempt.seconds_taken = max(0, int((now - attempt.started_at).total_seconds()))
        attempt.score = score.total
        attempt.result = score.as_json()
        attempt.save()
        record_polres_audit(
            attempt.polres,
            "training_submitted",
            actor=acting_user,
            target=f"training:{attempt.pk}",
            score=score.total,
            seconds=attempt.seconds_taken,
        )
    return attempt
