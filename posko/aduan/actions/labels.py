from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_change
from posko.aduan.actions.common import lock_aduan, record_audit, schedule_sla_checks, touch
from posko.aduan.events import EventKind, emit
from posko.aduan.models import Aduan, LabelCorrection
from posko.aduan.models.choices import (
    PRIORITY_RANK,
    RESTRICTED_CATEGORIES,
    Category,
    Priority,
    Tone,
)
from posko.aduan.routing import route
from posko.aduan.sla import due_times
from posko.regions.models import Region, RegionLevel


class LabelError(ValueError):
    pass


def _follow_default_routing(
    aduan: Aduan, old_category: str, old_priority: str, old_kecamatan: Region | None
) -> list[str]:
    """After a correction, move the aduan to the units the corrected labels call for — but
    only where it still sits with the units the old labels had chosen (an operator's explicit
    assignment stands). A restricted category always goes to its handling unit: anywhere else
    it would be hidden from everyone but the Kapolres and auditors. A complaint leaving a
    restricted category stays where it is: the reporter confided in that unit, which hands it
    on explicitly if it must (an automatic move could put it before the unit it is about)."""
    if old_category in RESTRICTED_CATEGORIES:
        return []
    old_unit, old_polsek = route(aduan.polres, old_category, old_priority, old_kecamatan)
    new_unit, new_polsek = route(aduan.polres, aduan.category, aduan.priority, aduan.kecamatan)
    fields: list[str] = []
    restricted = aduan.category in RESTRICTED_CATEGORIES
    if (
        new_unit is not None
        and aduan.handling_unit_id != new_unit.pk
        and (restricted or aduan.handling_unit_id in (None, getattr(old_unit, "pk", None)))
    ):
        aduan.handling_unit = new_unit
        fields.append("handling_unit")
        if aduan.assigned_officer is not None and aduan.assigned_officer.unit_id != new_unit.pk:
            aduan.assigned_officer = None
            fields.append("assigned_officer")
    if aduan.polsek_id != getattr(new_polsek, "pk", None) and aduan.polsek_id == getattr(
        old_polsek, "pk", None
    ):
        aduan.polsek = new_polsek
        fields.append("polsek")
    return fields


def do_correct_labels(
    aduan: Aduan,
    *,
    acting_user: User,
    category: str | None = None,
    priority: str | None = None,
    tone: str | None = None,
    desa: Region | None = None,
) -> list[LabelCorrection]:
    """Correct triage labels. Each changed label is stored as a correction (a training
    example for the triage models) and in the audit trail. A priority change recomputes the
    SLA due times from the time the aduan was received."""
    authorize_change(acting_user, aduan)
    if category is not None and category not in Category.values:
        raise LabelError(_("Kategori tidak dikenal: %(code)s") % {"code": category})
    if priority is not None and priority not in Priority.values:
        raise LabelError(_("Prioritas tidak dikenal: %(code)s") % {"code": priority})
    if tone is not None and tone not in Tone.values:
        raise LabelError(_("Nada tidak dikenal: %(code)s") % {"code": tone})
    if desa is not None and desa.level != RegionLevel.DESA:
        raise LabelError(_("Lokasi harus berupa desa/kelurahan."))

    with transaction.atomic(durable=True):
        aduan = lock_aduan(aduan)
        if (
            desa is not None
            and desa.parent_id
            and not desa.code.startswith(aduan.polres.region.code if aduan.polres.region else "")
        ):
            raise LabelError(_("Desa berada di luar wilayah Polres ini."))
        before_route = (aduan.category, aduan.priority, aduan.kecamatan)
        changes: list[tuple[str, str, str]] = []
        for field, new in (("category", category), ("priority", priority), ("tone", tone)):
            old = getattr(aduan, field)
            if new is not None and new != old:
                changes.append((field, old, new))
                setattr(aduan, field, new)
        if desa is not None and desa.pk != aduan.desa_id:
            changes.append(("desa", aduan.desa_id or "", desa.pk))
            aduan.desa = desa
            aduan.kecamatan = desa.parent
        if not changes:
            return []
        fields = [c[0] for c in changes]
        if "desa" in fields:
            fields.append("kecamatan")
        rerouted = _follow_default_routing(aduan, *before_route)
        fields += rerouted
        if "priority" in fields:
            aduan.priority_rank = PRIORITY_RANK[aduan.priority]
            aduan.first_response_due, aduan.resolution_due = due_times(
                aduan.polres, aduan.priority, aduan.received_at
            )
            fields += ["priority_rank", "first_response_due", "resolution_due"]
            schedule_sla_checks(aduan)
        touch(aduan, *fields)
        corrections = [
            LabelCorrection.objects.create(
                aduan=aduan,
                field=field,
                old_value=old,
                new_value=new,
                text=aduan.text,
                actor=acting_user,
            )
            for field, old, new in changes
        ]
        record_audit(
            aduan,
            "labels_corrected",
            actor=acting_user,
            changes={field: [old, new] for field, old, new in changes},
            rerouted={
                "handling_unit": aduan.handling_unit.name if aduan.handling_unit else None,
                "polsek": aduan.polsek.name if aduan.polsek else None,
            }
            if rerouted
            else None,
        )
        emit(EventKind.LABELS_CORRECTED, aduan, changes={f: [o, n] for f, o, n in changes})
    return corrections
