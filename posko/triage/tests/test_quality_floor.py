"""Quality floor: the shipped engine on the development set must not fall below the figures
it reached when this floor was set (docs/triage.md, "CI floors"). Raise the floors when the
engine gets better; never lower them to make a change pass."""

from __future__ import annotations

import io
from typing import Any

import pytest

from posko.triage.build import DATA_DIR
from posko.triage.cli import read_inputs
from posko.triage.engine import Triager
from posko.triage.evaluation import evaluate

# Set from the final figures of round 6 on dev.jsonl (category macro-F1 0.936, darurat
# recall 0.976, incident pair F1 0.850), a little below them.
FLOORS = {
    "category_macro_f1": 0.92,
    "darurat_recall": 0.95,
    "incident_f1": 0.80,
}


@pytest.fixture(scope="module")
def dev_metrics() -> dict[str, Any]:
    with open(DATA_DIR / "dev.jsonl", encoding="utf-8") as fh:
        inputs, gold, errors = read_inputs(fh, io.StringIO())
    assert errors == 0 and len(inputs) >= 150
    return evaluate(gold, Triager().batch(inputs))


def test_category_macro_f1_floor(dev_metrics: dict[str, Any]) -> None:
    assert dev_metrics["category"]["macro_f1"] >= FLOORS["category_macro_f1"]


def test_darurat_recall_floor(dev_metrics: dict[str, Any]) -> None:
    assert dev_metrics["darurat"]["recall"] >= FLOORS["darurat_recall"]


def test_incident_f1_floor(dev_metrics: dict[str, Any]) -> None:
    assert dev_metrics["incident"]["f1"] >= FLOORS["incident_f1"]
