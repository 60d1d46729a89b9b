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


class TaskChain(models.Model):
    """One self-re-enqueueing chain of background tasks (a feed's polls, the monthly reports,
    the chain check itself), owned by Posko — never read from the task backend's own tables.

    ``token`` names the chain's current link: a link runs only while its token is the row's
    (an older link that turns up after a restart finds another token and stops). ``next_run_at``
    is when the current link is due (pushed forward while a link runs: a heartbeat);
    ``posko.core.chains.ensure_chains`` restarts a chain whose link is overdue by more than its
    margin — lost with a worker, a Redis flush or a restored database."""

    key = models.CharField(max_length=120, unique=True)
    token = models.CharField(max_length=40, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=200, blank=True)
    restarts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rantai tugas")
        verbose_name_plural = _("rantai tugas")

    def __str__(self) -> str:
        return self.key
