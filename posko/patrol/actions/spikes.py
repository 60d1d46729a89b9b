"""Spike detection over a Polres's stored public posts: per (topic, place) and minute,
replayed through the engine's detector; one SpikeAlert per spike (idempotent)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from posko.org.models import Unit
from posko.patrol.actions.alerts import GROWTH_AFTER, GROWTH_BEFORE, describe_spike, notify_alert
from posko.patrol.actions.claims import record_patrol_audit
from posko.patrol.actions.settings import policy_for, settings_for
from posko.patrol.engine.claimtext import analyse
from posko.patrol.engine.spikes import SpikeDetector, SpikePolicy
from posko.patrol.models import PublicPost, SpikeAlert, Watchlist

REPLAY_HOURS = 24


def _watch_stems(polres: Unit) -> list[tuple[str, list[frozenset[str]]]]:
    """Each watchlist's keyword phrases as stem sets (the matcher's normalisation, so
    "penculikan", "culik" and "diculik" are one keyword)."""
    out = []
    for w in Watchlist.objects.filter(polres=polres, enabled=True):
        phrases = [frozenset(analyse(str(k)).stems) for k in [*w.keywords, *w.hashtags]]
        out.append((w.name, [p for p in phrases if p]))
    return out


def post_topics(
    text: str, claim_id: int | None, watch: list[tuple[str, list[frozenset[str]]]]
) -> list[str]:
    topics = [f"klaim #{claim_id}"] if claim_id else []
    stems = analyse(text).stem_set
    topics.extend(name for name, phrases in watch if any(p <= stems for p in phrases))
    return topics


def do_detect_spikes(
    polres: Unit, *, now: datetime | None = None, policy: SpikePolicy | None = None
) -> list[SpikeAlert]:
    now = now or timezone.now()
    start = (now - timedelta(hours=REPLAY_HOURS)).replace(second=0, microsecond=0)
    watch = _watch_stems(polres)
    counts: dict[int, Counter[Hashable]] = {}
    posts = PublicPost.objects.filter(polres=polres, posted_at__gte=start, posted_at__lte=now)
    for text, claim_id, place, at in posts.values_list(
        "text", "matched_claim_id", "place", "posted_at"
    ):
        minute = int((at - start).total_seconds() // 60)
        for topic in post_topics(text, claim_id, watch):
            counts.setdefault(minute, Counter())[(topic, place)] += 1
    det = SpikeDetector(policy or policy_for(polres))
    spikes = []
    last = int((now - start).total_seconds() // 60)
    for minute in range(last + 1):
        spikes.extend(det.add(minute, ("", ""), 0))  # every minute is a bucket
        spikes.extend(det.add_counts(minute, dict(counts.get(minute, {}))))
    spikes.extend(det.close_minute())
    return _store_alerts(polres, start, spikes, watch)


def _spike_posts(
    polres: Unit,
    at: datetime,
    topic: str,
    place: str,
    watch: list[tuple[str, list[frozenset[str]]]],
) -> list[PublicPost]:
    near = PublicPost.objects.filter(
        polres=polres,
        place=place,
        posted_at__gte=at - timedelta(minutes=GROWTH_BEFORE),
        posted_at__lt=at + timedelta(minutes=GROWTH_AFTER + 1),
    )
    return [p for p in near if topic in post_topics(p.text, p.matched_claim_id, watch)]


def _store_alerts(
    polres: Unit, start: datetime, spikes: list, watch: list[tuple[str, list[frozenset[str]]]]
) -> list[SpikeAlert]:
    """One alert per spike, none while an alert of the same topic and place is younger than
    the Polres's ``alert_dedup_minutes`` (the same spike, seen by an earlier run); each new
    one described and notified, one audit row for the run."""
    dedup = timedelta(minutes=settings_for(polres).alert_dedup_minutes)
    created: list[SpikeAlert] = []
    with transaction.atomic():
        for s in spikes:
            topic, place = (str(v) for v in s.key)
            at = start + timedelta(minutes=s.minute)
            near = SpikeAlert.objects.filter(
                polres=polres,
                topic=topic,
                place=place,
                started_at__gte=at - dedup,
                started_at__lte=at + dedup,
            )
            if near.exists():
                continue
            alert = SpikeAlert(
                polres=polres,
                topic=topic,
                place=place,
                started_at=at,
                count=s.count,
                expected=s.expected,
                window_minutes=s.window,
                z=s.z,
            )
            describe_spike(alert, _spike_posts(polres, at, topic, place, watch))
            alert.save()
            notify_alert(alert)
            created.append(alert)
        if created:
            record_patrol_audit(
                polres,
                "spike_alerted",
                actor=None,
                alerts=[a.pk for a in created],
                negative=[a.pk for a in created if a.negative],
            )
    return created
