"""Cyber patrol: hoax registry, public posts, watchlists, spike alerts, patrol audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.org.models import Unit


class Verdict(models.TextChoices):
    HOAKS = "hoaks", _("Hoaks")
    DISINFORMASI = "disinformasi", _("Disinformasi")
    MISINFORMASI = "misinformasi", _("Misinformasi")
    SATIRE = "satire", _("Satire")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    APPROVED = "approved", _("Disetujui")


class HoaxClaim(models.Model):
    """A registered claim with its verdict and the official clarification."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="hoax_claims")
    claim = models.TextField(_("klaim"))
    verdict = models.CharField(_("putusan"), max_length=15, choices=Verdict.choices)
    clarification = models.TextField(_("klarifikasi"))
    sources = models.JSONField(_("sumber"), default=list, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    first_seen = models.DateField(_("pertama beredar"), null=True, blank=True)
    published_at = models.DateTimeField(_("dipublikasikan"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("klaim hoaks")
        verbose_name_plural = _("register hoaks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["polres", "external_id"],
                condition=~models.Q(external_id=""),
                name="patrol_claim_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.claim[:60]


class PublicPost(models.Model):
    """A public post seen by the patrol (imported, polled or from a channel)."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="public_posts")
    source = models.CharField(_("sumber"), max_length=30)
    source_id = models.CharField(max_length=200)
    author = models.CharField(_("akun"), max_length=200, blank=True)
    text = models.TextField(_("isi"))
    url = models.URLField(max_length=500, blank=True)
    posted_at = models.DateTimeField(_("waktu"), default=timezone.now)
    reach = models.PositiveIntegerField(_("jangkauan"), default=0)
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    dup_group = models.CharField(max_length=40, blank=True, db_index=True)
    matched_claim = models.ForeignKey(
        HoaxClaim, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    match_score = models.FloatField(default=0.0)
    match_decision = models.CharField(max_length=10, default="none")
    risk = models.FloatField(default=0.0, db_index=True)
    reviewed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("unggahan publik")
        verbose_name_plural = _("unggahan publik")
        ordering = ["-risk", "-posted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="patrol_post_source_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"


class Watchlist(models.Model):
    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="watchlists")
    name = models.CharField(_("nama"), max_length=120)
    keywords = models.JSONField(_("kata kunci"), default=list, blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    accounts = models.JSONField(_("akun"), default=list, blank=True)
    places = models.JSONField(_("tempat"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(_("prioritas"), default=2)

    class Meta:
        verbose_name = _("daftar pantau")
        verbose_name_plural = _("daftar pantau")

    def __str__(self) -> str:
        return self.name


class SpikeAlert(models.Model):
    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="spike_alerts")
    topic = models.CharField(_("topik"), max_length=200)
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    started_at = models.DateTimeField(_("mulai"))
    count = models.PositiveIntegerField(default=0)
    expected = models.FloatField(default=0.0)
    window_minutes = models.PositiveSmallIntegerField(default=1)
    z = models.FloatField(default=0.0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lonjakan")
        verbose_name_plural = _("lonjakan")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.topic} @ {self.place}"


class AduanClaimMatch(models.Model):
    """The registry claim an aduan's text matched (suggest: an officer confirms)."""

    aduan = models.OneToOneField(
        "aduan.Aduan", on_delete=models.CASCADE, related_name="claim_match"
    )
    claim = models.ForeignKey(HoaxClaim, on_delete=models.CASCADE, related_name="aduan_matches")
    score = models.FloatField()
    decision = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.aduan_id} → {self.claim_id} ({self.decision})"
