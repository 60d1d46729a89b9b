"""``{% satisfaction_box aduan %}`` on the tracking page: the question, or the thanks."""

from __future__ import annotations

from typing import Any

from django import template

from posko.aduan.models import Aduan
from posko.aduan.models.choices import Status
from posko.metrics.forms import SatisfactionForm
from posko.metrics.models import Satisfaction

register = template.Library()


@register.inclusion_tag("metrics/_satisfaction.html", takes_context=True)
def satisfaction_box(context: dict[str, Any], aduan: Aduan) -> dict[str, Any]:
    survey = Satisfaction.objects.filter(aduan=aduan).first()
    ask = survey is not None and survey.answered_at is None and aduan.status == Status.SELESAI
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "aduan": aduan,
        "survey": survey,
        "ask": ask,
        "form": SatisfactionForm() if ask else None,
    }
