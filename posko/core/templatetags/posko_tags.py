from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timeuntil

from posko.aduan.models import Category, Channel, Priority, Status, Tone

register = template.Library()

_LABELS = {
    "status": dict(Status.choices),
    "category": dict(Category.choices),
    "priority": dict(Priority.choices),
    "tone": dict(Tone.choices),
    "channel": dict(Channel.choices),
}

AUDIT_LABELS = {
    "created": "Aduan diterima",
    "viewed": "Dilihat (aduan terbatas)",
    "assigned": "Penugasan",
    "status_changed": "Perubahan status",
    "reply_added": "Balasan publik",
    "note_added": "Catatan internal",
    "labels_corrected": "Koreksi label",
    "escalated": "Eskalasi SLA",
    "incident_linked": "Digabung ke insiden",
    "incident_merged": "Insiden digabung",
    "incident_split": "Dikeluarkan dari insiden",
    "priority_raised": "Prioritas naik (insiden membesar)",
    "subject_set": "Pihak yang diadukan dicatat",
    "incoming_added": "Pesan pelapor masuk",
    "public_ack_queued": "Tanggapan publik otomatis",
    "notice_queued": "Pemberitahuan status ke pelapor",
    "notice_skipped": "Pemberitahuan status tidak dikirim",
    "delivery_failed": "Pengiriman gagal",
    "delivery_retried": "Pengiriman diulang",
}


@register.filter
def label(code: str, kind: str) -> str:
    return str(_LABELS.get(kind, {}).get(code, code or "—"))


@register.filter
def audit_label(action: str) -> str:
    return AUDIT_LABELS.get(action, action)


@register.simple_tag
def sla_state(due: datetime | None, now: datetime | None = None) -> str:
    """'terlambat 2 jam' / 'sisa 14 menit' for an SLA due time."""
    if due is None:
        return ""
    now = now or timezone.now()
    if due < now:
        return f"terlambat {timeuntil(now, due, depth=1)}"
    return f"sisa {timeuntil(due, now, depth=1)}"


@register.filter
def is_overdue(due: datetime | None) -> bool:
    return due is not None and due < timezone.now()
