"""Spike and reputation alerts: each new spike gets its growth curve, sample posts and reach,
and a console notification for Humas/PID and the Kapolres; a spike whose posts pair a
misconduct word with a police term (negative virality about members) also goes to Propam."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from posko.aduan.models import Notification
from posko.org.models import Officer, Role, Unit
from posko.patrol.actions.settings import MISCONDUCT_WORDS, POLICE_TERMS, settings_for
from posko.patrol.engine.claimtext import analyse
from posko.patrol.models import PatrolSettings, PublicPost, SpikeAlert

GROWTH_BEFORE = 30  # minutes of curve before the start
GROWTH_AFTER = 15
SAMPLES = 5


def _phrases(words: list[str] | tuple[str, ...]) -> list[frozenset[str]]:
    return [p for p in (frozenset(analyse(str(w)).stems) for w in words) if p]


def is_negative_about_members(text: str, s: PatrolSettings) -> bool:
    stems = analyse(text).stem_set
    misconduct = _phrases(s.misconduct_words or MISCONDUCT_WORDS)
    police = _phrases(s.police_terms or POLICE_TERMS)
    return any(p <= stems for p in misconduct) and any(p <= stems for p in police)


def describe_spike(alert: SpikeAlert, posts: list[PublicPost]) -> None:
    """Fill the growth curve (posts per minute), reach, samples and the negative flag from the
    posts of the spike's topic and place (``posts``: those the detector counted)."""
    start = alert.started_at - timedelta(minutes=GROWTH_BEFORE)
    curve = [0] * (GROWTH_BEFORE + GROWTH_AFTER + 1)
    in_spike = []
    for p in posts:
        i = int((p.posted_at - start).total_seconds() // 60)
        if 0 <= i < len(curve):
            curve[i] += 1
        if i >= GROWTH_BEFORE - alert.window_minutes:
            in_spike.append(p)
    in_spike.sort(key=lambda p: (-p.reach, p.pk))
    s = settings_for(alert.polres)
    alert.growth = [
        {"t": (start + timedelta(minutes=i)).isoformat(), "n": n} for i, n in enumerate(curve)
    ]
    alert.reach = sum(p.reach for p in in_spike)
    alert.sample_post_ids = [p.pk for p in _diverse(in_spike)[:SAMPLES]]
    negative = [p for p in in_spike if is_negative_about_members(p.text, s)]
    alert.negative = len(negative) * 2 >= max(1, len(in_spike[:50]))  # at least half of them


def _diverse(posts: list[PublicPost]) -> list[PublicPost]:
    """The widest-reaching post of each near-duplicate group first, then the rest."""
    seen: set[str] = set()
    first: list[PublicPost] = []
    rest: list[PublicPost] = []
    for p in posts:
        (rest if p.dup_group in seen else first).append(p)
        seen.add(p.dup_group)
    return first + rest


def recipients(polres: Unit, *, negative: bool) -> list[Officer]:
    roles = [Role.OPERATOR, Role.PIMPINAN] + ([Role.PROPAM] if negative else [])
    units = [polres, *polres.children.all()]
    return list(Officer.objects.filter(role__in=roles, unit__in=units).select_related("user"))


def notify_alert(alert: SpikeAlert) -> int:
    """One console notification per recipient (inside the caller's transaction)."""
    where = f" di {alert.place}" if alert.place else ""
    label = "Viral negatif tentang anggota" if alert.negative else "Lonjakan"
    text = (
        f"{label}: {alert.topic}{where} — {alert.count} unggahan dalam {alert.window_minutes}"
        f" menit (biasanya {alert.expected:.1f}), jangkauan {alert.reach}."
    )
    link = f"{reverse('patrol:spikes')}#lonjakan-{alert.pk}"
    people = recipients(alert.polres, negative=alert.negative)
    Notification.objects.bulk_create(
        [Notification(recipient=o, text=text[:300], link=link) for o in people]
    )
    return len(people)
