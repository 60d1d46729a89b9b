"""Onboarding a Polres: its organisation (``posko.org``) and the aduan domain's defaults."""

from __future__ import annotations

from django.db import transaction

from posko.aduan.models import SlaPolicy
from posko.aduan.models.policy import DEFAULT_SLA_MINUTES
from posko.org.actions.setup import ensure_polres
from posko.org.models import Unit


@transaction.atomic
def do_onboard_polres(kabupaten_code: str, prefix: str, name: str, polda_name: str) -> Unit:
    """The Polres with its Polsek and satuan, and the default SLA targets. Idempotent: what
    exists (an edited SLA target included) is left as it is."""
    polres = ensure_polres(kabupaten_code, prefix, name, polda_name)
    for priority, (first, resolution) in DEFAULT_SLA_MINUTES.items():
        SlaPolicy.objects.get_or_create(
            polres=polres,
            priority=priority,
            defaults={"first_response_minutes": first, "resolution_minutes": resolution},
        )
    return polres
