"""Publishing: posts to the Polres's official accounts (one variant per account), their
approval and per-account publishing state, targeted alerts to subscribed residents.

The post's status is derived from its targets once it is scheduled (``derive_post_status``):
a traffic advisory may be published on Facebook and failed on X — "partly published".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.channels.models import ChannelAccount
from posko.org.models import Unit
from posko.regions.models import Region


class PostKind(models.TextChoices):
    SECURITY_WARNING = "peringatan_keamanan", _("Peringatan keamanan")
    TRAFFIC = "info_lalu_lintas", _("Info lalu lintas")
    EDUCATION = "kampanye_edukasi", _("Kampanye edukasi")
    EVENT = "kegiatan", _("Kegiatan")
    APPEAL = "imbauan", _("Imbauan")
    HOAX = "klarifikasi_hoaks", _("Klarifikasi hoaks")


# Kinds an officer with "publish directly" may publish without prior approval.
URGENT_KINDS = frozenset({PostKind.SECURITY_WARNING, PostKind.TRAFFIC})


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    IN_REVIEW = "in_review", _("Menunggu persetujuan")
    CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
    REJECTED = "rejected", _("Ditolak")
    APPROVED = "approved", _("Disetujui")
    SCHEDULED = "scheduled", _("Terjadwal")
    PUBLISHING = "publishing", _("Sedang diterbitkan")
    PUBLISHED = "published", _("Terbit")
    PARTLY_PUBLISHED = "partly_published", _("Terbit sebagian")
    UNCONFIRMED = "unconfirmed", _("Belum terkonfirmasi")
    FAILED = "failed", _("Gagal")


EDITABLE_STATUSES = frozenset({PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED})


class TargetStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SCHEDULED = "scheduled", _("Terjadwal")
    PUBLISHING = "publishing", _("Sedang diterbitkan")
    PUBLISHED = "published", _("Terbit")
    UNCONFIRMED = "unconfirmed", _("Belum terkonfirmasi")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


class Post(models.Model):
    """One message of the Polres to the public, with one variant (``PostTarget``) per account.

    ``fields`` holds the kind-specific fields (``posko.publishing.kinds``): area and what to
    do for a security warning; area/road, time window and alternative route for a traffic
    advisory; place and time for an event; claim and facts for a hoax clarification."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(_("jenis"), max_length=20, choices=PostKind.choices)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    text = models.TextField(_("teks"))
    fields = models.JSONField(_("isian khusus"), default=dict, blank=True)
    desa = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("desa sasaran")
    )
    publish_at = models.DateTimeField(_("waktu terbit"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    review_reason = models.TextField(_("catatan peninjau"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_directly = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    series = models.ForeignKey(
        "PostSeries", on_delete=models.PROTECT, null=True, blank=True, related_name="posts"
    )

    class Meta:
        verbose_name = _("publikasi")
        verbose_name_plural = _("publikasi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["polres", "status", "publish_at"], name="post_queue")]

    def __str__(self) -> str:
        return self.title or self.text[:60]


class PostMedia(models.Model):
    """A photo of a post, checked and measured at upload; every variant uses the post's photos
    (Telegram/X/FB/IG limits are checked per variant)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(upload_to="publikasi/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # Unguessable name under which the photo is served publicly once the post is approved
    # (Instagram fetches the image from a public URL).
    public_token = models.CharField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.file.name


class PostTarget(models.Model):
    """The variant of a post for one official account and its publishing state there."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="targets")
    account = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(max_length=12)
    text = models.TextField(_("teks varian"), blank=True)
    status = models.CharField(
        max_length=12, choices=TargetStatus.choices, default=TargetStatus.DRAFT
    )
    # The one job that may publish this target: a task run with another key is stale.
    job_key = models.CharField(max_length=80, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    # Progress of multi-step publishing (Instagram container id), kept across task runs.
    progress = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Results pulled back from the platform in one vocabulary: reach, reactions, comments,
    # shares, views (whatever the platform gives).
    results = models.JSONField(default=dict, blank=True)
    results_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post_id", "platform", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "account"], name="post_target_once")]
        indexes = [models.Index(fields=["account", "status", "published_at"], name="target_quota")]

    def __str__(self) -> str:
        return f"{self.post_id}→{self.platform} ({self.status})"

    @property
    def body(self) -> str:
        return self.text or self.post.text


# Targeted alerts -----------------------------------------------------------------------


class SubscriberChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    SMS = "sms", _("SMS")


class SubscriberState(models.TextChoices):
    PENDING = "pending", _("Menunggu konfirmasi")
    ACTIVE = "active", _("Aktif")
    UNSUBSCRIBED = "unsubscribed", _("Berhenti")


class Subscriber(models.Model):
    """A resident who asked for the alerts of a desa or a kecamatan. ``address`` (phone
    number or Telegram chat id) is personal data: masked in the console for roles that do
    not send alerts, never exported."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=SubscriberChannel.choices)
    address = models.CharField(max_length=40)
    desa = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kecamatan = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        max_length=12, choices=SubscriberState.choices, default=SubscriberState.PENDING
    )
    source = models.CharField(max_length=20, default="web")
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["polres", "channel", "address"], name="subscriber_once")
        ]
        indexes = [models.Index(fields=["polres", "state", "desa"], name="subscriber_area")]

    def __str__(self) -> str:
        return f"pelanggan #{self.pk}"


class Alert(models.Model):
    """One fan-out of a warning to the subscribers of chosen desa."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    account = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    desa = models.ManyToManyField(Region, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"peringatan #{self.pk}"


class AlertDeliveryState(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    UNCONFIRMED = "unconfirmed", _("Belum terkonfirmasi")


class AlertDelivery(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        max_length=12, choices=AlertDeliveryState.choices, default=AlertDeliveryState.PENDING
    )
    external_id = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "subscriber"], name="alert_delivery_once")
        ]
        indexes = [models.Index(fields=["alert", "state"], name="alert_delivery_state")]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.subscriber_id} ({self.state})"


# Community programmes: ronda malam (siskamling) rosters ----------------------------------


class RondaPost(models.Model):
    """A pos ronda of a desa. ``token`` is printed as a QR code at the post: scanning it opens
    the check-in page (``/ronda/<token>/``)."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama pos"), max_length=120)
    token = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class RondaShift(models.Model):
    """One night (or day) shift at a pos ronda, with the Bhabinkamtibmas coordinating it."""

    post = models.ForeignKey(RondaPost, on_delete=models.PROTECT, related_name="shifts")
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    coordinator = models.ForeignKey(
        "org.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report = models.TextField(_("laporan akhir jaga"), blank=True)
    report_photo = models.FileField(upload_to="ronda/%Y/%m/", blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.post} {self.starts_at:%Y-%m-%d}"


class RondaMember(models.Model):
    """A resident on a shift. The phone number is personal data (reminders only)."""

    shift = models.ForeignKey(RondaShift, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("nama"), max_length=120)
    phone = models.CharField(max_length=20)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shift", "phone"], name="ronda_member_once")]

    def __str__(self) -> str:
        return self.name


# Recurring posts -------------------------------------------------------------------------


class SeriesFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Mingguan")
    MONTHLY = "monthly", _("Bulanan")


class SeriesStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    CANCELLED = "cancelled", _("Dibatalkan")


class PostSeries(models.Model):
    """A recurring post with an end (a date or a number of times): each occurrence is an
    ordinary post (``Post.series``) created through the composer and reviewed like any other."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=20, choices=PostKind.choices)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    text = models.TextField(_("teks"))
    fields = models.JSONField(_("isian khusus"), default=dict, blank=True)
    accounts = models.ManyToManyField(ChannelAccount, related_name="+")
    frequency = models.CharField(max_length=10, choices=SeriesFrequency.choices)
    first_at = models.DateTimeField(_("terbit pertama"))
    until = models.DateField(_("sampai tanggal"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("jumlah kali"), null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=SeriesStatus.choices, default=SeriesStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("seri publikasi")
        verbose_name_plural = _("seri publikasi")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.text[:60]
