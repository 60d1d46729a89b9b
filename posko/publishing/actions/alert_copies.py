"""Alerts to subscribers on Telegram (``/start``) and SMS (``DAFTAR``): the same text as the
WhatsApp template, as a direct message through the Polres's bot / SMS gateway. Each copy is a
channels delivery (state, retries, per-account pacing: Telegram 30/s), queued in the alert's
own transaction and sent after commit."""

from __future__ import annotations

from django.db.models import Count, Q

from posko.channels.dispatch import queue_direct_message
from posko.channels.models import ChannelAccount
from posko.publishing.models import Alert, AlertCopy, Subscriber, SubscriberChannel, SubscriberState
from posko.regions.models import Region

COPY_CHANNELS = (SubscriberChannel.TELEGRAM, SubscriberChannel.SMS)


def queue_alert_copies(alert: Alert, desa: list[Region]) -> int:
    """Inside the alert's transaction: one copy per active Telegram/SMS subscriber of the desa
    (or of their whole kecamatan) whose channel has an active account. Returns the count."""
    kecamatan = {d.parent_id for d in desa if d.parent_id}
    queued = 0
    for channel in COPY_CHANNELS:
        account = (
            ChannelAccount.objects.filter(polres=alert.polres, platform=channel, is_active=True)
            .order_by("pk")
            .first()
        )
        if account is None:
            continue
        subscribers = Subscriber.objects.filter(
            polres=alert.polres, channel=channel, state=SubscriberState.ACTIVE
        ).filter(Q(desa__in=desa) | Q(desa__isnull=True, kecamatan__in=kecamatan))
        for subscriber in subscribers:
            delivery = queue_direct_message(account, subscriber.address, alert.text)
            AlertCopy.objects.create(alert=alert, subscriber=subscriber, delivery=delivery)
            queued += 1
    return queued


# How a copy's delivery state counts on the alert's summary (as for WhatsApp deliveries).
COPY_SUMMARY = {
    "pending": "pending",
    "sending": "pending",
    "sent": "sent",
    "delivered": "sent",
    "read": "sent",
    "failed": "failed",
}


def copy_counts(alert: Alert) -> dict[str, int]:
    """The Telegram and SMS copies of an alert: sent (delivered and read included), failed,
    pending, and the total."""
    counts = {"sent": 0, "failed": 0, "pending": 0}
    for row in alert.copies.values("delivery__state").annotate(n=Count("pk")):
        counts[COPY_SUMMARY.get(str(row["delivery__state"]), "pending")] += row["n"]
    counts["total"] = sum(counts.values())
    return counts
