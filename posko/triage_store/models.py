"""What the triage engine needs from the database: per-Polres model versions (trained from the
base set plus that Polres's label corrections) and per-Polres landmarks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.org.models import Unit
from posko.regions.models import Region


class TriageModelVersion(models.Model):
    """A trained triage model for one Polres. At most one version per Polres is active; with
    none active the model shipped with the package is used."""

    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="triage_models")
    version = models.PositiveIntegerField(_("versi"))
    path = models.CharField(_("berkas"), max_length=300)
    is_active = models.BooleanField(_("aktif"), default=False)
    examples = models.PositiveIntegerField(_("contoh latih"), default=0)
    corrections = models.PositiveIntegerField(_("koreksi operator"), default=0)
    metrics = models.JSONField(_("evaluasi"), default=dict, blank=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(_("diaktifkan"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("versi model triase")
        verbose_name_plural = _("versi model triase")
        ordering = ["polres", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["polres", "version"], name="triage_model_unique_version"
            ),
            models.UniqueConstraint(
                fields=["polres"],
                condition=models.Q(is_active=True),
                name="triage_model_one_active_per_polres",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.polres_id} v{self.version}{' (aktif)' if self.is_active else ''}"


class Landmark(models.Model):
    """A well-known place of a Polres (market, port, school, beach) and the desa it lies in."""

    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="landmarks")
    name = models.CharField(_("nama"), max_length=120)
    desa = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa")
    )
    aliases = models.CharField(
        _("nama lain"),
        max_length=300,
        blank=True,
        help_text=_("Dipisah koma, mis. 'psr gantung, pasar lama'"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("landmark")
        verbose_name_plural = _("landmark")
        ordering = ["polres", "name"]
        constraints = [
            models.UniqueConstraint(fields=["polres", "name"], name="landmark_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in self.aliases.split(",") if a.strip())
