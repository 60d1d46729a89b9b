"""Spike and reputation alerts (console notifications, Propam on negative virality, per-Polres
thresholds, no repeat while a spike lasts) and the Polisi Virtual warning workflow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from posko.aduan.models import AuditEvent, Notification
from posko.channels.testing import FakeApi
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit
from posko.patrol.actions.claims import PatrolPermissionDenied
from posko.patrol.actions.posts import ingest_rows
from posko.patrol.actions.spikes import do_detect_spikes
from posko.patrol.actions.warnings import (
    WarningError,
    do_add_evidence,
    do_approve_warning,
    do_check_warning,
    do_start_warning,
)
from posko.patrol.models import (
    PatrolSettings,
    PatrolWarning,
    PublicPost,
    SpikeAlert,
    WarningStatus,
    Watchlist,
)

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    return buf.getvalue()


PNG = _png()


def _burst(polres: Unit, texts: tuple[str, str], *, per_minute: int = 12) -> None:
    """Three hours of posts: a quiet baseline, then a burst 20 minutes ago."""
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []
    for m in range(180):
        n = per_minute if 160 <= m < 170 else (1 if m % 10 == 0 else 0)
        for k in range(n):
            rows.append(
                {
                    "source": "x",
                    "source_id": f"{texts[0][:5]}-{m}-{k}",
                    "author": f"akun{k}",
                    "text": texts[k % 2],
                    "place": "Gantung",
                    "reach": 100 * (k + 1),
                    "posted_at": (now - timedelta(minutes=180 - m)).isoformat(),
                }
            )
    ingest_rows(polres, rows)


@pytest.mark.django_db
def test_spike_alert_goes_to_humas_and_kapolres_once(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    Watchlist.objects.create(polres=polres, name="Penculikan", keywords=["penculikan anak"])
    _burst(polres, ("ada penculikan anak di gantung", "anak2 diculik di gantung"))
    [alert] = do_detect_spikes(polres)
    assert not alert.negative and alert.reach > 0 and len(alert.sample_post_ids) == 5
    samples = PublicPost.objects.filter(pk__in=alert.sample_post_ids)
    assert min(p.reach for p in samples) >= 1000  # the widest-reaching posts first
    curve = [point["n"] for point in alert.growth]
    assert max(curve) >= 12 and curve[0] <= 1  # quiet, then the burst
    notified = set(Notification.objects.values_list("recipient__user__username", flat=True))
    assert notified == {"operator", "kapolres"}
    note = Notification.objects.filter(recipient=officers["kapolres"]).get()
    assert note.aduan is None and note.link.endswith(f"#lonjakan-{alert.pk}")
    assert "Penculikan di Gantung" in note.text
    assert do_detect_spikes(polres) == []  # the spike lasts: no second alert
    assert Notification.objects.count() == 2
    assert AuditEvent.objects.filter(action="spike_alerted").count() == 1


@pytest.mark.django_db
def test_negative_virality_about_members_also_goes_to_propam(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    Watchlist.objects.create(polres=polres, name="Polisi", keywords=["polisi"])
    _burst(polres, ("oknum polisi pungli di simpang gantung", "polisi minta uang damai pungli"))
    [alert] = do_detect_spikes(polres)
    assert alert.negative
    notified = set(Notification.objects.values_list("recipient__user__username", flat=True))
    assert notified == {"operator", "kapolres", "propam"}


@pytest.mark.django_db
def test_thresholds_per_polres_in_the_database(polres: Unit, officers: dict[str, Officer]) -> None:
    Watchlist.objects.create(polres=polres, name="Penculikan", keywords=["penculikan anak"])
    PatrolSettings.objects.create(polres=polres, min_count=500)
    _burst(polres, ("ada penculikan anak di gantung", "anak2 diculik di gantung"))
    assert do_detect_spikes(polres) == []
    PatrolSettings.objects.filter(polres=polres).update(min_count=8)
    assert len(do_detect_spikes(polres)) == 1


def _post(polres: Unit, url: str) -> PublicPost:
    return PublicPost.objects.create(
        polres=polres,
        source="x",
        source_id="9001",
        author="provokator_beltim",
        text="Ayo serbu kantor desa, mereka semua penipu!",
        url=url,
    )


@pytest.mark.django_db(transaction=True)
def test_warning_first_second_then_cyber_unit(
    polres: Unit, officers: dict[str, Officer], fake_api: FakeApi
) -> None:
    fake_api.route("GET", "/status/9001", body=b"<html>masih ada</html>")
    post = _post(polres, f"{fake_api.url}/status/9001")
    op, kapolres = officers["operator"].user, officers["kapolres"].user
    with pytest.raises(PatrolPermissionDenied):
        do_start_warning(post, acting_user=officers["other_operator"].user)
    shot = SimpleUploadedFile("bukti.png", PNG, content_type="image/png")
    w = do_start_warning(post, acting_user=op, screenshot=shot)
    assert w.status == WarningStatus.DRAFT and "Polres Belitung Timur" in w.message
    with pytest.raises(WarningError):
        do_start_warning(post, acting_user=op)  # one open warning per post
    with pytest.raises(PatrolPermissionDenied):
        do_approve_warning(w, acting_user=op)  # the pimpinan approves
    w = do_approve_warning(w, acting_user=kapolres)
    assert w.status == WarningStatus.FIRST and w.first_sent_at is not None
    run_tasks()  # the 24-h check is scheduled, not due
    w.refresh_from_db()
    assert w.status == WarningStatus.FIRST
    assert do_check_warning(w.pk) == "not due"

    day = timedelta(hours=24, minutes=1)
    PatrolWarning.objects.filter(pk=w.pk).update(first_sent_at=timezone.now() - day)
    assert do_check_warning(w.pk) == "second"
    PatrolWarning.objects.filter(pk=w.pk).update(second_sent_at=timezone.now() - day)
    assert do_check_warning(w.pk) == "escalated"
    assert do_check_warning(w.pk) == "nothing to do"
    w.refresh_from_db()
    assert w.status == WarningStatus.ESCALATED and w.escalated_at is not None
    told = set(Notification.objects.values_list("recipient__user__username", flat=True))
    assert "satreskrim" in told and "operator" not in told
    steps = list(w.evidence.values_list("step", flat=True))
    assert steps == ["draft", "first", "second", "escalated"]
    first = w.evidence.get(step="draft")
    assert first.screenshot.name.endswith(".png") and first.url == post.url
    assert first.text == post.text
    kinds = list(
        AuditEvent.objects.filter(action__startswith="warning_").values_list("action", flat=True)
    )
    assert sorted(kinds) == sorted(
        ["warning_drafted", "warning_first_sent", "warning_second_sent", "warning_escalated"]
    )
    do_add_evidence(w, acting_user=op, screenshot=SimpleUploadedFile("b.png", PNG))
    assert w.evidence.count() == 5


@pytest.mark.django_db(transaction=True)
def test_warning_resolved_when_the_content_is_taken_down(
    polres: Unit, officers: dict[str, Officer], fake_api: FakeApi
) -> None:
    fake_api.route("GET", "/status/9001", status=404, body=b"gone")
    post = _post(polres, f"{fake_api.url}/status/9001")
    w = do_start_warning(post, acting_user=officers["operator"].user)
    do_approve_warning(w, acting_user=officers["kapolres"].user)
    PatrolWarning.objects.filter(pk=w.pk).update(first_sent_at=timezone.now() - timedelta(days=2))
    assert do_check_warning(w.pk) == "resolved"
    w.refresh_from_db()
    assert w.status == WarningStatus.RESOLVED and not Notification.objects.exists()


@pytest.mark.django_db
def test_a_screenshot_that_is_not_an_image_is_refused(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    post = _post(polres, "https://x.com/a/status/9001")
    with pytest.raises(WarningError, match="berupa gambar"):
        do_start_warning(
            post,
            acting_user=officers["operator"].user,
            screenshot=SimpleUploadedFile("x.png", b"not an image"),
        )
    assert not PatrolWarning.objects.exists()
    assert not SpikeAlert.objects.exists()
