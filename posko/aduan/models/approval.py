"""Replies that need a pimpinan's approval before they go out (restricted aduan, large or
flagged incidents): draft → approved → sent, or changes requested with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.org.models import Unit

DEFAULT_APPROVAL_MIN_REPORTS = 5


class ReplyPolicy(models.Model):
    """Per-Polres: from how many reports an incident counts as large (its replies need
    approval)."""

    polres = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="reply_policy")
    approval_min_reports = models.PositiveIntegerField(
        _("persetujuan mulai dari jumlah laporan insiden"), default=DEFAULT_APPROVAL_MIN_REPORTS
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kebijakan balasan")
        verbose_name_plural = _("kebijakan balasan")

    def __str__(self) -> str:
        return f"{self.polres_id}: {self.approval_min_reports}"


class DraftState(models.TextChoices):
    DRAFT = "draft", _("menunggu persetujuan")
    APPROVED = "approved", _("disetujui")
    CHANGES_REQUESTED = "changes_requested", _("perlu perbaikan")
    SENT = "sent", _("terkirim")


class ReplyDraft(models.Model):
    aduan = models.ForeignKey("aduan.Aduan", on_delete=models.CASCADE, related_name="reply_drafts")
    text = models.TextField(_("isi balasan"), max_length=5000)
    state = models.CharField(
        _("status"), max_length=20, choices=DraftState.choices, default=DraftState.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_reason = models.TextField(_("alasan"), blank=True, max_length=1000)
    message = models.ForeignKey(
        "aduan.AduanMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("draf balasan")
        verbose_name_plural = _("draf balasan")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="reply_draft_state")]

    def __str__(self) -> str:
        return f"{self.aduan_id}/{self.pk} {self.state}"
