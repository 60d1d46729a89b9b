"""Registry actions, permissions, audit, imports and the aduan-matching task (real DB)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from posko.aduan.actions.intake import do_submit_aduan
from posko.aduan.models import AuditEvent
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit
from posko.patrol.actions.claims import (
    ClaimError,
    PatrolPermissionDenied,
    do_approve_claim,
    do_create_claim,
)
from posko.patrol.models import (
    AduanClaimMatch,
    ClaimStatus,
    HoaxClaim,
    PublicPost,
)

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

CLAIM = "Penculikan anak oleh orang bermobil ambulans terjadi di Manggar"


def _approved(officers: dict[str, Officer]) -> HoaxClaim:
    c = do_create_claim(
        acting_user=officers["operator"].user,
        claim=CLAIM,
        verdict="hoaks",
        clarification="Polres Belitung Timur memastikan tidak ada penculikan anak di Manggar.",
    )
    return do_approve_claim(c, acting_user=officers["kapolres"].user)


@pytest.mark.django_db
def test_create_and_approve_with_permissions_and_audit(officers: dict[str, Officer]) -> None:
    with pytest.raises(PatrolPermissionDenied):
        do_create_claim(
            acting_user=officers["satlantas"].user, claim="x", verdict="hoaks", clarification="y"
        )
    with pytest.raises(ClaimError):
        do_create_claim(
            acting_user=officers["operator"].user, claim=" ", verdict="hoaks", clarification="y"
        )
    c = do_create_claim(
        acting_user=officers["operator"].user,
        claim=CLAIM,
        verdict="hoaks",
        clarification="Tidak ada.",
    )
    assert c.status == ClaimStatus.DRAFT
    with pytest.raises(PatrolPermissionDenied):
        do_approve_claim(c, acting_user=officers["operator"].user)
    c = do_approve_claim(c, acting_user=officers["kapolres"].user)
    assert c.status == ClaimStatus.APPROVED and c.published_at is not None
    assert list(
        AuditEvent.objects.filter(target=f"hoax_claim:{c.pk}").values_list("action", flat=True)
    ) == [
        "claim_created",
        "claim_approved",
    ]


@pytest.mark.django_db(transaction=True)
def test_new_aduan_is_matched_by_a_task(officers: dict[str, Officer], polres: Unit) -> None:
    claim = _approved(officers)
    hit = do_submit_aduan(
        polres,
        text="min apa benar ada penculikan anak pakai mobil ambulans di manggar?",
        channel="web",
    )
    miss = do_submit_aduan(
        polres, text="jalan rusak di desa lalang mohon diperbaiki", channel="web"
    )
    run_tasks()
    m = AduanClaimMatch.objects.get(aduan=hit)
    assert m.claim == claim and m.decision in ("auto", "suggest")
    assert not AduanClaimMatch.objects.filter(aduan=miss).exists()


@pytest.mark.django_db
def test_import_posts_dedups_and_matches(officers: dict[str, Officer], tmp_path: Path) -> None:
    claim = _approved(officers)
    rows: list[dict[str, Any]] = [
        {
            "source": "x",
            "source_id": "1",
            "text": "Beredar! penculikan anak oleh orang bermobil ambulans di Manggar",
            "reach": 500,
        },
        {"source": "x", "source_id": "1", "text": "duplicate id"},
        {"source": "fb", "source_id": "9", "text": "lomba mewarnai anak tk di manggar"},
    ]
    f = tmp_path / "posts.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    call_command("patrol", "import-posts", str(f), "--polres", "BLT")
    posts = {p.source_id: p for p in PublicPost.objects.all()}
    assert set(posts) == {"1", "9"}
    assert posts["1"].matched_claim == claim and posts["1"].risk > posts["9"].risk
    assert posts["9"].matched_claim is None


@pytest.mark.django_db
def test_import_registry_turnbackhoax_csv(polres: Unit, tmp_path: Path) -> None:
    f = tmp_path / "tbh.csv"
    f.write_text(
        ",0,1\n0,https://turnbackhoax.id/2019/01/02/salah-polisi-razia-hp-di-jalan/,"
        '"NARASI: polisi razia hp. PENJELASAN: Tidak ada razia hp."\n'
        ',0,1\n0,https://turnbackhoax.id/2019/01/03/benar-jalan-ditutup/,"betul"\n'
    )
    call_command("patrol", "import-registry", str(f))
    call_command("patrol", "import-registry", str(f))  # idempotent
    c = HoaxClaim.objects.get()
    assert c.claim == "polisi razia hp di jalan" and c.verdict == "hoaks"
    assert c.clarification == "Tidak ada razia hp." and c.status == ClaimStatus.DRAFT


@pytest.mark.django_db(transaction=True)
def test_burst_in_imported_posts_raises_one_spike_alert(polres: Unit, tmp_path: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from posko.patrol.models import SpikeAlert, Watchlist

    Watchlist.objects.create(polres=polres, name="Penculikan", keywords=["penculikan anak"])
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []
    for m in range(180):  # three hours: a quiet baseline, then a burst 20 minutes ago
        n = 12 if 160 <= m < 170 else (1 if m % 10 == 0 else 0)
        for k in range(n):
            at = now - timedelta(minutes=180 - m)
            text = "anak2 diculik di gantung" if k % 2 else "ada penculikan anak di gantung"
            rows.append(
                {
                    "source": "x",
                    "source_id": f"{m}-{k}",
                    "text": text,
                    "place": "Gantung",
                    "posted_at": at.isoformat(),
                }
            )
    f = tmp_path / "posts.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    call_command("patrol", "import-posts", str(f), "--polres", "BLT")
    run_tasks()
    alert = SpikeAlert.objects.get()
    assert alert.topic == "Penculikan" and alert.place == "Gantung"
    assert now - timedelta(minutes=21) <= alert.started_at <= now - timedelta(minutes=18)
    from posko.patrol.actions.spikes import do_detect_spikes

    assert do_detect_spikes(polres) == []  # the same spike is not raised twice
