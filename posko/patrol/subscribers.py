"""The patrol's subscriber to aduan events: every new aduan of a Polres with approved
claims is matched against its registry (a task, after commit)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from posko.aduan.audit import register_audit_kinds
from posko.aduan.events import AduanEvent, EventKind, subscribe
from posko.core.memo import memoized
from posko.core.outbox import enqueue_with_transaction


def match_new_aduan(event: AduanEvent) -> None:
    from posko.patrol.models import ClaimStatus, HoaxClaim
    from posko.patrol.tasks import match_aduan_claims

    aduan = event.aduan
    approved = HoaxClaim.objects.filter(polres_id=aduan.polres_id, status=ClaimStatus.APPROVED)
    # asked once per drain batch (``core.memo``), not for each of its aduan
    if not memoized(("patrol_approved_claims", aduan.polres_id), approved.exists):
        return  # nothing to match against: no task
    pk = aduan.pk
    enqueue_with_transaction(lambda: match_aduan_claims.enqueue(pk))


def connect() -> None:
    subscribe(EventKind.CREATED, match_new_aduan)
    register_audit_kinds(
        {
            "hoax_claim_matched": _("Cocok dengan klaim hoaks terdaftar"),
            "hoax_clarification_sent": _("Klarifikasi hoaks dikirim"),
            # the patrol's own changes (target ``hoax_claim:<id>`` or ``patrol``)
            "claim_created": _("Klaim hoaks ditulis"),
            "claim_approved": _("Klaim hoaks disetujui"),
            "registry_imported": _("Registri hoaks diimpor"),
            "posts_imported": _("Unggahan publik diimpor"),
            "post_reviewed": _("Unggahan publik ditinjau"),
            "spike_alerted": _("Peringatan lonjakan dikirim"),
            "feed_saved": _("Sumber pantauan disimpan"),
            "watchlist_saved": _("Daftar pantau disimpan"),
            "warning_drafted": _("Peringatan virtual disusun"),
            "warning_first_sent": _("Peringatan virtual pertama dikirim"),
            "warning_resent": _("Peringatan virtual dikirim ulang"),
            "warning_second_sent": _("Peringatan virtual kedua dikirim"),
            "warning_escalated": _("Peringatan virtual dilimpahkan ke unit siber"),
            "warning_resolved": _("Konten yang diperingatkan sudah diturunkan"),
            "warning_evidence_added": _("Bukti peringatan virtual ditambahkan"),
        }
    )
