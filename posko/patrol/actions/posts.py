"""Import public posts (CSV / JSON Lines): deduplicated per source id, near-identical
posts grouped, each matched against the approved registry and ranked by risk."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.org.models import Unit
from posko.patrol.actions.claims import record_patrol_audit
from posko.patrol.actions.matching import match_texts
from posko.patrol.engine.claimtext import analyse
from posko.patrol.models import PublicPost

DECISION_RISK = {"auto": 1.0, "suggest": 0.6, "none": 0.0}


class PostImportError(ValueError):
    pass


def dup_key(text: str) -> str:
    """Near-identical posts (forwards, copy-paste) share the key of their sorted content."""
    a = analyse(text)
    return hashlib.blake2b(" ".join(sorted(set(a.stems))).encode(), digest_size=8).hexdigest()


def read_posts(path: str) -> list[dict[str, Any]]:
    p = Path(path)
    with p.open(encoding="utf-8", newline="") as f:
        if p.suffix.lower() == ".csv":
            return list(csv.DictReader(f))
        rows = []
        for n, line in enumerate(f, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise PostImportError(f"line {n}: not valid JSON ({exc.msg})") from None
        return rows


def _when(raw: Any) -> datetime:
    if not raw:
        return timezone.now()
    dt = datetime.fromisoformat(str(raw))
    return dt if dt.tzinfo else timezone.make_aware(dt)


def ingest_rows(polres: Unit, rows: list[dict[str, Any]]) -> int:
    """Store rows as posts (inside the caller's transaction): each matched against the
    approved registry and ranked by risk; a source id seen before is skipped. Returns how
    many were new; a spike check is enqueued on commit when any was."""
    results = match_texts(polres, [str(r["text"]) for r in rows])
    created = 0
    for r, res in zip(rows, results, strict=True):
        reach = int(r.get("reach") or 0)
        risk = DECISION_RISK[res.decision] + min(1.0, reach / 10000)
        _, new = PublicPost.objects.get_or_create(
            source=str(r["source"])[:30],
            source_id=str(r["source_id"])[:200],
            defaults={
                "polres": polres,
                "author": str(r.get("author") or "")[:200],
                "text": str(r["text"]),
                "url": str(r.get("url") or "")[:500],
                "posted_at": _when(r.get("posted_at") or r.get("time")),
                "reach": reach,
                "place": str(r.get("place") or "")[:120],
                "dup_group": dup_key(str(r["text"])),
                "matched_claim_id": int(res.best) if res.best and res.decision != "none" else None,
                "match_score": res.matches[0].score if res.matches else 0.0,
                "match_decision": res.decision,
                "risk": risk,
            },
        )
        created += int(new)
    if created:
        transaction.on_commit(lambda: _enqueue_spike_check(polres.pk))
    return created


def do_import_posts(path: str, *, polres: Unit) -> tuple[int, int]:
    """(created, skipped as duplicates). Rows need source, source_id and text."""
    rows = read_posts(path)
    for n, r in enumerate(rows, start=1):
        if not r.get("source") or not r.get("source_id") or not r.get("text"):
            raise PostImportError(f"row {n}: needs source, source_id and text")
    with transaction.atomic():
        created = ingest_rows(polres, rows)
        record_patrol_audit(polres, "posts_imported", actor=None, file=path, created=created)
    return created, len(rows) - created


def _enqueue_spike_check(polres_id: int) -> None:
    from posko.patrol.tasks import detect_spikes

    detect_spikes.enqueue(polres_id)


def do_review_post(post: PublicPost, *, acting_user: User) -> PublicPost:
    """An officer of the post's Polres marks it reviewed (it leaves the patrol queue)."""
    from posko.patrol.actions.claims import AUTHOR_ROLES, PatrolPermissionDenied, polres_for

    polres = polres_for(acting_user, AUTHOR_ROLES)
    if post.polres_id != polres.pk:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    with transaction.atomic():
        locked = PublicPost.objects.select_for_update().get(pk=post.pk)
        if not locked.reviewed:
            locked.reviewed = True
            locked.save(update_fields=["reviewed"])
            record_patrol_audit(polres, "post_reviewed", actor=acting_user, post=locked.pk)
    return locked
