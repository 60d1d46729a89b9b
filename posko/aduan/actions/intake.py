from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError

from posko.aduan.actions.common import (
    action_atomic,
    nested_atomic,
    record_audit,
    schedule_sla_checks,
)
from posko.aduan.actions.incidents import (
    incident_to_join,
    raise_priority_for_growth,
    record_link,
)
from posko.aduan.actions.photos import store_photos
from posko.aduan.codes import new_tracking_code
from posko.aduan.events import EventKind, emit
from posko.aduan.models import (
    Aduan,
    AduanMessage,
    MessageKind,
    StatusChange,
)
from posko.aduan.models.choices import PRIORITY_RANK, Category, Status
from posko.aduan.photos import CleanPhoto
from posko.aduan.reporter_key import new_reporter_key
from posko.aduan.routing import route
from posko.aduan.sla import due_times
from posko.aduan.triage import find_incident_peer, remember_text, triage_text
from posko.aduan.validation import clean_coordinates, clean_received_at
from posko.core.memo import memoized
from posko.org.models import Unit
from posko.regions.models import Region, RegionLevel

# What ``raise_priority_for_growth`` changes on an aduan.
LIFTED_FIELDS = (
    "priority",
    "priority_rank",
    "first_response_due",
    "resolution_due",
    "updated_at",
)


@dataclass(frozen=True)
class Reporter:
    name: str = ""
    phone: str = ""
    email: str = ""
    anonymous: bool = False
    # Identity only for the handling unit's head, Propam and the Kapolres.
    confidential: bool = False


def do_submit_aduan(
    polres: Unit,
    *,
    text: str,
    channel: str,
    reporter: Reporter | None = None,
    desa: Region | None = None,
    category: str | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Sequence[CleanPhoto] = (),
    received_at: datetime | None = None,
    acting_user: User | None = None,
    on_created: Callable[[Aduan], None] | None = None,
) -> Aduan:
    """Record a new aduan: triage, routing, SLA clocks, incident grouping, audit.

    ``acting_user`` is the staff member recording it (staff intake), or None when the public
    submits it. A reporter-chosen ``category`` or ``desa`` wins over triage; the triage output
    is kept in the audit row so later corrections can be measured against it.

    ``on_created`` runs inside the same transaction (a channel links its message to the new
    aduan there, so a crash can never leave an aduan without the link that prevents a second
    one); raising in it rolls the aduan back.

    Durable on its own; inside ``composed_actions()`` (the drain of incoming messages commits a
    batch at once) it joins that transaction and is durable when the batch commits.
    """
    text = text.strip()
    if not text:
        raise ValueError("isi aduan kosong")
    if category is not None and category not in Category.values:
        raise ValueError(f"kategori tidak dikenal: {category}")
    reporter = reporter or Reporter(anonymous=True)
    received_at = clean_received_at(received_at)
    latitude, longitude = clean_coordinates(latitude, longitude)

    result = triage_text(polres, text, channel=channel, received_at=received_at)
    final_category = category or result.category
    if desa is None and result.desa_code:
        desa = _region(result.desa_code, RegionLevel.DESA)
    kecamatan = desa.parent if desa is not None else None
    if kecamatan is None and result.kecamatan_code:
        kecamatan = _region(result.kecamatan_code, RegionLevel.KECAMATAN)
    handling_unit, polsek = route(polres, final_category, result.priority, kecamatan)
    first_due, resolution_due = due_times(polres, result.priority, received_at)

    anonymous = reporter.anonymous
    key, key_hash = new_reporter_key()
    with action_atomic():
        peer = find_incident_peer(polres, result, text, received_at)
        aduan = Aduan(
            polres=polres,
            channel=channel,
            received_at=received_at,
            anonymous=anonymous,
            confidential=reporter.confidential and not anonymous,
            reporter_key_hash=key_hash,
            reporter_name="" if anonymous else reporter.name.strip(),
            reporter_phone="" if anonymous else reporter.phone.strip(),
            reporter_email="" if anonymous else reporter.email.strip(),
            text=text,
            desa=desa,
            kecamatan=kecamatan,
            latitude=latitude,
            longitude=longitude,
            category=final_category,
            priority=result.priority,
            priority_rank=PRIORITY_RANK[result.priority],
            tone=result.tone,
            handling_unit=handling_unit,
            polsek=polsek,
            status=Status.BARU,
            first_response_due=first_due,
            resolution_due=resolution_due,
            created_by=acting_user,
        )
        # in the incident of its peer from its first save (no second write of the row)
        incident = incident_to_join(peer, actor=acting_user) if peer is not None else None
        aduan.incident = incident
        _save_with_unique_code(aduan, polres.code_prefix)
        remember_text(aduan)
        checks_scheduled = False
        aduan.issued_reporter_key = key
        if incident is not None:
            record_link(aduan, incident, actor=acting_user)
            lifted = raise_priority_for_growth(incident, actor=acting_user)
            checks_scheduled = _take_lift(aduan, lifted)
        aduan.intake_message_id = AduanMessage.objects.create(
            aduan=aduan,
            kind=MessageKind.INCOMING,
            text=text,
            channel=channel,
            created_at=received_at,
        ).pk
        store_photos(aduan, photos)
        StatusChange.objects.create(aduan=aduan, to_status=Status.BARU, actor=acting_user)
        record_audit(
            aduan,
            "created",
            actor=acting_user,
            channel=channel,
            triage=result.to_json_dict(),
            category_chosen_by_reporter=category,
            photos=len(photos),
            confidential=aduan.confidential,
        )
        if not checks_scheduled:
            schedule_sla_checks(aduan)
        if on_created is not None:
            on_created(aduan)
        emit(EventKind.CREATED, aduan)
    return aduan


def _take_lift(aduan: Aduan, lifted: list[Aduan]) -> bool:
    """Whether the growth rule lifted ``aduan`` itself (its priority and due times raised and
    their SLA check scheduled); its fields then take the lifted values."""
    for other in lifted:
        if other.pk == aduan.pk:
            for field in LIFTED_FIELDS:
                setattr(aduan, field, getattr(other, field))
            return True
    return False


def _region(code: str, level: RegionLevel) -> Region | None:
    """A region named by triage, with its parent (read once per drain batch: ``core.memo``)."""
    return memoized(
        ("region", code, level),
        lambda: Region.objects.select_related("parent").filter(code=code, level=level).first(),
    )


def _save_with_unique_code(aduan: Aduan, prefix: str) -> None:
    # 31^6 ≈ 887 million codes per Polres: a collision is rare; try a few fresh codes (inside
    # ``one_savepoint()`` a collision undoes the caller's savepoint, which runs it again alone).
    for _attempt in range(5):
        aduan.code = new_tracking_code(prefix)
        try:
            with nested_atomic():
                aduan.save()
            return
        except IntegrityError:
            if not Aduan.objects.filter(code=aduan.code).exists():
                raise
    raise RuntimeError("could not allocate a unique tracking code")
