"""Operator tools: canned replies per Polres and category."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.aduan.models import Category, Status
from posko.org.models import Officer, Unit


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


class Macro(models.Model):
    """Several steps at once on one aduan (per Polres, admins edit): a canned reply, a status,
    an assignment — each applied through the aduan actions in one transaction."""

    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="macros")
    title = models.CharField(_("judul"), max_length=80)
    reply = models.ForeignKey(
        CannedReply,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="macros",
        verbose_name=_("balasan siap pakai"),
    )
    status = models.CharField(_("status baru"), max_length=20, choices=Status.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tugaskan ke satuan"),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("makro")
        verbose_name_plural = _("makro")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["polres", "title"], name="macro_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class SavedView(models.Model):
    """A named set of inbox filters of one officer; shared ones (set by admins) are listed to
    every officer of the Polres."""

    owner = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="saved_views")
    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama"), max_length=60)
    query = models.CharField(max_length=500, blank=True)
    shared = models.BooleanField(_("bagikan ke Polres"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tampilan tersimpan")
        verbose_name_plural = _("tampilan tersimpan")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
