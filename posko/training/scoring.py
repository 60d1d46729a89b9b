"""Scoring an exercise against the real outcome of the aduan it replays, and the reply
checks officers see in the console (``workbench.reply_check``)."""

from __future__ import annotations

from dataclasses import dataclass

from posko.aduan.models import Aduan
from posko.aduan.models.choices import PRIORITY_RANK
from posko.workbench.reply_check import check_reply

CATEGORY_POINTS = 30
PRIORITY_POINTS = 20
UNIT_POINTS = 20
REPLY_POINTS = 30
PER_FINDING = 10


@dataclass(frozen=True)
class Score:
    total: int
    category: int
    priority: int
    unit: int
    reply: int
    findings: list[dict[str, str]]

    def as_json(self) -> dict[str, object]:
        return {
            "category": self.category,
            "priority": self.priority,
            "unit": self.unit,
            "reply": self.reply,
            "findings": self.findings,
        }


def score_attempt(
    real: Aduan, *, exercise: Aduan, category: str, priority: str, unit_id: int | None, reply: str
) -> Score:
    """``real`` is the closed aduan; ``exercise`` an unsaved stand-in carrying the exercise's
    code (the reply must name that code, not the real one)."""
    category_points = CATEGORY_POINTS if category == real.category else 0
    distance = abs(PRIORITY_RANK.get(priority, 99) - PRIORITY_RANK[real.priority])
    priority_points = {0: PRIORITY_POINTS, 1: PRIORITY_POINTS // 2}.get(distance, 0)
    unit_points = UNIT_POINTS if unit_id is not None and unit_id == real.handling_unit_id else 0
    findings = [{"kind": f.kind, "message": f.message} for f in check_reply(reply, exercise)]
    reply_points = max(0, REPLY_POINTS - PER_FINDING * len(findings)) if reply.strip() else 0
    return Score(
        total=category_points + priority_points + unit_points + reply_points,
        category=category_points,
        priority=priority_points,
        unit=unit_points,
        reply=reply_points,
        findings=findings,
    )
