"""Kemendagri regions: provinsi → kabupaten/kota → kecamatan → desa/kelurahan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


class Region(models.Model):
    """One Kemendagri region; ``code`` is the dotted Kemendagri code (``19.06.02.2001``)."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "level"], name="region_parent_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def kecamatan_code(self) -> str | None:
        if self.level == RegionLevel.DESA:
            return self.code.rsplit(".", 1)[0]
        if self.level == RegionLevel.KECAMATAN:
            return self.code
        return None
