"""Console pages over real HTTP (Django test client): scope, roles, add + approve."""

from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.models import AuditEvent
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit
from posko.patrol.models import ClaimStatus, HoaxClaim, PublicPost, SpikeAlert


def _client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


@pytest.mark.django_db
def test_operator_adds_and_pimpinan_approves(officers: dict[str, Officer]) -> None:
    op = _client("operator")
    bad = op.post(
        "/posko/patroli/register/", {"claim": "", "verdict": "hoaks", "clarification": ""}
    )
    assert bad.status_code == 400 and not HoaxClaim.objects.exists()
    r = op.post(
        "/posko/patroli/register/",
        {"claim": "Air PDAM Manggar beracun", "verdict": "hoaks", "clarification": "Air aman."},
    )
    assert r.status_code == 302
    claim = HoaxClaim.objects.get()
    assert op.post(f"/posko/patroli/register/{claim.pk}/setujui/").status_code == 403
    page = _client("kapolres").get("/posko/patroli/register/?q=pdam")
    assert page.status_code == 200 and "Air PDAM Manggar beracun" in page.content.decode()
    assert (
        _client("kapolres").post(f"/posko/patroli/register/{claim.pk}/setujui/").status_code == 302
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


@pytest.mark.django_db
def test_pages_are_scoped_to_polres_and_role(
    officers: dict[str, Officer], polres: Unit, other_polres: Unit
) -> None:
    other = other_polres
    HoaxClaim.objects.create(
        polres=other, claim="Klaim Polres lain", verdict="hoaks", clarification="."
    )
    PublicPost.objects.create(
        polres=polres, source="x", source_id="1", text="unggahan berisiko", risk=1.5
    )
    PublicPost.objects.create(
        polres=polres, source="x", source_id="2", text="unggahan biasa", risk=0.1
    )
    SpikeAlert.objects.create(
        polres=polres, topic="culik", place="Manggar", started_at="2026-01-01T10:00Z", count=40
    )
    op = _client("operator")
    assert "Klaim Polres lain" not in op.get("/posko/patroli/register/").content.decode()
    html = op.get("/posko/patroli/antrean/").content.decode()
    assert html.index("unggahan berisiko") < html.index("unggahan biasa")
    risky = PublicPost.objects.get(source_id="1")
    assert op.post(f"/posko/patroli/antrean/{risky.pk}/tinjau/").status_code == 302
    assert "unggahan berisiko" not in op.get("/posko/patroli/antrean/").content.decode()
    assert AuditEvent.objects.filter(action="post_reviewed").count() == 1
    assert "culik" in op.get("/posko/patroli/lonjakan/").content.decode()
    assert _client("satlantas").get("/posko/patroli/register/").status_code == 403
    assert _client("satlantas").get("/posko/patroli/antrean/").status_code == 403
