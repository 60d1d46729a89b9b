"""Polri organisation: units (Mabes → Polda → Polres → Polsek, satuan inside a Polres) and
officers with their roles and areas of responsibility."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from posko.regions.models import Region


class UnitKind(models.TextChoices):
    MABES = "mabes", _("Mabes Polri")
    POLDA = "polda", _("Polda")
    POLRES = "polres", _("Polres")
    POLSEK = "polsek", _("Polsek")
    SATUAN = "satuan", _("Satuan")


class Satuan(models.TextChoices):
    """Codes of the satuan inside a Polres (stable; used by triage routing)."""

    SATLANTAS = "satlantas", _("Satlantas")
    SATRESKRIM = "satreskrim", _("Satreskrim")
    SATRESNARKOBA = "satresnarkoba", _("Satresnarkoba")
    SAMAPTA = "samapta", _("Samapta")
    PPA = "ppa", _("Unit PPA")
    PROPAM = "propam", _("Si Propam")
    SPKT = "spkt", _("SPKT")
    HUMAS = "humas", _("Humas/PID")


class AutoAssign(models.TextChoices):
    OFF = "off", _("tidak (penugasan manual)")
    ROUND_ROBIN = "round_robin", _("bergiliran")
    LEAST_OPEN = "least_open", _("beban terbuka paling sedikit")


class Unit(models.Model):
    """A Polri unit. A Polres is a tenant: every aduan belongs to exactly one Polres."""

    kind = models.CharField(_("jenis"), max_length=10, choices=UnitKind.choices)
    name = models.CharField(_("nama"), max_length=120)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # For a Polres: the tracking-code prefix (2–4 letters) and its kabupaten.
    code_prefix = models.CharField(_("prefiks kode"), max_length=4, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
    )
    # For a satuan: its stable code (``satlantas``, ``propam`` …).
    satuan = models.CharField(_("satuan"), max_length=20, choices=Satuan.choices, blank=True)
    # For a Polsek: the kecamatan it covers.
    kecamatan = models.ManyToManyField(
        Region, blank=True, related_name="polsek_units", verbose_name=_("kecamatan")
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    # Automatic choice of an officer when an aduan reaches this unit (aduan.actions.assign).
    auto_assign = models.CharField(
        _("penugasan otomatis"), max_length=12, choices=AutoAssign.choices, default=AutoAssign.OFF
    )
    officer_capacity = models.PositiveSmallIntegerField(
        _("kapasitas aduan terbuka per personel"),
        default=0,
        help_text=_("0 berarti tanpa batas."),
    )
    auto_assign_cursor = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("satuan kerja")
        verbose_name_plural = _("satuan kerja")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_prefix"],
                condition=models.Q(kind="polres"),
                name="unit_unique_polres_prefix",
            ),
            models.UniqueConstraint(
                fields=["parent", "satuan"],
                condition=models.Q(kind="satuan"),
                name="unit_unique_satuan_per_polres",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def polres(self) -> Unit | None:
        """The Polres this unit belongs to (itself for a Polres; None above one, without
        reading the Polda's or Mabes's parents)."""
        unit: Unit | None = self
        while unit is not None and unit.kind != UnitKind.POLRES:
            if unit.kind in (UnitKind.POLDA, UnitKind.MABES):
                return None
            unit = unit.parent
        return unit


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    OPERATOR = "operator", _("Operator Humas/PID")
    PETUGAS = "petugas", _("Petugas satuan")
    BHABINKAMTIBMAS = "bhabinkamtibmas", _("Bhabinkamtibmas")
    PIMPINAN = "pimpinan", _("Pimpinan (Kapolres/Kapolda dan wakil)")
    PROPAM = "propam", _("Propam")
    AUDITOR = "auditor", _("Auditor")


class Officer(models.Model):
    """The Posko profile of a staff user: rank, role, home unit, and desa covered."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("satuan kerja")
    )
    rank = models.CharField(_("pangkat"), max_length=40, blank=True)
    nrp = models.CharField(_("NRP"), max_length=20, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    is_unit_head = models.BooleanField(_("kepala satuan"), default=False)
    on_leave = models.BooleanField(_("sedang cuti"), default=False)
    desa = models.ManyToManyField(
        Region, blank=True, related_name="bhabinkamtibmas", verbose_name=_("desa binaan")
    )

    class Meta:
        verbose_name = _("personel")
        verbose_name_plural = _("personel")
        ordering = ["unit__name", "user__username"]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{self.rank} {name}".strip()

    @property
    def display_name(self) -> str:
        return str(self)
