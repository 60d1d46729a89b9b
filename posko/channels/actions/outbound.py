"""Sending deliveries through the platforms, delivery statuses, retries.

Retry policy (on top of the Tasks API, no home-made loop): a retryable failure re-enqueues the
send task with ``run_after`` = now + max(platform's retry_after, 30 s · 2^(attempt-1)), capped at
one hour, counting attempts in the delivery row; after ``MAX_ATTEMPTS`` the delivery fails with
the platform's reason. Per-recipient and per-account rate limits defer (not fail) a send.

A delivery marked ``at_most_once`` (a Polisi Virtual warning) is never sent twice: an unknown
outcome (timeout after sending, dropped answer, 5xx) or a send cut off by a worker crash marks
it *unconfirmed* for an officer, who checks the platform and may retry it explicitly
(``do_retry_delivery``); clean rejections (429, refusals) follow the policy above.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from posko.aduan.actions.system import do_set_delivery_state
from posko.channels.base import SendError, StatusUpdate
from posko.channels.dispatch import HIDDEN_KEY, MESSAGE_STATE, enqueue_send
from posko.channels.http import client
from posko.channels.models import (
    DELIVERY_RANK,
    ChannelAccount,
    DeliveryState,
    OutboundDelivery,
    Platform,
)
from posko.channels.registry import adapter_for
from posko.core.task_options import with_priority

MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
# Minimum spacing of messages to one recipient, and messages per second per account.
PAIR_INTERVAL: dict[str, float] = {Platform.WHATSAPP: 6.0, Platform.TELEGRAM: 1.0}
ACCOUNT_PER_SECOND: dict[str, int] = {Platform.WHATSAPP: 80, Platform.TELEGRAM: 30, Platform.X: 5}
FINAL = {DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.READ}
# Longer than any send can take (HTTP timeout): a delivery still "sending" after this is taken
# for the victim of a worker crash and sent again (the platform may show it twice, rarely).
SEND_LEASE = timedelta(minutes=10)
CRASHED = "Pengiriman sebelumnya terputus (proses berhenti) sebelum ada jawaban platform."
UNCONFIRMED_NOTE = (
    " Belum pasti apakah pesan sampai di platform; tidak dikirim ulang otomatis. Periksa di "
    "platform, lalu coba kirim ulang bila memang belum terkirim."
)
RETRYABLE_BY_HAND = (DeliveryState.FAILED, DeliveryState.UNCONFIRMED)


def _sync_message(delivery: OutboundDelivery) -> None:
    if delivery.message_id is None:
        return
    do_set_delivery_state(
        delivery.message_id,
        state=MESSAGE_STATE[DeliveryState(delivery.state)],
        error=delivery.error,
    )


def _save(delivery: OutboundDelivery, *fields: str) -> None:
    delivery.updated_at = timezone.now()
    delivery.save(update_fields=[*fields, "updated_at"])
    _sync_message(delivery)


def _rate_delay(delivery: OutboundDelivery, now: datetime) -> datetime | None:
    """When the send must wait for a per-recipient or per-account rate limit."""
    account = delivery.account
    config = account.config
    pair = float(config.get("pair_interval_seconds", PAIR_INTERVAL.get(account.platform, 0)))
    if pair > 0:
        last = (
            OutboundDelivery.objects.filter(
                account=account,
                recipient=delivery.recipient,
                sent_at__gt=now - timedelta(seconds=pair),
            )
            .exclude(pk=delivery.pk)
            .order_by("-sent_at")
            .values_list("sent_at", flat=True)
            .first()
        )
        if last is not None:
            return last + timedelta(seconds=pair)
    per_second = int(config.get("max_per_second", ACCOUNT_PER_SECOND.get(account.platform, 10)))
    recent = OutboundDelivery.objects.filter(
        account=account, sent_at__gt=now - timedelta(seconds=1)
    ).count()
    if recent >= per_second:
        return now + timedelta(seconds=1)
    return None


def do_send_delivery(delivery_id: int) -> str:
    """Send one delivery (the body of the ``send_delivery`` task). Returns what happened."""
    from posko.channels.tasks import send_delivery

    now = timezone.now()
    with transaction.atomic():
        delivery = (
            OutboundDelivery.objects.select_for_update()
            .select_related("account")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.state in FINAL or delivery.state in RETRYABLE_BY_HAND:
            return f"already {delivery.state}"
        resumed = delivery.state == DeliveryState.SENDING
        if resumed and delivery.updated_at > now - SEND_LEASE:
            return "in progress"
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=1):
            return "early"  # a newer retry is scheduled
        wait_until = _rate_delay(delivery, now)
        if wait_until is not None:
            delivery.next_attempt_at = wait_until
            _save(delivery, "next_attempt_at")
            enqueue_send(delivery.pk, run_after=wait_until)
            return "deferred"
        if resumed and delivery.at_most_once:
            return _record_failure(
                delivery, SendError(CRASHED, retryable=True, outcome_unknown=True)
            )
        if resumed and delivery.attempts >= MAX_ATTEMPTS:
            return _record_failure(delivery, SendError(CRASHED, retryable=False))
        delivery.state = DeliveryState.SENDING
        delivery.attempts += 1
        if resumed:
            delivery.error = CRASHED + " Dikirim ulang."
        _save(delivery, "state", "attempts", *(["error"] if resumed else []))
        # The lease: a run of this task after SEND_LEASE finds the delivery still "sending"
        # only when this attempt died (worker crash) and sends it again. Enqueued in the same
        # transaction as the state, so it cannot be lost.
        send_delivery.using(**with_priority(0), run_after=timezone.now() + SEND_LEASE).enqueue(
            delivery.pk
        )
    account: ChannelAccount = delivery.account

    try:
        if not account.is_active:
            raise SendError("Akun resmi dinonaktifkan.", retryable=False)
        with client() as http:
            external_id = adapter_for(account.platform).send(http, account, delivery)
    except SendError as exc:
        return _record_failure(delivery, exc)

    with transaction.atomic():
        delivery = OutboundDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.external_id = external_id
        delivery.sent_at = timezone.now()
        delivery.error = ""
        if DELIVERY_RANK[DeliveryState(delivery.state)] < DELIVERY_RANK[DeliveryState.SENT]:
            delivery.state = DeliveryState.SENT
        delivery.text = _without_secret(delivery)
        _save(delivery, "external_id", "sent_at", "error", "state", "text")
    return "sent"


def _without_secret(delivery: OutboundDelivery) -> str:
    """A receipt's text carries the reporter's secret link only until it is sent (a retry
    needs it); then the row keeps the thread's copy, in which the key is hidden."""
    message = delivery.message
    if message is not None and HIDDEN_KEY in message.text:
        return message.text
    return delivery.text


def _record_failure(delivery: OutboundDelivery, exc: SendError) -> str:
    now = timezone.now()
    with transaction.atomic():
        delivery = OutboundDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.at_most_once and exc.outcome_unknown:
            delivery.state = DeliveryState.UNCONFIRMED
            delivery.error = exc.reason + UNCONFIRMED_NOTE
            _save(delivery, "state", "error")
            return "unconfirmed"
        if exc.retryable and delivery.attempts < MAX_ATTEMPTS:
            backoff = min(BASE_BACKOFF * 2 ** (delivery.attempts - 1), MAX_BACKOFF)
            delay = max(backoff, timedelta(seconds=exc.retry_after or 0))
            retry_at = now + delay
            delivery.state = DeliveryState.PENDING
            delivery.next_attempt_at = retry_at
            local = timezone.localtime(retry_at)
            delivery.error = (
                f"Percobaan {delivery.attempts} gagal: {exc.reason}. "
                f"Dicoba lagi otomatis pukul {local:%H:%M:%S}."
            )
            _save(delivery, "state", "next_attempt_at", "error")
            enqueue_send(delivery.pk, run_after=retry_at)
            return "retry"
        delivery.state = DeliveryState.FAILED
        delivery.error = exc.reason
        delivery.updated_at = timezone.now()
        delivery.save(update_fields=["state", "error", "updated_at"])
        if delivery.message_id is not None:
            do_set_delivery_state(
                delivery.message_id,
                state=MESSAGE_STATE[DeliveryState(delivery.state)],
                error=delivery.error,
                audit_action="delivery_failed",
                reason=exc.reason,
                attempts=delivery.attempts,
            )
    return "failed"


def do_apply_status(account: ChannelAccount, status: StatusUpdate) -> bool:
    """Apply a delivery status webhook. Returns False when our delivery is not known (yet):
    the status may have overtaken the send task's commit, so the caller retries later.
    States never move backwards (read → delivered arriving late changes nothing)."""
    with transaction.atomic():
        delivery = (
            OutboundDelivery.objects.select_for_update()
            .filter(account=account, external_id=status.external_id)
            .first()
        )
        if delivery is None:
            return False
        new = DeliveryState(status.state)
        current = DeliveryState(delivery.state)
        if new == DeliveryState.FAILED:
            applies = current in (
                DeliveryState.PENDING,
                DeliveryState.SENDING,
                DeliveryState.SENT,
                DeliveryState.UNCONFIRMED,
            )
        else:
            applies = DELIVERY_RANK[new] > DELIVERY_RANK[current]
        if applies:
            delivery.state = new
            fields = ["state"]
            if new == DeliveryState.FAILED:
                delivery.error = status.error or "Platform melaporkan pengiriman gagal."
                fields.append("error")
            _save(delivery, *fields)
    return True


def do_retry_delivery(delivery: OutboundDelivery, *, acting_user: User | None) -> None:
    """An operator retries a failed or unconfirmed delivery (counts start again)."""
    with transaction.atomic():
        delivery = OutboundDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.state not in RETRYABLE_BY_HAND:
            raise ValueError(
                gettext(
                    "Hanya pengiriman yang gagal atau belum terkonfirmasi yang dapat dicoba ulang."
                )
            )
        delivery.state = DeliveryState.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.error = ""
        delivery.updated_at = timezone.now()
        delivery.save(update_fields=["state", "attempts", "next_attempt_at", "error", "updated_at"])
        if delivery.message_id is not None:
            do_set_delivery_state(
                delivery.message_id,
                state=MESSAGE_STATE[DeliveryState(delivery.state)],
                audit_action="delivery_retried",
                actor=acting_user,
            )
        enqueue_send(delivery.pk)
