"""Reads of aduan data for other domains that do not depend on who asks (the permission-
scoped reads are in ``access.py``)."""

from __future__ import annotations

from typing import Any

from posko.aduan.models import Aduan
from posko.org.models import Unit


def correction_examples(polres: Unit) -> list[dict[str, Any]]:
    """One training example per corrected aduan: its text with its labels as they stand now
    (the operator's corrections plus the labels nobody needed to correct)."""
    rows = (
        Aduan.objects.filter(polres=polres, corrections__isnull=False)
        .distinct()
        .values("text", "category", "priority", "tone")
    )
    return [dict(row) for row in rows]
