"""Triage of citizen messages: category, priority, tone, place, unit and incident.

Pure Python (no Django, no database, no network). See docs/triage.md.
"""

from .engine import Triager, get_triager
from .types import (
    CATEGORIES,
    PRIORITIES,
    TONES,
    UNITS,
    IncidentCandidate,
    Landmark,
    TriageInput,
    TriageResult,
    unit_for,
)

__all__ = [
    "CATEGORIES",
    "PRIORITIES",
    "TONES",
    "UNITS",
    "IncidentCandidate",
    "Landmark",
    "TriageInput",
    "TriageResult",
    "Triager",
    "get_triager",
    "unit_for",
]
