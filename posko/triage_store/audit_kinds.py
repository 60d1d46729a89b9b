"""The audit kinds of triage's setup (landmarks and model versions), with readable details."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posko.core import audit_port

KINDS = {
    "landmark_added": _("Landmark ditambahkan"),
    "landmark_deleted": _("Landmark dihapus"),
    "triage_model_activated": _("Model triase diaktifkan"),
    "triage_retrain_requested": _("Pelatihan ulang model triase diminta"),
}


def _landmark(data: Mapping[str, Any]) -> str:
    return gettext("%(name)s (desa %(desa)s)") % {
        "name": data.get("name"),
        "desa": data.get("desa"),
    }


def _version(number: Any) -> str:
    return gettext("versi %(n)s") % {"n": number} if number else gettext("model bawaan")


def _model(data: Mapping[str, Any]) -> str:
    return f"{_version(data.get('before'))} → {_version(data.get('after'))}"


def register() -> None:
    audit_port.register_kinds(
        KINDS,
        {
            "landmark_added": _landmark,
            "landmark_deleted": _landmark,
            "triage_model_activated": _model,
        },
    )
