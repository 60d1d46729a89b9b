from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext

from posko.aduan.audit import audit_detail, audit_label
from posko.aduan.models import AuditEvent, Category, Channel, Priority, Status, Tone

register = template.Library()

_LABELS = {
    "status": dict(Status.choices),
    "category": dict(Category.choices),
    "priority": dict(Priority.choices),
    "tone": dict(Tone.choices),
    "channel": dict(Channel.choices),
}


@register.filter
def label(code: str, kind: str) -> str:
    return str(_LABELS.get(kind, {}).get(code, code or "—"))


register.filter("audit_label", audit_label)


@register.filter(name="audit_detail")
def audit_detail_filter(event: AuditEvent) -> str:
    return audit_detail(event)


@register.simple_tag
def sla_state(due: datetime | None, now: datetime | None = None) -> str:
    """'terlambat 2 jam' / 'sisa 14 menit' for an SLA due time."""
    if due is None:
        return ""
    now = now or timezone.now()
    if due < now:
        # Translators: an SLA deadline already passed, e.g. "terlambat 2 jam".
        return gettext("terlambat %(time)s") % {"time": timeuntil(now, due, depth=1)}
    # Translators: time left before an SLA deadline, e.g. "sisa 14 menit".
    return gettext("sisa %(time)s") % {"time": timeuntil(due, now, depth=1)}


@register.filter
def is_overdue(due: datetime | None) -> bool:
    return due is not None and due < timezone.now()


def _phone_digits(phone: str) -> str:
    """'0812-3456 7890' or '+62 812…' → '628123456789' (Indonesian numbers, digits only)."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


@register.filter
def tel_href(phone: str) -> str:
    """A ``tel:`` link target: one tap to call from a phone."""
    digits = _phone_digits(phone)
    return f"tel:+{digits}" if digits else ""


@register.filter
def wa_href(phone: str) -> str:
    """A WhatsApp chat link for a mobile number (Indonesian mobiles start 628…), else ''."""
    digits = _phone_digits(phone)
    return f"https://wa.me/{digits}" if digits.startswith("628") and len(digits) >= 10 else ""
