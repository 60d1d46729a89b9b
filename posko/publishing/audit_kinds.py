"""The audit kinds of publishing (rows in the one audit trail, ``aduan.AuditEvent``, target
``post:<id>``; each kind is the transition's name with the prefix ``post_``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PREFIX = "post_"

KINDS = {
    "post_created": _("Publikasi disusun"),
    "post_edited": _("Publikasi diubah"),
    "post_photo_removed": _("Foto publikasi dihapus"),
    "post_submitted": _("Publikasi diajukan untuk persetujuan"),
    "post_approved": _("Publikasi disetujui"),
    "post_changes": _("Publikasi diminta diperbaiki"),
    "post_rejected": _("Publikasi ditolak"),
    "post_scheduled": _("Publikasi dijadwalkan"),
    "post_schedule_cancelled": _("Jadwal publikasi dibatalkan"),
    "post_published_directly": _("Publikasi langsung (mendesak)"),
    "post_status": _("Status publikasi berubah"),
    "post_deferred_quota": _("Ditunda: kuota platform habis"),
    "post_published": _("Terbit di platform"),
    "post_unconfirmed": _("Hasil terbit belum terkonfirmasi"),
    "post_confirmed_published": _("Terbit dikonfirmasi operator"),
    "post_retry": _("Akan dicoba lagi"),
    "post_waiting": _("Menunggu batas laju platform"),
    "post_retried": _("Dicoba lagi oleh operator"),
    "post_failed": _("Gagal terbit"),
    "post_series_created": _("Seri publikasi berulang dibuat"),
    "post_series_edited": _("Seri publikasi berulang diubah"),
    "post_series_cancelled": _("Seri publikasi berulang dibatalkan"),
    "post_imported": _("Publikasi diimpor dari CSV"),
    "post_map_attached": _("Peta lalu lintas dilampirkan"),
}


def _detail(data: Mapping[str, Any]) -> str:
    parts = []
    if data.get("platform"):
        parts.append(str(data["platform"]))
    if data.get("before") and data.get("after"):
        parts.append(f"{data['before']} → {data['after']}")
    if data.get("reason"):
        parts.append(str(data["reason"]))
    if data.get("until"):
        parts.append(gettext("sampai %(until)s") % {"until": data["until"]})
    return " · ".join(parts)


DETAILS = dict.fromkeys(KINDS, _detail)


# Community programmes, stakeholders, anonymous tips and ronda swaps (target
# ``programme:<id>``, ``event:<id>``, ``stakeholder:<id>``, ``share:<id>``, ``tip:<id>``,
# ``ronda_swap:<id>``).
COMMUNITY_KINDS = {
    "community_programme_created": _("Program kemitraan dibuat"),
    "community_event_created": _("Kegiatan program dijadwalkan"),
    "community_event_state": _("Status kegiatan berubah"),
    "community_event_publicity": _("Publikasi kegiatan disiapkan"),
    "community_aspiration_recorded": _("Aspirasi dicatat"),
    "community_aspiration_followed": _("Aspirasi ditindaklanjuti"),
    "community_sambang_logged": _("Kunjungan sambang dicatat"),
    "community_stakeholder_saved": _("Mitra desa disimpan"),
    "community_stakeholder_removed": _("Mitra desa dinonaktifkan"),
    "community_shared": _("Dibagikan ke mitra desa"),
    "community_tip_received": _("Informasi masyarakat diterima"),
    "community_tip_read": _("Informasi masyarakat dibaca"),
    "community_tip_replied": _("Informasi masyarakat ditanggapi"),
    "community_swap_requested": _("Permintaan tukar jaga ronda"),
    "community_swap_decided": _("Tukar jaga ronda diputuskan"),
}
COMMUNITY_DETAILS = dict.fromkeys(COMMUNITY_KINDS, _detail)
