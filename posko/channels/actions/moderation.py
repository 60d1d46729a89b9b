"""The comment moderation stream: operators make a comment an aduan, reply publicly, hide it
(on the platform), or dismiss it. Each action is one transaction with an explicit actor."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posko.aduan.audit import record_polres_audit
from posko.aduan.models import Aduan
from posko.channels.actions.inbound import AlreadyLinked, create_aduan_from_message
from posko.channels.base import SendError
from posko.channels.dispatch import queue_comment_reply
from posko.channels.http import client
from posko.channels.models import (
    ChannelMessageState,
    ModerationItem,
    ModerationState,
    Platform,
)
from posko.org.permissions import MODERATION_ROLES, authorize_in_polres

# Registered with the audit registry in ``ChannelsConfig.ready``.
AUDIT_KINDS = {
    "comment_replied": _("Komentar publik dibalas"),
    "comment_hidden": _("Komentar publik disembunyikan"),
    "comment_dismissed": _("Komentar publik diabaikan"),
}


class ModerationError(ValueError):
    pass


def _lock(item: ModerationItem) -> ModerationItem:
    return (
        ModerationItem.objects.select_for_update()
        .select_related("message__account", "message__identity")
        .get(pk=item.pk)
    )


def _authorize(item: ModerationItem, user: User) -> None:
    message = gettext("Hanya operator, admin atau pimpinan yang menangani komentar publik.")
    authorize_in_polres(user, MODERATION_ROLES, item.polres, message)


def _done(item: ModerationItem, state: str, user: User, audit: str | None = None) -> None:
    item.state = state
    item.handled_by = user
    item.handled_at = timezone.now()
    item.save(update_fields=["state", "handled_by", "handled_at", "aduan"])
    if audit is not None:  # (a conversion is audited by the new aduan's own rows)
        record_polres_audit(
            item.polres,
            audit,
            actor=user,
            target=f"moderation:{item.pk}",
            message=item.message_id,
        )


def do_convert_to_aduan(item: ModerationItem, *, acting_user: User) -> Aduan:
    """The operator decides the comment needs police action after all. The item is marked in
    the new aduan's own transaction, so a double click cannot make two aduan."""
    _authorize(item, acting_user)
    with transaction.atomic():
        item = _lock(item)
        if item.state == ModerationState.CONVERTED:
            raise ModerationError(gettext("Komentar ini sudah dijadikan aduan."))
    message = item.message

    def mark(aduan: Aduan) -> None:
        locked = _lock(item)
        locked.aduan = aduan
        _done(locked, ModerationState.CONVERTED, acting_user)

    try:
        return create_aduan_from_message(
            message.account, message, acting_user=acting_user, then=mark
        )
    except AlreadyLinked as exc:
        raise ModerationError(gettext("Komentar ini sudah dijadikan aduan.")) from exc


def do_reply_to_comment(item: ModerationItem, text: str, *, acting_user: User) -> None:
    _authorize(item, acting_user)
    text = text.strip()
    if not text:
        raise ModerationError(gettext("Isi balasan tidak boleh kosong."))
    with transaction.atomic():
        item = _lock(item)
        message = item.message
        if message.account.platform not in (Platform.INSTAGRAM, Platform.FACEBOOK):
            raise ModerationError(gettext("Balasan komentar hanya untuk Instagram dan Facebook."))
        target = str(message.data.get("reply_target") or message.external_id)
        queue_comment_reply(message.account, target, text, moderation_item=item)
        _done(item, ModerationState.REPLIED, acting_user, "comment_replied")


def do_hide_comment(item: ModerationItem, *, acting_user: User) -> None:
    """Hide the comment on the platform now (the operator sees the platform's answer)."""
    item = ModerationItem.objects.select_related("message__account").get(pk=item.pk)
    _authorize(item, acting_user)
    account = item.message.account
    if account.platform not in (Platform.INSTAGRAM, Platform.FACEBOOK):
        raise ModerationError(
            gettext("Menyembunyikan komentar hanya didukung untuk Instagram/Facebook.")
        )
    from posko.channels.meta.adapter import hide_comment

    try:
        with client() as http:
            hide_comment(http, account, item.message.external_id)
    except SendError as exc:
        raise ModerationError(
            gettext("Gagal menyembunyikan komentar: %(reason)s") % {"reason": exc.reason}
        ) from exc
    with transaction.atomic():
        item = _lock(item)
        _done(item, ModerationState.HIDDEN, acting_user, "comment_hidden")


def do_dismiss(item: ModerationItem, *, acting_user: User) -> None:
    _authorize(item, acting_user)
    with transaction.atomic():
        item = _lock(item)
        _done(item, ModerationState.DISMISSED, acting_user, "comment_dismissed")
        item.message.state = ChannelMessageState.IGNORED
        item.message.save(update_fields=["state"])
