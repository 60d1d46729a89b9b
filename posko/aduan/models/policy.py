from __future__ import annotations

from datetime import time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.aduan.models.choices import Priority
from posko.org.models import Unit

# Defaults from shared/spec/taxonomy.md (first response); resolution targets are ours.
DEFAULT_SLA_MINUTES: dict[str, tuple[int, int]] = {
    Priority.DARURAT: (15, 24 * 60),
    Priority.TINGGI: (60, 3 * 24 * 60),
    Priority.SEDANG: (24 * 60, 7 * 24 * 60),
    Priority.RENDAH: (72 * 60, 14 * 24 * 60),
}


class SlaPolicy(models.Model):
    """Per-Polres SLA targets for one priority."""

    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="sla_policies")
    priority = models.CharField(_("prioritas"), max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("respons pertama (menit)"))
    resolution_minutes = models.PositiveIntegerField(_("penyelesaian (menit)"))
    working_hours_only = models.BooleanField(
        _("hanya jam kerja"),
        default=False,
        help_text=_("Hitung target hanya pada jam pelayanan, di luar akhir pekan dan hari libur."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("target SLA")
        verbose_name_plural = _("target SLA")
        constraints = [
            models.UniqueConstraint(fields=["polres", "priority"], name="sla_unique_priority")
        ]

    def __str__(self) -> str:
        return f"{self.polres_id}/{self.priority}"


class ServiceHours(models.Model):
    """A Polres's service hours, used by SLA targets marked "working hours only"."""

    polres = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="service_hours")
    opens_at = models.TimeField(_("jam buka"), default=time(8, 0))
    closes_at = models.TimeField(_("jam tutup"), default=time(16, 0))
    saturday_open = models.BooleanField(_("buka hari Sabtu"), default=False)
    observe_cuti_bersama = models.BooleanField(_("libur cuti bersama"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jam pelayanan")
        verbose_name_plural = _("jam pelayanan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="service_hours_close_after_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class Notification(models.Model):
    """An in-console notification for an officer (escalations, assignments; patrol alerts
    carry no aduan but a console ``link``)."""

    recipient = models.ForeignKey(
        "org.Officer", on_delete=models.CASCADE, related_name="notifications"
    )
    aduan = models.ForeignKey(
        "aduan.Aduan",
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    link = models.CharField(max_length=300, blank=True)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text
