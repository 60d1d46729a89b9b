"""Kind-specific fields of a post and the text template each kind starts from."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posko.publishing.models import PostKind


@dataclass(frozen=True)
class KindField:
    name: str
    label: str | Promise
    required: bool = False


KIND_FIELDS: dict[str, tuple[KindField, ...]] = {
    PostKind.SECURITY_WARNING: (
        KindField("area", gettext_lazy("Wilayah"), required=True),
        KindField("what_to_do", gettext_lazy("Yang harus dilakukan warga"), required=True),
    ),
    PostKind.TRAFFIC: (
        KindField("road", gettext_lazy("Wilayah atau ruas jalan"), required=True),
        KindField("time_from", gettext_lazy("Berlaku mulai"), required=True),
        KindField("time_until", gettext_lazy("Berlaku sampai")),
        KindField("alternative_route", gettext_lazy("Jalur alternatif"), required=True),
    ),
    PostKind.EDUCATION: (KindField("campaign", gettext_lazy("Nama kampanye")),),
    PostKind.EVENT: (
        KindField("place", gettext_lazy("Tempat"), required=True),
        KindField("starts", gettext_lazy("Waktu"), required=True),
    ),
    PostKind.APPEAL: (
        KindField("reference", gettext_lazy("Rujukan perkara (boleh kosong)")),
        KindField("contact", gettext_lazy("Kontak satuan")),
    ),
    PostKind.HOAX: (
        KindField("claim", gettext_lazy("Isi hoaks yang beredar"), required=True),
        KindField("facts", gettext_lazy("Fakta"), required=True),
    ),
}


def clean_fields(kind: str, values: dict[str, object]) -> tuple[dict[str, str], list[str]]:
    """Keep the kind's own fields (stripped strings); errors for missing required ones."""
    cleaned: dict[str, str] = {}
    errors: list[str] = []
    for field in KIND_FIELDS.get(kind, ()):
        value = str(values.get(field.name) or "").strip()[:500]
        if value:
            cleaned[field.name] = value
        elif field.required:
            errors.append(_("Isian \u201c%(label)s\u201d wajib diisi.") % {"label": field.label})
    return cleaned, errors


def draft_text(kind: str, fields: dict[str, str]) -> str:
    """A starting text for the composer from the kind's fields."""
    f = fields.get
    if kind == PostKind.TRAFFIC:
        lines = [
            _("INFO LALU LINTAS: %(road)s") % {"road": f("road", "")},
            _("Berlaku: %(start)s – %(end)s")
            % {"start": f("time_from", ""), "end": f("time_until", "") or _("selesai")},
            _("Jalur alternatif: %(route)s") % {"route": f("alternative_route", "")},
        ]
        return "\n".join(lines)
    if kind == PostKind.SECURITY_WARNING:
        return _("PERINGATAN KEAMANAN – %(area)s\n%(todo)s") % {
            "area": f("area", ""),
            "todo": f("what_to_do", ""),
        }
    if kind == PostKind.HOAX:
        return _("KLARIFIKASI HOAKS\nBeredar: %(claim)s\nFakta: %(facts)s") % {
            "claim": f("claim", ""),
            "facts": f("facts", ""),
        }
    return ""
