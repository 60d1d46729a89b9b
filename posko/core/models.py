from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityKind(models.TextChoices):
    LOGIN = "login", _("Masuk dengan kata sandi")
    LOGIN_FAILED = "login_failed", _("Kata sandi salah")
    LOCKED_OUT = "locked_out", _("Masuk dikunci sementara")
    TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Verifikasi dua langkah didaftarkan")
    TWO_FACTOR_VERIFIED = "2fa_verified", _("Kode verifikasi diterima")
    TWO_FACTOR_FAILED = "2fa_failed", _("Kode verifikasi salah")
    RECOVERY_CODE_USED = "recovery_code_used", _("Kode pemulihan dipakai")
    TWO_FACTOR_RESET = "2fa_reset", _("Verifikasi dua langkah direset")


class SecurityEvent(models.Model):
    """Append-only trail of logins and two-factor events (not tied to an aduan, unlike
    ``aduan.AuditEvent``)."""

    kind = models.CharField(max_length=30, choices=SecurityKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("peristiwa keamanan")
        verbose_name_plural = _("peristiwa keamanan")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.username} @ {self.created_at:%Y-%m-%d %H:%M}"
