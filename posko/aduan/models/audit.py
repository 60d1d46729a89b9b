from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.aduan.models.aduan import Aduan


class AuditEvent(models.Model):
    """Append-only audit trail: every change to an aduan and every view of a restricted one,
    and every change of a Polres's policy and configuration (``aduan`` empty, ``polres`` and
    ``target`` set). Kinds and their labels: ``posko.aduan.audit``."""

    aduan = models.ForeignKey(
        Aduan, on_delete=models.CASCADE, related_name="audit_events", null=True, blank=True
    )
    polres = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    # What a configuration change was about, e.g. "sla_policy", "channel_account:3".
    target = models.CharField(max_length=80, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} @ {self.created_at:%Y-%m-%d %H:%M}"


class StatusChange(models.Model):
    """Status history, shown to the reporter on the tracking page (reason included)."""

    aduan = models.ForeignKey(Aduan, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=15, blank=True)
    to_status = models.CharField(max_length=15)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class LabelCorrection(models.Model):
    """An operator's correction of a triage label: audit and a training example."""

    aduan = models.ForeignKey(Aduan, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=20)
    old_value = models.CharField(max_length=30, blank=True)
    new_value = models.CharField(max_length=30, blank=True)
    text = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"
