from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityKind(models.TextChoices):
    """Kinds of security audit rows (``aduan.AuditEvent``, written through
    ``posko.core.audit_port``; target ``login:<username>``)."""

    LOGIN = "login", _("Masuk dengan kata sandi")
    LOGIN_FAILED = "login_failed", _("Kata sandi salah")
    LOCKED_OUT = "locked_out", _("Masuk dikunci sementara")
    TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Verifikasi dua langkah didaftarkan")
    TWO_FACTOR_VERIFIED = "2fa_verified", _("Kode verifikasi diterima")
    TWO_FACTOR_FAILED = "2fa_failed", _("Kode verifikasi salah")
    RECOVERY_CODE_USED = "recovery_code_used", _("Kode pemulihan dipakai")
    TWO_FACTOR_RESET = "2fa_reset", _("Verifikasi dua langkah direset")
