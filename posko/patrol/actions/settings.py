"""The Polres's patrol policy (thresholds in the database), with the engine's defaults."""

from __future__ import annotations

from posko.org.models import Unit
from posko.patrol.engine.spikes import SpikePolicy
from posko.patrol.models import PatrolSettings

# Negative virality about members: a misconduct word and a police term in the same post.
MISCONDUCT_WORDS = (
    "pungli",
    "pungutan liar",
    "suap",
    "sogok",
    "pemerasan",
    "peras",
    "aniaya",
    "pukul",
    "kekerasan",
    "arogan",
    "mabuk",
    "selingkuh",
    "tembak",
    "damai di tempat",
    "backing",
    "beking",
    "narkoba",
    "judi",
)
POLICE_TERMS = (
    "polisi",
    "polri",
    "polres",
    "polsek",
    "oknum",
    "aparat",
    "brimob",
    "bripka",
    "briptu",
    "aipda",
    "ipda",
    "iptu",
    "akp",
    "kapolres",
    "kapolsek",
    "anggota",
)


def settings_for(polres: Unit) -> PatrolSettings:
    """The stored settings, or unsaved defaults when the Polres has none yet."""
    found = PatrolSettings.objects.filter(polres=polres).first()
    return found if found is not None else PatrolSettings(polres=polres)


def policy_for(polres: Unit) -> SpikePolicy:
    s = settings_for(polres)
    return SpikePolicy(
        z_threshold=s.z_threshold,
        min_count=s.min_count,
        min_ratio=s.min_ratio,
        quiet_minutes=s.quiet_minutes,
        warmup_minutes=s.warmup_minutes,
    )
