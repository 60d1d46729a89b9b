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


class RondaSwapState(models.TextChoices):
    PENDING = "pending", _("Menunggu koordinator")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


class RondaSwapRequest(models.Model):
    """A resident on a shift asks to hand it to someone else; the shift's coordinator (or a
    publishing officer) approves — the member is then replaced — or rejects it."""

    member = models.ForeignKey(RondaMember, on_delete=models.CASCADE, related_name="swaps")
    replacement_name = models.CharField(_("nama pengganti"), max_length=120)
    replacement_phone = models.CharField(max_length=20)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    state = models.CharField(
        max_length=10, choices=RondaSwapState.choices, default=RondaSwapState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"tukar jaga #{self.pk}"


# Community programmes and their events ------------------------------------------------------


class ProgrammeKind(models.TextChoices):
    PSM = "psm", _("Polisi Sahabat Masyarakat")
    RONDA = "ronda", _("Ronda malam (siskamling)")
    SCHOOL = "seminar_sekolah", _("Seminar sekolah")
    BAKSOS = "bakti_sosial", _("Bakti sosial")
    JUMAT_CURHAT = "jumat_curhat", _("Jumat Curhat")
    SAMBANG = "sambang", _("Sambang / door to door")


class Programme(models.Model):
    """A community programme of the Polres (or one of its Polsek) with its events."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=20, choices=ProgrammeKind.choices)
    name = models.CharField(_("nama program"), max_length=160)
    description = models.TextField(_("keterangan"), blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["polres", "name"], name="programme_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class EventState(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    DONE = "done", _("Terlaksana")
    CANCELLED = "cancelled", _("Dibatalkan")


class ProgrammeEvent(models.Model):
    """One event of a programme: a PSM visit, a seminar at a school, a bakti sosial, a Jumat
    Curhat dialogue. ``post`` is its publicity, prepared in the composer."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("judul"), max_length=200)
    desa = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("tempat"), max_length=200)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    state = models.CharField(max_length=10, choices=EventState.choices, default=EventState.PLANNED)
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["programme", "starts_at"], name="programme_event_time")]

    def __str__(self) -> str:
        return self.title


class AspirationFollowUp(models.TextChoices):
    PENDING = "pending", _("Belum ditindaklanjuti")
    ADUAN = "aduan", _("Menjadi aduan")
    INFORMATION = "information", _("Dicatat sebagai informasi")


class Aspiration(models.Model):
    """An aspiration voiced at a Jumat Curhat (or another dialogue), followed up as an aduan
    (through aduan's intake) or kept as information."""

    event = models.ForeignKey(ProgrammeEvent, on_delete=models.CASCADE, related_name="aspirations")
    speaker = models.CharField(_("penyampai (boleh kosong)"), max_length=120, blank=True)
    text = models.TextField(_("aspirasi"))
    follow_up = models.CharField(
        max_length=12, choices=AspirationFollowUp.choices, default=AspirationFollowUp.PENDING
    )
    aduan = models.ForeignKey(
        "aduan.Aduan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("catatan tindak lanjut"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"aspirasi #{self.pk}"


class SambangVisit(models.Model):
    """One sambang / door-to-door visit of a Bhabinkamtibmas in their desa."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    visited_at = models.DateTimeField(_("waktu kunjungan"))
    place = models.CharField(_("rumah / tempat"), max_length=200)
    topic = models.CharField(_("topik"), max_length=200)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["officer", "visited_at"], name="sambang_officer_time")]

    def __str__(self) -> str:
        return f"sambang #{self.pk}"


# Stakeholders -------------------------------------------------------------------------------


class StakeholderRole(models.TextChoices):
    BABINSA = "babinsa", _("Babinsa (TNI)")
    KORAMIL = "koramil", _("Koramil (TNI)")
    KEPALA_DESA = "kepala_desa", _("Kepala desa")
    PERANGKAT = "perangkat_desa", _("Perangkat desa")
    PAM_SWAKARSA = "pam_swakarsa", _("Pam swakarsa")
    SATPAM = "satpam", _("Satpam")
    TOKOH = "tokoh_masyarakat", _("Tokoh masyarakat")


class Stakeholder(models.Model):
    """A partner of the Polres in a desa, with the channel alerts and appeals reach them on.
    ``address`` (phone or Telegram chat id) is personal data: masked for roles that do not
    share alerts."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("peran"), max_length=20, choices=StakeholderRole.choices)
    name = models.CharField(_("nama"), max_length=120)
    organisation = models.CharField(_("instansi / kelompok"), max_length=160, blank=True)
    channel = models.CharField(
        _("kanal"),
        max_length=10,
        choices=SubscriberChannel.choices,
        default=SubscriberChannel.WHATSAPP,
    )
    address = models.CharField(_("nomor / chat"), max_length=40)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["desa__name", "role", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["polres", "desa", "channel", "address"], name="stakeholder_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StakeholderShare(models.Model):
    """An alert or appeal shared with the stakeholders of chosen desa."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    desa = models.ManyToManyField(Region, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"bagikan #{self.pk}"


class StakeholderDelivery(models.Model):
    """One stakeholder's copy; its state is the channel delivery's (``delivery``), or
    ``no_channel`` when the Polres has no account on the stakeholder's channel."""

    share = models.ForeignKey(StakeholderShare, on_delete=models.CASCADE, related_name="deliveries")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(
        "channels.OutboundDelivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share", "stakeholder"], name="stakeholder_copy_once")
        ]

    def __str__(self) -> str:
        return f"{self.share_id}/{self.stakeholder_id}"


# Anonymous tips --------------------------------------------------------------------------


class Tip(models.Model):
    """Information from the public, in answer to an appeal or on its own. Anonymous by design:
    no IP address, device, user agent or session is stored — only what the sender wrote and
    the day. ``code`` lets the sender follow up; the unit handling the appeal's case reads it
    as restricted material (each reading audited)."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    appeal = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    code = models.CharField(max_length=20, unique=True)
    text = models.TextField(_("informasi"))
    desa = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(_("tanggapan satuan"), blank=True)
    # The day only (no time of day): a timestamp to the second could be matched with logs.
    received_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.code


class AlertCopy(models.Model):
    """An alert's copy to a Telegram or SMS subscriber: a channels delivery (state, retries,
    the platform's pacing), beside the WhatsApp template deliveries of ``AlertDelivery``."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="copies")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(
        "channels.OutboundDelivery", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "subscriber"], name="alert_copy_once")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.subscriber_id}"
