"""Channels: official accounts, contacts, raw inbound events, channel messages, outbound
deliveries and the public-comment moderation stream.

Idempotency lives in unique constraints: a raw event is stored once per (platform, dedupe key:
body hash or Telegram ``update_id``); a message once per (account, platform message id); an
outbound delivery's platform id once per account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from posko.aduan.models import Aduan, AduanMessage
from posko.channels.crypto import decrypt_json, encrypt_json
from posko.org.models import Unit


class Platform(models.TextChoices):
    # Values equal ``posko.aduan.models.Channel`` values, so an aduan's channel is the platform.
    WHATSAPP = "whatsapp", _("WhatsApp")
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK = "facebook", _("Facebook")
    TELEGRAM = "telegram", _("Telegram")
    X = "x", _("X")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


META_PLATFORMS = frozenset({Platform.WHATSAPP, Platform.INSTAGRAM, Platform.FACEBOOK})

DEFAULT_API_BASE: dict[str, str] = {
    Platform.WHATSAPP: "https://graph.facebook.com/v23.0",
    Platform.INSTAGRAM: "https://graph.facebook.com/v23.0",
    Platform.FACEBOOK: "https://graph.facebook.com/v23.0",
    Platform.TELEGRAM: "https://api.telegram.org",
    Platform.X: "https://api.x.com",
    Platform.EMAIL: "",
    Platform.SMS: "",
}


class ChannelAccount(models.Model):
    """An official account of a Polres on one platform.

    ``external_id`` is what the platform uses to address the account in webhooks: the WhatsApp
    phone-number id, the Instagram professional account id, the Facebook Page id, the Telegram
    bot id, the X user id, the mailbox address, the SMS number. Secrets (tokens, app secret,
    passwords) are kept encrypted in ``credentials_encrypted``; ``config`` holds non-secret
    settings (WhatsApp templates, rate limits, IMAP/SMTP hosts …).
    """

    polres = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="channel_accounts", verbose_name=_("Polres")
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    name = models.CharField(_("nama akun"), max_length=120)
    external_id = models.CharField(_("ID akun di platform"), max_length=200)
    slug = models.SlugField(_("kode URL"), max_length=60, unique=True)
    api_base = models.URLField(
        _("alamat API"),
        blank=True,
        help_text=_("Kosongkan untuk alamat resmi platform; isi untuk proxy atau pengujian."),
    )
    credentials_encrypted = models.TextField(blank=True, editable=False)
    config = models.JSONField(_("pengaturan"), default=dict, blank=True)
    cursor = models.CharField(
        _("posisi terakhir"), max_length=200, blank=True, help_text=_("since_id X / UID IMAP")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("akun resmi")
        verbose_name_plural = _("akun resmi")
        ordering = ["polres_id", "platform", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="channel_account_unique_external"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.name}"

    @property
    def credentials(self) -> dict[str, Any]:
        return decrypt_json(self.credentials_encrypted)

    def set_credentials(self, values: dict[str, Any]) -> None:
        self.credentials_encrypted = encrypt_json({k: v for k, v in values.items() if v})

    @property
    def base_url(self) -> str:
        return (self.api_base or DEFAULT_API_BASE.get(self.platform, "")).rstrip("/")


class Contact(models.Model):
    """A person writing to the Polres; several platform identities can belong to one contact."""

    display_name = models.CharField(_("nama"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kontak")
        verbose_name_plural = _("kontak")

    def __str__(self) -> str:
        return self.display_name or f"Kontak #{self.pk}"


class ContactIdentity(models.Model):
    """One identity on one platform: WhatsApp number or BSUID, Telegram user id, IGSID, PSID,
    X user id, e-mail address, phone number for SMS."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    platform = models.CharField(max_length=12, choices=Platform.choices)
    external_id = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200, blank=True)
    username = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("identitas kontak")
        verbose_name_plural = _("identitas kontak")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="contact_identity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.username or self.display_name or self.external_id}"


class EventState(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    PROCESSED = "processed", _("Diproses")
    FAILED = "failed", _("Gagal diproses")
    IGNORED = "ignored", _("Diabaikan")


class InboundEvent(models.Model):
    """A raw webhook (or polled) event exactly as received, kept for audit and replay."""

    platform = models.CharField(max_length=12, choices=Platform.choices)
    account = models.ForeignKey(
        ChannelAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    dedupe_key = models.CharField(max_length=100)
    body = models.BinaryField()
    headers = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=EventState.choices, default=EventState.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # While set and in the future, a drain run holds this event (or it waits for its retry);
    # after it, any drain takes the event again (the worker holding it died).
    leased_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("peristiwa masuk")
        verbose_name_plural = _("peristiwa masuk")
        constraints = [
            models.UniqueConstraint(fields=["platform", "dedupe_key"], name="inbound_event_once")
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="inbound_event_state"),
            # The drain's claim: waiting events in arrival order, without the processed ones.
            models.Index(
                fields=["id"], condition=models.Q(state="received"), name="inbound_event_waiting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} #{self.pk} ({self.state})"


class DrainArm(models.Model):
    """Whether a drain of waiting inbound events is queued and has not started yet
    (``armed_at`` set). See ``posko/channels/actions/drain.py`` for the protocol."""

    name = models.CharField(max_length=20, primary_key=True)
    armed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({'armed' if self.armed_at else 'idle'})"


class MessageKind(models.TextChoices):
    DIRECT = "direct", _("Pesan pribadi")
    COMMENT = "comment", _("Komentar publik")
    MENTION = "mention", _("Sebutan/tag publik")


class ChannelMessageState(models.TextChoices):
    PENDING = "pending", _("Belum diproses")
    THREAD = "thread", _("Masuk ke aduan")
    MODERATION = "moderation", _("Aliran moderasi")
    IGNORED = "ignored", _("Diabaikan")
    KEYWORD = "keyword", _("Kata kunci langganan")


class ChannelMessage(models.Model):
    """One inbound message from a platform, normalised. Unique per platform message id."""

    account = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="messages")
    event = models.ForeignKey(
        InboundEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    external_id = models.CharField(max_length=200)
    identity = models.ForeignKey(ContactIdentity, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    message_type = models.CharField(max_length=20, default="text")
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=10, choices=ChannelMessageState.choices, default=ChannelMessageState.PENDING
    )
    aduan = models.ForeignKey(
        Aduan, on_delete=models.SET_NULL, null=True, blank=True, related_name="channel_messages"
    )
    aduan_message = models.OneToOneField(
        AduanMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="channel_message",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pesan kanal")
        verbose_name_plural = _("pesan kanal")
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], name="channel_message_once")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.external_id}"


class ChannelMedia(models.Model):
    """A media file received with a message (fetched from the platform and stored)."""

    message = models.ForeignKey(ChannelMessage, on_delete=models.CASCADE, related_name="media")
    media_type = models.CharField(max_length=20)
    # Index of the media in the platform message (a carousel has several).
    position = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="kanal/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    caption = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.file.name


class Conversation(models.Model):
    """The link between an aduan and the platform contact it came from: where replies go."""

    aduan = models.OneToOneField(Aduan, on_delete=models.CASCADE, related_name="conversation")
    account = models.ForeignKey(
        ChannelAccount, on_delete=models.PROTECT, related_name="conversations"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="conversations")
    identity = models.ForeignKey(
        ContactIdentity, on_delete=models.PROTECT, related_name="conversations"
    )
    # For aduan that started as a public comment: the comment to answer / private-reply to.
    public_comment_id = models.CharField(max_length=200, blank=True)
    private_reply_used = models.BooleanField(default=False)
    # E-mail threading.
    subject = models.CharField(max_length=300, blank=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    last_inbound_external_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("percakapan")
        verbose_name_plural = _("percakapan")

    def __str__(self) -> str:
        return f"{self.aduan_id} ↔ {self.identity}"


class DeliveryKind(models.TextChoices):
    DIRECT = "direct", _("Pesan pribadi")
    TEMPLATE = "template", _("Templat WhatsApp")
    COMMENT_REPLY = "comment_reply", _("Balasan komentar publik")
    PRIVATE_REPLY = "private_reply", _("Balasan pribadi atas komentar")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    DELIVERED = "delivered", pgettext_lazy("pengiriman", "Diterima")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal")
    UNCONFIRMED = "unconfirmed", _("Belum terkonfirmasi")


# Status webhooks may arrive out of order; a state never moves back to a lower rank.
DELIVERY_RANK = {
    DeliveryState.PENDING: 0,
    DeliveryState.SENDING: 1,
    DeliveryState.FAILED: 2,
    DeliveryState.UNCONFIRMED: 2,
    DeliveryState.SENT: 3,
    DeliveryState.DELIVERED: 4,
    DeliveryState.READ: 5,
}


class OutboundDelivery(models.Model):
    """One message to send through a platform: a public reply in an aduan thread, an automatic
    acknowledgement, or a moderation-stream reply. Retried with backoff by the send task."""

    account = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="deliveries")
    message = models.OneToOneField(
        AduanMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delivery",
    )
    moderation_item = models.ForeignKey(
        "ModerationItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    kind = models.CharField(max_length=15, choices=DeliveryKind.choices)
    recipient = models.CharField(max_length=200)
    reply_to = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    template = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    # Never sent twice (a Polisi Virtual warning): an unknown outcome or a send cut off by a
    # worker crash makes it *unconfirmed* for an officer instead of sending it again.
    at_most_once = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "external_id"],
                condition=~models.Q(external_id=""),
                name="outbound_delivery_external_once",
            )
        ]
        indexes = [
            models.Index(fields=["account", "recipient", "sent_at"], name="delivery_pair_rate")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.state})"


class ModerationState(models.TextChoices):
    NEW = "baru", _("Baru")
    REPLIED = "dibalas", _("Dibalas")
    HIDDEN = "disembunyikan", _("Disembunyikan")
    CONVERTED = "dijadikan_aduan", _("Dijadikan aduan")
    DISMISSED = "diabaikan", _("Diabaikan")


class ModerationItem(models.Model):
    """A public comment or mention that needs no police action (praise, chatter, provocation):
    kept in the moderation stream, where operators can reply, hide it or make it an aduan."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    message = models.OneToOneField(
        ChannelMessage, on_delete=models.PROTECT, related_name="moderation_item"
    )
    category = models.CharField(max_length=30)
    tone = models.CharField(max_length=12)
    priority = models.CharField(max_length=10)
    provocative = models.BooleanField(default=False)
    state = models.CharField(
        max_length=16, choices=ModerationState.choices, default=ModerationState.NEW
    )
    aduan = models.ForeignKey(
        Aduan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("komentar moderasi")
        verbose_name_plural = _("komentar moderasi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["polres", "state", "created_at"], name="moderation_queue")]

    def __str__(self) -> str:
        return f"moderasi #{self.pk}"


class NoticeEvent(models.TextChoices):
    RECEIVED = "received", _("Aduan diterima (kode dan tautan rahasia pelapor)")
    ASSIGNED = "assigned", _("Aduan ditugaskan")
    RESOLVED = "resolved", _("Aduan selesai")
    REJECTED = "rejected", _("Aduan ditolak")
    REDIRECTED = "redirected", _("Aduan dialihkan")
    COMMENT_ACK = "comment_ack", _("Tanggapan publik atas komentar")
    PUBLIC_UPDATE = "public_update", _("Pembaruan status di balasan publik")


DEFAULT_NOTICES: dict[str, str] = {
    # Private chats only (never a public reply): {link} is the reporter's secret link.
    NoticeEvent.RECEIVED: (
        "Laporan Anda sudah kami terima dengan kode {code}. Untuk menambah keterangan atau "
        "foto, buka tautan pribadi ini (jangan dibagikan kepada siapa pun): {link} — {polres}"
    ),
    NoticeEvent.ASSIGNED: (
        "Laporan Anda ({code}) sudah diteruskan kepada {unit} dan sedang ditindaklanjuti."
    ),
    NoticeEvent.RESOLVED: (
        "Laporan Anda ({code}) telah selesai ditangani. Terima kasih telah melapor kepada {polres}."
    ),
    NoticeEvent.REJECTED: (
        "Laporan Anda ({code}) tidak dapat kami tindak lanjuti. Alasan: {reason}. "
        "Terima kasih telah melapor kepada {polres}."
    ),
    NoticeEvent.REDIRECTED: (
        "Laporan Anda ({code}) kami alihkan kepada instansi yang berwenang. Keterangan: {reason}."
    ),
    NoticeEvent.COMMENT_ACK: (
        "Terima kasih, laporan Anda sudah kami terima dan sedang ditindaklanjuti. "
        "Mohon lanjutkan lewat pesan pribadi (DM) agar data Anda tetap aman."
    ),
    # Public replies (comment threads, X): only {status} and {polres}, never the tracking code,
    # the unit or a reason.
    NoticeEvent.PUBLIC_UPDATE: (
        "Pembaruan dari {polres}: laporan Anda {status}. Rincian hanya kami sampaikan lewat "
        "pesan pribadi. Terima kasih."
    ),
}


class NoticeTemplate(models.Model):
    """Per-Polres wording of automatic messages to the citizen. Placeholders: {code}, {unit},
    {polres}, {reason} (ditolak/dialihkan); the public update has {status} and {polres} only.
    Never put personal data in the public comment acknowledgement or public update."""

    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="notice_templates")
    event = models.CharField(_("peristiwa"), max_length=15, choices=NoticeEvent.choices)
    text = models.TextField(_("teks"))
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("templat pemberitahuan")
        verbose_name_plural = _("templat pemberitahuan")
        constraints = [
            models.UniqueConstraint(fields=["polres", "event"], name="notice_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.polres_id}/{self.event}"
