"""Status notices (assigned, selesai, ditolak/dialihkan) sent to the citizen on the channel the
aduan came from, worded by the Polres's ``NoticeTemplate``.

Where the notice goes:
* a private chat (WhatsApp, Telegram, SMS, e-mail, Instagram/Messenger DM): the full notice
  (tracking code, unit, reason);
* WhatsApp after the 24-hour window: the account's approved template, or — without one — no
  notice, with an internal note in the thread saying why;
* a public comment on Instagram/Facebook (no DM yet) and X: a public reply with the public
  update only ({status}, {polres}: no tracking code, no unit, no reason); the one private
  reply Meta allows per comment stays for the officer's own answer.

The notice is a message in the aduan's thread with its own delivery state; it does not stop
the first-response clock.
"""

from __future__ import annotations

from string import Formatter
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from posko.aduan.actions.system import do_record_system_message
from posko.aduan.models import Aduan, AuditEvent
from posko.aduan.models import DeliveryState as MessageDelivery
from posko.aduan.models import MessageKind as AduanMessageKind
from posko.channels.actions.inbound import intake_origin, notice_text
from posko.channels.dispatch import (
    HIDDEN_KEY,
    META_WINDOW,
    _has_direct_thread,
    enqueue_send,
    whatsapp_window_open,
    window_template,
)
from posko.channels.models import (
    DEFAULT_NOTICES,
    ChannelMessage,
    Conversation,
    DeliveryKind,
    NoticeEvent,
    NoticeTemplate,
    OutboundDelivery,
    Platform,
)
from posko.channels.models import MessageKind as ChannelMessageKind
from posko.org.models import Unit

PUBLIC_STATUS = {
    NoticeEvent.ASSIGNED: "sedang ditindaklanjuti petugas",
    NoticeEvent.RESOLVED: "telah selesai ditangani",
    NoticeEvent.REJECTED: "sudah kami tinjau",
    NoticeEvent.REDIRECTED: "sudah kami tinjau",
}


class NoticeSkipped(Exception):
    """The platform does not allow a message now; the reason is noted in the thread."""


def public_update_text(aduan: Aduan, event: str) -> str:
    """The public wording: only the status and the Polres, whatever the template says."""
    template = NoticeTemplate.objects.filter(
        polres=aduan.polres, event=NoticeEvent.PUBLIC_UPDATE, is_active=True
    ).first()
    default = DEFAULT_NOTICES[NoticeEvent.PUBLIC_UPDATE]
    values = {"status": PUBLIC_STATUS[NoticeEvent(event)], "polres": aduan.polres.name}
    try:
        return (template.text if template else default).format(**values)
    except (KeyError, IndexError, ValueError):
        return default.format(**values)


def _route(conversation: Conversation, event: str, private_text: str) -> dict[str, Any]:
    """Delivery fields (kind, recipient, reply_to, template, text) or ``NoticeSkipped``."""
    account = conversation.account
    identity = conversation.identity
    aduan = conversation.aduan
    direct: dict[str, Any] = {
        "kind": DeliveryKind.DIRECT,
        "recipient": identity.external_id,
        "text": private_text,
    }
    if not account.is_active:
        raise NoticeSkipped("akun resmi kanal ini sedang dinonaktifkan.")
    if account.platform == Platform.WHATSAPP:
        if whatsapp_window_open(conversation):
            return direct
        template = window_template(account)
        if template is None:
            raise NoticeSkipped(
                "pesan terakhir pelapor di WhatsApp lebih dari 24 jam yang lalu dan akun ini "
                "belum punya templat yang disetujui. Hubungi pelapor lewat telepon bila perlu."
            )
        return {
            **direct,
            "kind": DeliveryKind.TEMPLATE,
            "template": {
                "name": template["name"],
                "language": template.get("language", "id"),
                "params": [aduan.code, private_text[:1000]],
            },
        }
    if account.platform in (Platform.INSTAGRAM, Platform.FACEBOOK):
        if _has_direct_thread(conversation):
            last = conversation.last_inbound_at
            if last is not None and timezone.now() - last > META_WINDOW:
                raise NoticeSkipped(
                    "pesan terakhir pelapor lebih dari 7 hari yang lalu; Meta tidak mengizinkan "
                    "pesan setelah itu."
                )
            return direct
        if not conversation.public_comment_id:
            raise NoticeSkipped("tidak ada percakapan atau komentar yang dapat dibalas.")
        # The one private reply Meta allows per comment is kept for the officer's own answer.
        return {
            "kind": DeliveryKind.COMMENT_REPLY,
            "recipient": conversation.public_comment_id,
            "reply_to": conversation.public_comment_id,
            "text": public_update_text(aduan, event),
        }
    if account.platform == Platform.X:
        return {
            "kind": DeliveryKind.COMMENT_REPLY,
            "recipient": identity.username or identity.external_id,
            "reply_to": conversation.last_inbound_external_id,
            "text": public_update_text(aduan, event),
        }
    if account.platform == Platform.EMAIL:
        return {**direct, "reply_to": conversation.last_inbound_external_id}
    return direct


def do_send_status_notice(aduan_id: int, event: str, reason: str = "") -> str:
    """Compose and queue the notice (body of the ``send_status_notice`` task)."""
    if event not in PUBLIC_STATUS:
        return f"unknown event {event}"
    with transaction.atomic():
        aduan = (
            Aduan.objects.select_for_update(of=("self",))
            .select_related("polres", "handling_unit")
            .filter(pk=aduan_id)
            .first()
        )
        if aduan is None:
            return "missing"
        conversation = (
            Conversation.objects.select_related("account", "identity", "aduan__polres")
            .filter(aduan=aduan)
            .first()
        )
        if conversation is None:
            return "no conversation"
        unit_id = aduan.handling_unit_id
        if event == NoticeEvent.ASSIGNED:
            told = AuditEvent.objects.filter(
                aduan=aduan, action__in=("notice_queued", "notice_skipped")
            )
            if any(
                e.data.get("event") == event and e.data.get("unit") == unit_id
                for e in told.only("data")
            ):
                return "already told about this unit"
        extra = {
            "unit": aduan.handling_unit.name if aduan.handling_unit else aduan.polres.name,
            "reason": reason or "-",
        }
        private_text = notice_text(aduan, event, **extra)
        with translation.override(settings.LANGUAGE_CODE):  # a stored note: Indonesian
            label = str(NoticeEvent(event).label)
        try:
            route = _route(conversation, event, private_text)
        except NoticeSkipped as exc:
            do_record_system_message(
                aduan,
                kind=AduanMessageKind.INTERNAL_NOTE,
                text=f"Pemberitahuan otomatis «{label}» tidak dikirim: {exc}",
                audit_action="notice_skipped",
                event=event,
                unit=unit_id,
            )
            return "skipped"
        text = route.pop("text")
        message = do_record_system_message(
            aduan,
            kind=AduanMessageKind.PUBLIC_REPLY,
            text=text,
            channel=conversation.account.platform,
            delivery_state=MessageDelivery.PENDING,
            audit_action="notice_queued",
            event=event,
            unit=unit_id,
            delivery_kind=route["kind"],
        )
        delivery = OutboundDelivery.objects.create(
            account=conversation.account, message=message, text=text, **route
        )
        enqueue_send(delivery.pk)
    return f"queued {route['kind']}"


# Where a receipt may carry the reporter's secret link: a private reply only (never a public
# comment, a mention or X, whose replies are public).
PRIVATE_DELIVERY = frozenset({DeliveryKind.DIRECT, DeliveryKind.TEMPLATE})


def reporter_link(aduan: Aduan, key: str) -> str:
    """The absolute secret link with which the reporter adds information and photos."""
    path = reverse("portal:tambah_informasi", args=[aduan.code, key])
    return f"{settings.POSKO_PUBLIC_URL.rstrip('/')}{path}"


def queue_receipt(aduan: Aduan) -> str:
    """Inside the intake's transaction (the secret key exists only there): tell a reporter who
    wrote privately the tracking code and their secret link, on the chat they wrote in. The
    thread shows the message with the key hidden (officers never see the link); only the
    delivery row carries it. Public origins (comments, mentions, X) get nothing here: the
    comment acknowledgement already answered them, without any code or link."""
    key = aduan.issued_reporter_key
    if not key:
        return "no private chat"
    # An intake from a channel message hands over what it has just created; otherwise read.
    conversation, origin_kind = intake_origin(aduan) or (None, None)
    if conversation is None:
        conversation = (
            Conversation.objects.select_related("account", "identity", "aduan")
            .filter(aduan=aduan)
            .first()
        )
    if conversation is None or conversation.account.platform == Platform.X:
        return "no private chat"
    if conversation.account.config.get("reporter_receipt", True) is False:
        return "off for this account"  # config ``reporter_receipt: false``
    if origin_kind is None:
        origin = ChannelMessage.objects.filter(aduan=aduan).order_by("id").only("kind").first()
        origin_kind = origin.kind if origin is not None else None
    if origin_kind != ChannelMessageKind.DIRECT:
        return "public origin"
    link = reporter_link(aduan, key)
    text = notice_text(aduan, NoticeEvent.RECEIVED, link=link)
    if link not in text:  # a Polres wording without {link}: the link still goes out
        text = f"{text}\n{link}"
    try:
        route = _route(conversation, NoticeEvent.RECEIVED, text)
    except NoticeSkipped:
        return "skipped"
    if route["kind"] not in PRIVATE_DELIVERY:
        return "not private"
    text = route.pop("text")
    message = do_record_system_message(
        aduan,
        kind=AduanMessageKind.PUBLIC_REPLY,
        text=text.replace(key, HIDDEN_KEY),
        channel=conversation.account.platform,
        delivery_state=MessageDelivery.PENDING,
        audit_action="notice_queued",
        event=NoticeEvent.RECEIVED.value,
        delivery_kind=route["kind"],
    )
    delivery = OutboundDelivery.objects.create(
        account=conversation.account, message=message, text=text, **route
    )
    enqueue_send(delivery.pk)
    return f"queued {route['kind']}"


# Placeholders each template may use. Public wordings (comment acknowledgement, public update)
# get nothing that identifies the report or the citizen.
ALLOWED_PLACEHOLDERS: dict[str, frozenset[str]] = {
    NoticeEvent.RECEIVED: frozenset({"code", "polres", "link"}),
    NoticeEvent.ASSIGNED: frozenset({"code", "unit", "polres"}),
    NoticeEvent.RESOLVED: frozenset({"code", "unit", "polres"}),
    NoticeEvent.REJECTED: frozenset({"code", "unit", "polres", "reason"}),
    NoticeEvent.REDIRECTED: frozenset({"code", "unit", "polres", "reason"}),
    NoticeEvent.COMMENT_ACK: frozenset({"polres"}),
    NoticeEvent.PUBLIC_UPDATE: frozenset({"status", "polres"}),
}


class NoticeTemplateError(ValueError):
    pass


def placeholders_of(text: str) -> set[str]:
    try:
        return {field for _, field, _, _ in Formatter().parse(text) if field is not None}
    except ValueError as exc:
        raise NoticeTemplateError(
            gettext("Kurung kurawal tidak seimbang; tulis penanda seperti {code}.")
        ) from exc


@transaction.atomic
def do_save_notice_template(
    polres: Unit, event: str, text: str, *, is_active: bool, acting_user: User
) -> NoticeTemplate:
    """Set the Polres's wording of one automatic notice (checked: only the placeholders that
    event allows, so a public reply can never carry the tracking code or a reason)."""
    if event not in ALLOWED_PLACEHOLDERS:
        raise NoticeTemplateError(gettext("Jenis pemberitahuan tidak dikenal."))
    text = text.strip()
    if not text:
        raise NoticeTemplateError(gettext("Teks pemberitahuan tidak boleh kosong."))
    allowed = ALLOWED_PLACEHOLDERS[event]
    wrong = sorted(placeholders_of(text) - allowed)
    if wrong:
        shown = ", ".join("{" + w + "}" for w in wrong)
        permitted = ", ".join("{" + a + "}" for a in sorted(allowed))
        raise NoticeTemplateError(
            gettext(
                "Penanda %(shown)s tidak boleh dipakai di templat ini. Yang boleh: %(permitted)s."
            )
            % {"shown": shown, "permitted": permitted}
        )
    template, _ = NoticeTemplate.objects.select_for_update().update_or_create(
        polres=polres,
        event=event,
        defaults={
            "text": text,
            "is_active": is_active,
            "updated_by": acting_user,
            "updated_at": timezone.now(),
        },
    )
    return template
