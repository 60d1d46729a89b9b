"""Operator tools: canned replies per Polres and category."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.aduan.models import Category
from posko.org.models import Unit


class CannedReply(models.Model):
    """A reply an operator inserts with one click; ``{kode}``, ``{nama_pelapor}`` and
    ``{desa}`` are filled from the aduan. Empty category: offered for every category."""

    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="canned_replies")
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices, blank=True)
    title = models.CharField(_("judul"), max_length=80)
    text = models.TextField(_("isi balasan"), max_length=2000)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("balasan siap pakai")
        verbose_name_plural = _("balasan siap pakai")
        ordering = ["category", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["polres", "category", "title"], name="canned_reply_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title
