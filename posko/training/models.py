from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.aduan.models import Aduan
from posko.aduan.models.choices import Category, Priority
from posko.org.models import Officer, Unit


class TrainingAttempt(models.Model):
    """One exercise an officer did: a closed aduan replayed anonymised, their triage and
    reply, and the score against what really happened. The real aduan is only read."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="training_attempts")
    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # The closed aduan the exercise replays (read only; never shown to the trainee).
    source = models.ForeignKey(Aduan, on_delete=models.CASCADE, related_name="+")
    exercise_code = models.CharField(_("kode latihan"), max_length=13)
    exercise_text = models.TextField(_("isi latihan (disamarkan)"))
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices, blank=True)
    priority = models.CharField(_("prioritas"), max_length=10, choices=Priority.choices, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(_("balasan"), blank=True)

    score = models.PositiveSmallIntegerField(_("nilai"), null=True, blank=True)
    # Points per part and the reply check's findings, for the result page.
    result = models.JSONField(default=dict, blank=True)
    seconds_taken = models.PositiveIntegerField(_("waktu (detik)"), null=True, blank=True)

    class Meta:
        verbose_name = _("latihan")
        verbose_name_plural = _("latihan")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["polres", "officer", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.exercise_code} ({self.officer_id})"
