"""Incidents: several aduan about one real event. Grouping happens at intake; operators can
merge two incidents, take a report out of one, and see priority rise as an incident grows."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_incident_change
from posko.aduan.actions.common import (
    action_atomic,
    lift_priority,
    lock_aduan,
    record_audit,
    touch,
)
from posko.aduan.models import Aduan, Incident
from posko.aduan.models.choices import OPEN_STATUSES, PRIORITY_RANK, Priority
from posko.core.memo import memoized

# An incident that grows fast is more urgent than any single report of it says.
GROWTH_RULES: tuple[tuple[int, timedelta, str], ...] = (
    (5, timedelta(minutes=10), Priority.DARURAT),  # five reports of one fire in ten minutes
    (3, timedelta(minutes=30), Priority.TINGGI),
)


class IncidentError(ValueError):
    pass


def escalated_priority(report_times: list[datetime]) -> str | None:
    """The priority an incident's reports call for, from how many arrived how fast."""
    times = sorted(report_times)
    for count, window, priority in GROWTH_RULES:
        for i in range(len(times) - count + 1):
            if times[i + count - 1] - times[i] <= window:
                return priority
    return None


def raise_priority_for_growth(incident: Incident, *, actor: User | None) -> list[Aduan]:
    """Within the caller's transaction: lift every open report of the incident to the
    priority its growth calls for (never lowers one). Returns the aduan changed."""
    reports = list(
        Aduan.objects.filter(incident=incident).values_list(
            "pk", "received_at", "status", "priority_rank"
        )
    )
    target = escalated_priority([received_at for _, received_at, _, _ in reports])
    if target is None:
        return []
    # Only the open reports below the target are locked and loaded (re-checked under the
    # lock): an incident reported by thousands is lifted once, not re-read in full for every
    # new report, and when none is below (the common case) nothing more is read.
    rank = PRIORITY_RANK[target]
    lift = [pk for pk, _, status, r in reports if status in OPEN_STATUSES and r > rank]
    if not lift:
        return []
    below = Aduan.objects.select_for_update().filter(
        pk__in=lift, status__in=OPEN_STATUSES, priority_rank__gt=rank
    )
    changed = []
    # the reports of one incident share its Polres: read once (once per drain batch)
    polres = memoized(("unit", incident.polres_id), lambda: incident.polres)
    for aduan in below:
        if PRIORITY_RANK[aduan.priority] <= PRIORITY_RANK[target]:
            continue
        lift_priority(
            aduan, target, polres, actor=actor, incident=incident.pk, reports=len(reports)
        )
        changed.append(aduan)
    return changed


@transaction.atomic(durable=True)
def do_merge_incidents(target: Incident, source: Incident, *, acting_user: User) -> Incident:
    """Move every report of ``source`` into ``target`` and delete ``source``."""
    authorize_incident_change(acting_user, incidents=(target, source))
    if target.pk == source.pk:
        raise IncidentError(_("Insiden tidak dapat digabung dengan dirinya sendiri."))
    if target.polres_id != source.polres_id:
        raise IncidentError(_("Insiden dari Polres lain tidak dapat digabung."))
    # first the incidents: an intake joining one of them meanwhile (``incident_to_join``)
    # commits before, and its report is moved with the others, or waits until after
    _lock_incidents(target.pk, source.pk)
    moved = list(Aduan.objects.select_for_update().filter(incident=source))
    for aduan in moved:
        aduan.incident = target
        touch(aduan, "incident")
        record_audit(
            aduan, "incident_merged", actor=acting_user, before=source.pk, incident=target.pk
        )
    source.delete()
    raise_priority_for_growth(target, actor=acting_user)
    return target


@transaction.atomic(durable=True)
def do_split_from_incident(aduan: Aduan, *, acting_user: User) -> Aduan:
    """Take one report out of its incident (it describes another event). An incident left
    with a single report is dissolved."""
    authorize_incident_change(acting_user, aduans=(aduan,))
    # the incident before its reports, as in a merge (``incident_to_join``)
    incident_id = Aduan.objects.filter(pk=aduan.pk).values_list("incident_id", flat=True).first()
    if incident_id is not None:
        _lock_incidents(incident_id)
    aduan = lock_aduan(aduan)
    if aduan.incident_id != incident_id:
        raise IncidentError(_("Insiden aduan ini baru saja berubah; muat ulang halaman."))
    if incident_id is None:
        raise IncidentError(_("Aduan ini tidak tergabung dalam insiden."))
    aduan.incident = None
    touch(aduan, "incident")
    record_audit(aduan, "incident_split", actor=acting_user, before=incident_id)
    remaining = list(Aduan.objects.select_for_update().filter(incident_id=incident_id))
    if len(remaining) <= 1:
        for other in remaining:
            other.incident = None
            touch(other, "incident")
            record_audit(other, "incident_split", actor=acting_user, before=incident_id)
        Incident.objects.filter(pk=incident_id).delete()
    return aduan


def link_to_incident(aduan: Aduan, other: Aduan, *, actor: User | None) -> Incident:
    """Within the caller's transaction: put ``aduan`` in the incident of ``other`` (locked
    here), creating the incident when ``other`` has none. Both changes are audited; the caller
    applies the growth rule."""
    incident = incident_of_peer(other, actor=actor)
    before = aduan.incident_id
    aduan.incident = incident
    touch(aduan, "incident")
    record_link(aduan, incident, actor=actor, before=before)
    return incident


def _lock_incidents(*ids: int) -> None:
    """Lock incident rows before changing or deleting them: an intake holding one to join it
    (``incident_to_join``) finishes first."""
    list(Incident.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def incident_to_join(peer: Aduan, *, actor: User | None) -> Incident:
    """The incident a new report joins with ``peer`` (its ``incident_id`` read in the current
    transaction). When the peer has one, only that incident row is held, with a lock that
    other intakes share (``FOR KEY SHARE`` on PostgreSQL): reports of one incident arriving
    at two workers at once do not wait for each other, and a merge or split (which lock the
    incident first) waits until this transaction ends, or this one for them. When the peer
    has none, or it has gone meanwhile: ``incident_of_peer`` (the peer locked)."""
    if peer.incident_id is not None:
        incident = _held_incident(peer.incident_id)
        if incident is not None:
            return incident
    return incident_of_peer(peer, actor=actor)


def _held_incident(incident_id: int) -> Incident | None:
    qs = Incident.objects.filter(pk=incident_id)
    if connection.vendor != "postgresql":  # SQLite: one writer at a time anyway
        return qs.first()
    sql, params = qs.query.sql_with_params()
    return next(iter(Incident.objects.raw(f"{sql} FOR KEY SHARE", params)), None)


def incident_of_peer(other: Aduan, *, actor: User | None) -> Incident:
    """The incident of ``other`` (locked here), created (and audited) when it has none. The
    intake puts a new aduan in it before its first save, then calls ``record_link``."""
    other = (  # the row lock on the aduan only (``of``), its incident read with it
        Aduan.objects.select_for_update(of=("self",)).select_related("incident").get(pk=other.pk)
    )
    if other.incident is None:
        incident = Incident.objects.create(polres_id=other.polres_id, category=other.category)
        other.incident = incident
        touch(other, "incident")
        record_audit(other, "incident_linked", actor=actor, incident=incident.pk)
        return incident
    return other.incident


def record_link(
    aduan: Aduan, incident: Incident, *, actor: User | None, before: int | None = None
) -> None:
    record_audit(aduan, "incident_linked", actor=actor, before=before, incident=incident.pk)


def do_join_incident(aduan: Aduan, other: Aduan, *, acting_user: User | None) -> Incident:
    """Put ``aduan`` in the incident of ``other`` (creating one if needed). ``acting_user``
    ``None`` is Posko itself (intake linking a report to an incident it found)."""
    with action_atomic():
        if acting_user is not None:
            authorize_incident_change(acting_user, aduans=(aduan, other))
        aduan, other = lock_aduan(aduan), lock_aduan(other)
        if aduan.pk == other.pk:
            raise IncidentError(_("Aduan tidak dapat digabung dengan dirinya sendiri."))
        if aduan.polres_id != other.polres_id:
            raise IncidentError(_("Aduan dari Polres lain tidak dapat digabung."))
        incident = link_to_incident(aduan, other, actor=acting_user)
        raise_priority_for_growth(incident, actor=acting_user)
        return incident
