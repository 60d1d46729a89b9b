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
    category = models.CharField(_("kategori"), max_length=60, blank=True)
    enabled = models.BooleanField(_("aktif"), default=True)

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
    reach = models.PositiveBigIntegerField(_("jangkauan"), default=0)
    growth = models.JSONField(default=list, blank=True)  # posts per minute around the start
    sample_post_ids = models.JSONField(default=list, blank=True)
    negative = models.BooleanField(_("viral negatif tentang anggota"), default=False)
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


class PatrolSettings(models.Model):
    """Per-Polres patrol policy: spike thresholds, alert de-duplication, polling interval,
    and the words that make a spike negative virality about members (then Propam is told)."""

    polres = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="patrol_settings")
    z_threshold = models.FloatField(_("ambang z"), default=6.5)
    min_count = models.PositiveIntegerField(_("minimal unggahan"), default=8)
    min_ratio = models.FloatField(_("minimal kelipatan baseline"), default=3.0)
    quiet_minutes = models.PositiveSmallIntegerField(_("menit tenang (lonjakan usai)"), default=10)
    warmup_minutes = models.PositiveSmallIntegerField(_("menit pemanasan baseline"), default=60)
    alert_dedup_minutes = models.PositiveSmallIntegerField(
        _("peringatan yang sama tidak diulang (menit)"), default=120
    )
    poll_seconds = models.PositiveIntegerField(_("interval tarik sumber (detik)"), default=300)
    misconduct_words = models.JSONField(_("kata pelanggaran"), default=list, blank=True)
    police_terms = models.JSONField(_("istilah kepolisian"), default=list, blank=True)

    class Meta:
        verbose_name = _("pengaturan patroli")
        verbose_name_plural = _("pengaturan patroli")

    def __str__(self) -> str:
        return f"patroli {self.polres_id}"


class FeedKind(models.TextChoices):
    X_SEARCH = "x_search", _("Pencarian X")
    TELEGRAM = "telegram", _("Grup/kanal Telegram")
    RSS = "rss", _("RSS/Atom berita lokal")


class Feed(models.Model):
    """A polled source of public posts. X: recent search of the watchlist's terms with the
    account's bearer token; Telegram: getUpdates of a bot that is in public groups/channels;
    RSS/Atom: the feed at ``url``. ``cursor``: since_id / update offset / newest entry."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="patrol_feeds")
    kind = models.CharField(_("jenis"), max_length=10, choices=FeedKind.choices)
    name = models.CharField(_("nama"), max_length=120)
    url = models.URLField(_("alamat"), max_length=500, blank=True)
    watchlist = models.ForeignKey(
        Watchlist, on_delete=models.SET_NULL, null=True, blank=True, related_name="feeds"
    )
    account = models.ForeignKey(
        "channels.ChannelAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akun resmi"),
    )
    enabled = models.BooleanField(_("aktif"), default=True)
    cursor = models.CharField(max_length=200, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("sumber pantauan")
        verbose_name_plural = _("sumber pantauan")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class WarningStatus(models.TextChoices):
    DRAFT = "draft", _("Menunggu persetujuan pimpinan")
    FIRST = "first", _("Peringatan pertama terkirim")
    SECOND = "second", _("Peringatan kedua terkirim")
    ESCALATED = "escalated", _("Dilimpahkan ke unit siber")
    RESOLVED = "resolved", _("Konten sudah diturunkan")


class PatrolWarning(models.Model):
    """A Polisi Virtual warning to the account behind a post: first message (approved by a
    pimpinan), a second after 24 h if the content stays, then escalation to the cyber unit."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="patrol_warnings")
    post = models.ForeignKey(
        PublicPost, on_delete=models.PROTECT, related_name="warnings", verbose_name=_("unggahan")
    )
    account = models.CharField(_("akun"), max_length=200)
    message = models.TextField(_("pesan peringatan"))
    status = models.CharField(
        max_length=10, choices=WarningStatus.choices, default=WarningStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    first_sent_at = models.DateTimeField(null=True, blank=True)
    second_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Each warning goes out through the official account on the post's platform (at most
    # once); the delivery row holds the platform's message id and the delivery state. A note
    # says why a step could not go through the platform (the officer then sends it by hand).
    first_delivery = models.ForeignKey(
        "channels.OutboundDelivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    second_delivery = models.ForeignKey(
        "channels.OutboundDelivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_note = models.CharField(max_length=300, blank=True)
    second_note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("peringatan virtual")
        verbose_name_plural = _("peringatan virtual")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.account} ({self.status})"

    def step_label(self) -> str:
        """The status as the officer should read it: a step whose delivery failed, is not
        confirmed or is still under way says so instead of "terkirim"."""
        step = {"first": "first", "second": "second"}.get(str(self.status), "")
        delivery = getattr(self, f"{step}_delivery") if step else None
        state = str(delivery.state) if delivery is not None else ""
        label = _STEP_LABELS.get((step, state))
        return str(label) if label else str(self.get_status_display())

    def step_needs_attention(self) -> bool:
        """The pill is red: escalated, or the current step did not surely reach the account."""
        return self.status == WarningStatus.ESCALATED or self.step_label() != str(
            self.get_status_display()
        )


_STEP_LABELS = {
    ("first", "failed"): _("Peringatan pertama gagal dikirim"),
    ("first", "unconfirmed"): _("Peringatan pertama belum terkonfirmasi"),
    ("first", "pending"): _("Peringatan pertama sedang dikirim"),
    ("first", "sending"): _("Peringatan pertama sedang dikirim"),
    ("second", "failed"): _("Peringatan kedua gagal dikirim"),
    ("second", "unconfirmed"): _("Peringatan kedua belum terkonfirmasi"),
    ("second", "pending"): _("Peringatan kedua sedang dikirim"),
    ("second", "sending"): _("Peringatan kedua sedang dikirim"),
}


class WarningEvidence(models.Model):
    """Evidence kept with each warning step: the text, url, a screenshot and the time."""

    warning = models.ForeignKey(PatrolWarning, on_delete=models.CASCADE, related_name="evidence")
    step = models.CharField(max_length=20)
    text = models.TextField(_("isi"), blank=True)
    url = models.URLField(max_length=500, blank=True)
    screenshot = models.ImageField(
        _("tangkapan layar"), upload_to="patrol/evidence/%Y/%m/", blank=True
    )
    captured_at = models.DateTimeField(_("waktu"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["captured_at", "id"]

    def __str__(self) -> str:
        return f"{self.warning_id}:{self.step}"
