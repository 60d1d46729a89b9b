"""Registry actions: create, approve, import (TurnBackHoax CSV); each audited."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.access import officer_of
from posko.aduan.audit import record_polres_audit
from posko.aduan.models import AuditEvent
from posko.org.models import Role, Unit
from posko.org.permissions import NotPermitted
from posko.patrol.models import ClaimStatus, HoaxClaim, Verdict

AUTHOR_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN})
APPROVER_ROLES = frozenset({Role.PIMPINAN})


class PatrolPermissionDenied(NotPermitted):
    pass


class ClaimError(ValueError):
    pass


def claim_target(claim: HoaxClaim) -> str:
    return f"hoax_claim:{claim.pk}"


def record_patrol_audit(
    polres: Unit, action: str, *, actor: User | None, claim: HoaxClaim | None = None, **data: Any
) -> AuditEvent:
    """One row in the one audit trail (kinds: ``posko.patrol.audit_kinds``)."""
    target = claim_target(claim) if claim is not None else "patrol"
    return record_polres_audit(polres, action, actor=actor, target=target, **data)


def polres_for(user: User, roles: frozenset[str]) -> Unit:
    officer = officer_of(user)
    if officer is None or officer.role not in roles or officer.unit.polres is None:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    polres: Unit = officer.unit.polres
    return polres


def do_create_claim(
    *,
    acting_user: User,
    claim: str,
    verdict: str,
    clarification: str,
    sources: list[str] | None = None,
) -> HoaxClaim:
    polres = polres_for(acting_user, AUTHOR_ROLES)
    if not claim.strip() or not clarification.strip():
        raise ClaimError(_("Klaim dan klarifikasi wajib diisi."))
    if verdict not in Verdict.values:
        raise ClaimError(_("Putusan tidak dikenal."))
    with transaction.atomic():
        obj = HoaxClaim.objects.create(
            polres=polres,
            claim=claim.strip(),
            verdict=verdict,
            clarification=clarification.strip(),
            sources=list(sources or []),
            created_by=acting_user,
        )
        record_patrol_audit(polres, "claim_created", actor=acting_user, claim=obj, verdict=verdict)
    return obj


def do_approve_claim(claim: HoaxClaim, *, acting_user: User) -> HoaxClaim:
    """A pimpinan of the claim's Polres approves it: from then on it is matched and sent."""
    polres = polres_for(acting_user, APPROVER_ROLES)
    if claim.polres_id != polres.pk:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    with transaction.atomic():
        locked = HoaxClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.status == ClaimStatus.APPROVED:
            raise ClaimError(_("Klaim ini sudah disetujui."))
        locked.status = ClaimStatus.APPROVED
        locked.approved_by = acting_user
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "approved_by", "published_at"])
        record_patrol_audit(polres, "claim_approved", actor=acting_user, claim=locked)
    return locked


_VERDICT_SLUG = {
    "salah": Verdict.HOAKS,
    "hoaks": Verdict.HOAKS,
    "disinformasi": Verdict.DISINFORMASI,
    "misinformasi": Verdict.MISINFORMASI,
    "satire": Verdict.SATIRE,
}


def parse_turnbackhoax(rows: Iterable[list[str]]) -> list[dict[str, str]]:
    """TurnBackHoax scrape CSV rows (`idx,url,text`, header `,0,1` repeated): claim from
    the URL slug, verdict from its prefix ("salah" → hoaks), clarification from the
    PENJELASAN section (else the text). Rows whose verdict is "benar" are skipped."""
    out: list[dict[str, str]] = []
    for row in rows:
        if len(row) < 3 or not row[1].startswith("http"):
            continue
        url, text = row[1].strip(), row[2]
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        m = re.match(r"(?:\d+-)?(?:\d+-)?([a-z]+)-(.*)", slug)
        if not m:
            continue
        verdict = _VERDICT_SLUG.get(m.group(1))
        if verdict is None:
            continue
        claim = m.group(2).replace("-", " ").strip()
        expl = re.split(r"PENJELASAN\s*:?", text, maxsplit=1)
        clarification = (expl[1] if len(expl) > 1 else text).strip()[:2000]
        out.append(
            {"url": url, "claim": claim, "verdict": str(verdict), "clarification": clarification}
        )
    return out


def do_import_registry(path: str, *, acting_user: User | None, polres: Unit) -> int:
    """Import a TurnBackHoax-format CSV as draft claims (idempotent per URL)."""
    with open(path, encoding="utf-8", newline="") as f:
        items = parse_turnbackhoax(csv.reader(f))
    created = 0
    with transaction.atomic():
        for it in items:
            _, new = HoaxClaim.objects.get_or_create(
                polres=polres,
                external_id=it["url"][:200],
                defaults={
                    "claim": it["claim"],
                    "verdict": it["verdict"],
                    "clarification": it["clarification"],
                    "sources": [it["url"]],
                    "created_by": acting_user,
                },
            )
            created += int(new)
        record_patrol_audit(
            polres, "registry_imported", actor=acting_user, file=path, created=created
        )
    return created
