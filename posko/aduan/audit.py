"""The one registry of audit kinds: every ``AuditEvent.action`` Posko writes, with its label
(Indonesian source, English in the catalog) and how its details read. Writing a kind that is
not registered raises, so the trail never shows a raw code."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.models import User
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posko.aduan.models import Aduan, AuditEvent
from posko.aduan.models.choices import Category, Channel, Priority, Status, Tone
from posko.org.models import Unit
from posko.org.permissions import officer_of
from posko.regions.models import Region

AUDIT_KINDS: dict[str, Promise] = {
    # aduan
    "created": _("Aduan diterima"),
    "viewed": _("Dilihat (aduan terbatas)"),
    "assigned": _("Penugasan"),
    "status_changed": _("Perubahan status"),
    "reply_added": _("Balasan publik"),
    "note_added": _("Catatan internal"),
    "labels_corrected": _("Koreksi label"),
    "escalated": _("Eskalasi SLA"),
    "incident_linked": _("Digabung ke insiden"),
    "incident_merged": _("Insiden digabung"),
    "incident_split": _("Dikeluarkan dari insiden"),
    "priority_raised": _("Prioritas naik (insiden membesar)"),
    "subject_set": _("Pihak yang diadukan dicatat"),
    "incoming_added": _("Pesan pelapor masuk"),
    "channel_photos_added": _("Foto dari kanal ditambahkan"),
    "reporter_information_added": _("Pelapor menambah informasi (tautan rahasia)"),
    "public_ack_queued": _("Tanggapan publik otomatis"),
    "notice_queued": _("Pemberitahuan status ke pelapor"),
    "notice_skipped": _("Pemberitahuan status tidak dikirim"),
    "delivery_failed": _("Pengiriman gagal"),
    "delivery_retried": _("Pengiriman diulang"),
    "satisfaction_asked": _("Pertanyaan kepuasan dikirim"),
    "reply_draft_submitted": _("Draf balasan diajukan untuk persetujuan"),
    "reply_draft_approved": _("Draf balasan disetujui"),
    "reply_draft_changes_requested": _("Draf balasan perlu perbaikan"),
    "reply_draft_sent": _("Draf balasan yang disetujui dikirim"),
    # Polres configuration
    "sla_settings_changed": _("Pengaturan SLA diubah"),
    "reply_policy_changed": _("Batas persetujuan balasan diubah"),
    "channel_account_created": _("Akun resmi ditambahkan"),
    "channel_account_updated": _("Akun resmi diubah"),
    "channel_account_enabled": _("Akun resmi diaktifkan"),
    "channel_account_disabled": _("Akun resmi dinonaktifkan"),
}

_FIELD_CHOICES: dict[str, Mapping[str, Any]] = {
    "category": dict(Category.choices),
    "priority": dict(Priority.choices),
    "tone": dict(Tone.choices),
    "status": dict(Status.choices),
    "channel": dict(Channel.choices),
}
_FIELD_NAMES: dict[str, Promise] = {
    "category": _("kategori"),
    "priority": _("prioritas"),
    "tone": _("nada"),
    "desa": _("desa"),
}


def code_label(kind: str, code: Any) -> str:
    """The label of a stored code (``lalu_lintas`` → "Lalu lintas"); "—" when empty."""
    if code in (None, ""):
        return "—"
    return str(_FIELD_CHOICES.get(kind, {}).get(code, code))


def audit_label(action: str) -> str:
    label = AUDIT_KINDS.get(action)
    return str(label) if label is not None else action


def _desa_name(code: Any) -> str:
    if not code:
        return "—"
    region = Region.objects.filter(pk=code).only("name").first()
    return region.name if region is not None else str(code)


def _created(data: Mapping[str, Any]) -> str:
    triage = data.get("triage") or {}
    return gettext("kanal %(channel)s, triase %(category)s / %(priority)s") % {
        "channel": code_label("channel", data.get("channel")),
        "category": code_label("category", triage.get("category")),
        "priority": code_label("priority", triage.get("priority")),
    }


def _labels(data: Mapping[str, Any]) -> str:
    parts = []
    for field, change in (data.get("changes") or {}).items():
        old, new = [*change, None, None][:2] if isinstance(change, list) else (None, None)
        if field in _FIELD_CHOICES:
            old, new = code_label(field, old), code_label(field, new)
        elif field == "desa":
            old, new = _desa_name(old), _desa_name(new)
        parts.append(f"{_FIELD_NAMES.get(field, field)} {old} → {new}")
    return ", ".join(parts)


def _status(data: Mapping[str, Any]) -> str:
    text = f"{code_label('status', data.get('before'))} → {code_label('status', data.get('after'))}"
    return f"{text} ({data['reason']})" if data.get("reason") else text


def _priority(data: Mapping[str, Any]) -> str:
    return (
        f"{code_label('priority', data.get('before'))} → "
        f"{code_label('priority', data.get('after'))}"
    )


def _assigned(data: Mapping[str, Any]) -> str:
    unit, officer = data.get("unit_name") or "", data.get("officer_name") or ""
    return f"{unit} / {officer}" if officer else str(unit)


def _escalated(data: Mapping[str, Any]) -> str:
    if data.get("kind") == "first_response":
        return gettext("batas respons pertama terlewati")
    return gettext("batas penyelesaian terlewati")


def _account(data: Mapping[str, Any]) -> str:
    parts = [str(data.get("name") or "")]
    if data.get("fields"):
        parts.append(", ".join(data["fields"]))
    if data.get("credentials"):
        parts.append(
            gettext("rahasia diganti: %(keys)s") % {"keys": ", ".join(data["credentials"])}
        )
    return " — ".join(p for p in parts if p)


def _viewed(data: Mapping[str, Any]) -> str:
    via = {
        "detail": _("halaman aduan"),
        "inbox": _("kotak masuk"),
        "api": _("API"),
        "photo": _("foto"),
    }.get(str(data.get("via", "")))
    return gettext("lewat %(via)s") % {"via": via} if via else ""


DETAILS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "created": _created,
    "labels_corrected": _labels,
    "status_changed": _status,
    "priority_raised": _priority,
    "assigned": _assigned,
    "escalated": _escalated,
    "viewed": _viewed,
    "channel_account_created": _account,
    "channel_account_updated": _account,
    "channel_account_enabled": _account,
    "channel_account_disabled": _account,
}


def polres_history(polres: Unit, target: str, limit: int = 20) -> list[AuditEvent]:
    """The latest audit rows about one configuration object of a Polres."""
    rows = AuditEvent.objects.filter(polres=polres, target=target).select_related("actor")
    return list(rows.order_by("-created_at", "-id")[:limit])


def audit_detail(event: AuditEvent) -> str:
    """The event's details in words, or ''."""
    describe = DETAILS.get(event.action)
    return describe(event.data or {}) if describe is not None else ""


def register_audit_kinds(
    kinds: Mapping[str, Promise],
    details: Mapping[str, Callable[[Mapping[str, Any]], str]] | None = None,
) -> None:
    """Another domain's kinds of aduan audit rows (in its ``AppConfig.ready``)."""
    for code, label in kinds.items():
        if code in AUDIT_KINDS and AUDIT_KINDS[code] != label:
            raise ValueError(f"audit kind {code!r} is registered twice with different labels")
        AUDIT_KINDS[code] = label
    DETAILS.update(details or {})


def _check(action: str) -> None:
    if action not in AUDIT_KINDS:
        raise ValueError(f"audit kind {action!r} is not registered in posko.aduan.audit")


_audit_buffer: ContextVar[list[AuditEvent] | None] = ContextVar("posko_audit_buffer", default=None)


@contextmanager
def buffered_audit() -> Iterator[None]:
    """The aduan audit rows recorded inside are written together (one INSERT) when the block
    ends without an error, inside the caller's transaction; on an error none is written, as
    the transaction they belong to is undone anyway. Nothing inside may read them back."""
    token = _audit_buffer.set([])
    try:
        yield
        rows = _audit_buffer.get() or []
    finally:
        _audit_buffer.reset(token)
    if rows:
        AuditEvent.objects.bulk_create(rows)


def record_audit(aduan: Aduan, action: str, *, actor: User | None, **data: Any) -> AuditEvent:
    """One audit row about an aduan (inside the action's transaction; inside
    ``buffered_audit()`` written when that block ends)."""
    _check(action)
    row = AuditEvent(aduan=aduan, polres_id=aduan.polres_id, actor=actor, action=action, data=data)
    buffer = _audit_buffer.get()
    if buffer is None:
        row.save(force_insert=True)
    else:
        buffer.append(row)
    return row


def record_polres_audit(
    polres: Unit | None, action: str, *, actor: User | None, target: str, **data: Any
) -> AuditEvent:
    """One audit row about a Polres's policy or configuration (``target``: what changed), or a
    security event (``polres`` empty when the account belongs to none, e.g. a failed login)."""
    _check(action)
    return AuditEvent.objects.create(
        polres=polres, target=target[:80], actor=actor, action=action, data=data
    )


def record_from_port(
    polres: Unit | None, action: str, *, actor: User | None, target: str, **data: Any
) -> AuditEvent:
    """The writer behind ``posko.core.audit_port`` (domains below aduan). A security event
    (login, second factor) belongs to the Polres of the officer it is about."""
    if polres is None and actor is not None:
        officer = officer_of(actor)
        polres = officer.unit.polres if officer is not None else None
    return record_polres_audit(polres, action, actor=actor, target=target, **data)
