"""Open311 GeoReport v2: API keys of partner clients, a replaceable service catalogue, and the
link from an Open311 service request (its token) to the aduan it became."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.aduan.models import Aduan
from posko.org.models import Unit

KEY_PREFIX = "o311_"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Open311Key(models.Model):
    """An ``api_key`` for POST requests; only its SHA-256 is stored."""

    name = models.CharField(_("nama"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kunci Open311")
        verbose_name_plural = _("kunci Open311")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def generate() -> str:
        return KEY_PREFIX + secrets.token_urlsafe(32)


class ServiceType(models.TextChoices):
    REALTIME = "realtime", "realtime"
    BATCH = "batch", "batch"
    BLACKBOX = "blackbox", "blackbox"


class Open311Service(models.Model):
    """A service of a loaded catalogue (test or partner instance). Without rows for a Polres,
    its services are its (non-restricted) aduan categories."""

    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    service_code = models.CharField(max_length=60)
    service_name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    metadata = models.BooleanField(default=False)
    type = models.CharField(max_length=10, choices=ServiceType.choices, default="realtime")
    keywords = models.CharField(max_length=300, blank=True)
    group = models.CharField(max_length=100, blank=True)
    attributes = models.JSONField(default=list, blank=True)
    # The aduan category it files under ("" = let triage decide).
    category = models.CharField(max_length=30, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("layanan Open311")
        verbose_name_plural = _("layanan Open311")
        ordering = ["polres", "order"]
        constraints = [
            models.UniqueConstraint(fields=["polres", "service_code"], name="open311_unique_code")
        ]

    def __str__(self) -> str:
        return self.service_code


class Open311Request(models.Model):
    """An aduan that arrived through Open311: its service, its token, the client key."""

    aduan = models.OneToOneField(Aduan, on_delete=models.CASCADE, related_name="open311")
    service_code = models.CharField(max_length=60)
    token = models.CharField(max_length=40, unique=True)
    key = models.ForeignKey(Open311Key, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("permintaan Open311")
        verbose_name_plural = _("permintaan Open311")

    def __str__(self) -> str:
        return self.token
