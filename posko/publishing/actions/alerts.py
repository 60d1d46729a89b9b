"""Targeted alerts: a warning to the subscribers of chosen desa through approved WhatsApp
templates, in batches on the task backend.

Pacing: a batch is ``batch_seconds`` (default 5) of sending: at most ``max_per_second``
(default 80, WhatsApp's per-number throughput) messages a second, each started at least 1/rate
seconds after the previous one, so no one-second window ever holds more than the rate. The
next batch is enqueued by the previous one when it ends, so batches never overlap. A batch
picks the next pending deliveries, so a re-run continues where the last one stopped.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.channels.http import client
from posko.channels.models import ChannelAccount
from posko.org.models import Unit
from posko.publishing.actions.alert_copies import queue_alert_copies
from posko.publishing.actions.common import PostError
from posko.publishing.calls import OutcomeUnknown, Published, PublishRejected
from posko.publishing.limits import LIMITS
from posko.publishing.models import (
    Alert,
    AlertDelivery,
    AlertDeliveryState,
    Post,
    PostTarget,
    Subscriber,
    SubscriberChannel,
    SubscriberState,
)
from posko.publishing.publishers.publish_whatsapp import send_template
from posko.regions.models import Region

DEFAULT_PER_SECOND = 80
DEFAULT_BATCH_SECONDS = 5


def recipients(polres: Unit, desa: list[Region]) -> list[int]:
    """Active WhatsApp subscribers of the desa, or of their kecamatan (whole-kecamatan
    subscriptions)."""
    kecamatan = {d.parent_id for d in desa if d.parent_id}
    return list(
        Subscriber.objects.filter(
            polres=polres,
            channel=SubscriberChannel.WHATSAPP,
            state=SubscriberState.ACTIVE,
        )
        .filter(Q(desa__in=desa) | Q(desa__isnull=True, kecamatan__in=kecamatan))
        .values_list("pk", flat=True)
    )


def do_create_alert(
    polres: Unit,
    account: ChannelAccount,
    *,
    text: str,
    desa: list[Region],
    acting_user: User | None,
    post: Post | None = None,
) -> Alert:
    text = text.strip()
    errors = []
    if not text or len(text) > LIMITS["whatsapp"].text_max:
        errors.append(_("Teks peringatan wajib diisi, paling banyak 1.024 karakter."))
    if account.polres_id != polres.pk or account.platform != "whatsapp":
        errors.append(_("Akun pengirim harus akun WhatsApp Polres ini."))
    template = account.config.get("alert_template")
    if not isinstance(template, dict) or not template.get("name"):
        errors.append(_("Akun WhatsApp belum punya templat peringatan yang disetujui."))
    if not desa:
        errors.append(_("Pilih minimal satu desa."))
    if errors:
        raise PostError(errors)
    with transaction.atomic():
        alert = Alert.objects.create(
            polres=polres, account=account, text=text, post=post, created_by=acting_user
        )
        alert.desa.set(desa)
        AlertDelivery.objects.bulk_create(
            [AlertDelivery(alert=alert, subscriber_id=pk) for pk in recipients(polres, desa)],
            batch_size=1000,
        )
        queue_alert_copies(alert, desa)  # Telegram and SMS subscribers
        _enqueue_batch(alert.pk, None)
    return alert


def start_alert_for_target(target: PostTarget) -> Published:
    """The WhatsApp variant of a post: one alert (never two) to the post's desa."""
    post = target.post
    existing = Alert.objects.filter(post=post, account_id=target.account_id).first()
    alert = existing or do_create_alert(
        post.polres,
        target.account,
        text=target.body,
        desa=list(post.desa.all()),
        acting_user=None,
        post=post,
    )
    return Published(f"alert-{alert.pk}", "")


def _enqueue_batch(alert_id: int, run_after_seconds: float | None) -> None:
    from posko.publishing.tasks import send_alert_batch

    def enqueue() -> None:
        if run_after_seconds:
            run_after = timezone.now() + timedelta(seconds=run_after_seconds)
            send_alert_batch.using(run_after=run_after).enqueue(alert_id)
        else:
            send_alert_batch.enqueue(alert_id)

    transaction.on_commit(enqueue)


def _claim(alert: Alert, size: int) -> list[AlertDelivery]:
    """Mark the next pending deliveries as sending (a short transaction: no lock is held
    while messages go out). A crash leaves them "sending": unknown, never sent twice."""
    with transaction.atomic():
        batch = list(
            AlertDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscriber")
            .filter(alert=alert, state=AlertDeliveryState.PENDING)
            .order_by("pk")[:size]
        )
        AlertDelivery.objects.filter(pk__in=[d.pk for d in batch]).update(
            state=AlertDeliveryState.SENDING
        )
    return batch


def do_send_alert_batch(alert_id: int) -> str:
    alert = Alert.objects.select_related("account").filter(pk=alert_id).first()
    if alert is None or alert.finished_at is not None:
        return "done"
    account = alert.account
    per_second = int(account.config.get("max_per_second", DEFAULT_PER_SECOND))
    batch_size = per_second * int(account.config.get("batch_seconds", DEFAULT_BATCH_SECONDS))
    template = account.config.get("alert_template") or {}
    pause: float | None = None
    gap = 1.02 / max(per_second, 1)  # 2 % margin for network jitter
    next_slot = time.monotonic()
    batch = _claim(alert, batch_size)
    with client() as http:
        for delivery in batch:
            if pause is not None:
                delivery.state = AlertDeliveryState.PENDING  # not tried: the next batch
                continue
            wait = next_slot - time.monotonic()
            if wait > 0:
                time.sleep(wait)  # pacing within the second, not a retry
            next_slot = time.monotonic() + gap
            pause = _send_one(http, alert, template, delivery)
            if pause is not None:
                delivery.state = AlertDeliveryState.PENDING
    with transaction.atomic():
        AlertDelivery.objects.bulk_update(batch, ["state", "external_id", "error", "sent_at"])
        remaining = AlertDelivery.objects.filter(alert=alert, state=AlertDeliveryState.PENDING)
        if not remaining.exists():
            Alert.objects.filter(pk=alert.pk).update(finished_at=timezone.now())
            return f"sent {len(batch)}, finished"
        _enqueue_batch(alert.pk, max(pause or 0.0, next_slot - time.monotonic(), 0.001))
    return f"sent {len(batch)}"


def _send_one(
    http: object, alert: Alert, template: dict[str, str], delivery: AlertDelivery
) -> float | None:
    """Send one message; a pause (seconds) when the platform asks to slow down."""
    import httpx

    assert isinstance(http, httpx.Client)
    if delivery.subscriber.state != SubscriberState.ACTIVE:  # stopped since the alert began
        delivery.state, delivery.error = AlertDeliveryState.FAILED, "berhenti berlangganan"
        return None
    try:
        delivery.external_id = send_template(
            http, alert.account, delivery.subscriber.address, template, [alert.text]
        )
    except OutcomeUnknown as exc:
        delivery.state, delivery.error = AlertDeliveryState.UNCONFIRMED, exc.reason[:500]
    except PublishRejected as exc:
        if exc.retryable:
            return exc.retry_after or 5.0  # stays pending; the batch stops here
        delivery.state, delivery.error = AlertDeliveryState.FAILED, exc.reason[:500]
    else:
        delivery.state = AlertDeliveryState.SENT
    delivery.sent_at = timezone.now()
    return None


def alert_counts(alert: Alert) -> dict[str, int]:
    counts = dict.fromkeys(AlertDeliveryState.values, 0)
    for row in alert.deliveries.values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    counts["total"] = sum(counts[s] for s in AlertDeliveryState.values)
    return counts
