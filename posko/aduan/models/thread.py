from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from posko.aduan.models.aduan import Aduan


class MessageKind(models.TextChoices):
    INCOMING = "incoming", _("Pesan pelapor")
    PUBLIC_REPLY = "public_reply", _("Balasan publik")
    INTERNAL_NOTE = "internal_note", _("Catatan internal")


class DeliveryState(models.TextChoices):
    NOT_APPLICABLE = "", _("—")
    PENDING = "pending", _("Menunggu dikirim")
    SENT = "sent", _("Terkirim")
    DELIVERED = "delivered", pgettext_lazy("pengiriman", "Diterima")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal")


class AduanMessage(models.Model):
    """One entry in an aduan's thread: the reporter's messages, public replies, internal notes."""

    aduan = models.ForeignKey(Aduan, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=15, choices=MessageKind.choices)
    text = models.TextField()
    channel = models.CharField(max_length=20, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery_state = models.CharField(
        max_length=10, choices=DeliveryState.choices, blank=True, default=""
    )
    delivery_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["aduan", "created_at"], name="message_aduan_time")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.kind != MessageKind.INTERNAL_NOTE
