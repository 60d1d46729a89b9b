from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from posko.aduan.actions import do_submit_aduan
from posko.aduan.actions.incidents import (
    IncidentError,
    do_join_incident,
    do_merge_incidents,
    do_split_from_incident,
    escalated_priority,
    incident_to_join,
)
from posko.aduan.models import Aduan, AuditEvent, Incident
from posko.aduan.triage import _texts, find_incident_peer, triage_text
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit
from posko.regions.models import Region, RegionLevel

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MINOR = "Lampu jalan mati di simpang empat Manggar, gelap sekali"


def test_growth_rules() -> None:
    minutes = [T0 + timedelta(minutes=m) for m in (0, 2, 4, 6, 8)]
    assert escalated_priority(minutes) == "darurat"
    assert escalated_priority(minutes[:3]) == "tinggi"
    assert escalated_priority(minutes[:2]) is None
    spread = [T0 + timedelta(hours=h) for h in range(5)]
    assert escalated_priority(spread) is None


def _reports(polres: Unit, n: int, step: timedelta) -> list[Aduan]:
    out = []
    for i in range(n):
        with time_machine.travel(T0 + i * step, tick=False):
            out.append(do_submit_aduan(polres, text=f"{MINOR} ({i})", channel="web"))
    return out


@pytest.mark.django_db
def test_priority_rises_when_reports_of_one_event_pile_up(polres: Unit) -> None:
    reports = _reports(polres, 3, timedelta(minutes=5))
    incident = Aduan.objects.get(pk=reports[-1].pk).incident
    assert incident is not None
    for r in Aduan.objects.filter(pk__in=[r.pk for r in reports]):
        assert r.incident == incident
        assert r.priority == "tinggi"
        assert r.first_response_due == r.received_at + timedelta(hours=1)
    assert AuditEvent.objects.filter(action="priority_raised").exists()


@pytest.mark.django_db
def test_joining_by_hand_also_raises_priority(polres: Unit, officers: dict[str, Officer]) -> None:
    texts = [
        "Lampu jalan mati di simpang empat Manggar",
        "Sampah menumpuk di pinggir jalan desa Dendang",
        "Mohon info jam buka pelayanan SKCK",
    ]
    reports = []
    for i, text in enumerate(texts):
        with time_machine.travel(T0 + timedelta(minutes=5 * i), tick=False):
            reports.append(do_submit_aduan(polres, text=text, channel="web"))
    assert not any(r.incident_id for r in reports)
    assert not {"darurat", "tinggi"} & {r.priority for r in reports}

    operator = officers["operator"].user
    do_join_incident(reports[1], reports[0], acting_user=operator)
    assert Aduan.objects.get(pk=reports[0].pk).priority == reports[0].priority
    incident = do_join_incident(reports[2], reports[0], acting_user=operator)
    assert {r.priority for r in Aduan.objects.filter(incident=incident)} == {"tinggi"}
    assert AuditEvent.objects.filter(action="priority_raised").count() == 3


@pytest.mark.django_db
def test_merge_and_split(polres: Unit, officers: dict[str, Officer]) -> None:
    operator = officers["operator"].user
    a, b, c, d = _reports(polres, 4, timedelta(hours=13))  # too far apart to group
    assert not Incident.objects.exists()
    first = do_join_incident(b, a, acting_user=operator)
    second = do_join_incident(d, c, acting_user=operator)

    do_merge_incidents(first, second, acting_user=operator)
    assert not Incident.objects.filter(pk=second.pk).exists()
    assert set(Aduan.objects.filter(incident=first).values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
        c.pk,
        d.pk,
    }
    with pytest.raises(IncidentError):
        do_merge_incidents(first, first, acting_user=operator)

    for r in (d, c, b):
        do_split_from_incident(Aduan.objects.get(pk=r.pk), acting_user=operator)
    # the last remaining report is not an incident on its own
    assert not Incident.objects.exists()
    assert not Aduan.objects.filter(incident__isnull=False).exists()
    with pytest.raises(IncidentError):
        do_split_from_incident(Aduan.objects.get(pk=a.pk), acting_user=operator)


@pytest.mark.django_db
def test_console_incident_page_and_permissions(polres: Unit, officers: dict[str, Officer]) -> None:
    a, b = _reports(polres, 2, timedelta(hours=13))
    operator, auditor = Client(), Client()
    operator.login(username="operator", password=PASSWORD)
    auditor.login(username="auditor", password=PASSWORD)

    assert auditor.post(f"/posko/aduan/{b.code}/gabung/", {"code": a.code}).status_code == 403
    response = operator.post(f"/posko/aduan/{b.code}/gabung/", {"code": a.code.lower()})
    assert response.status_code == 302
    incident = Aduan.objects.get(pk=b.pk).incident
    assert incident is not None and Aduan.objects.get(pk=a.pk).incident == incident

    page = operator.get(f"/posko/insiden/{incident.pk}/")
    assert page.status_code == 200
    assert a.code in page.content.decode() and b.code in page.content.decode()
    other = Client()
    other.login(username="operator.blg", password=PASSWORD)
    assert other.get(f"/posko/insiden/{incident.pk}/").status_code == 404

    assert operator.post(f"/posko/aduan/{b.code}/pisah/").status_code == 302
    assert Aduan.objects.get(pk=b.pk).incident is None


@pytest.mark.django_db
def test_landmark_locates_reports(polres: Unit, officers: dict[str, Officer]) -> None:
    client = Client()
    client.login(username="operator", password=PASSWORD)
    text = "ada perkelahian pemuda di Pantai Serdang Indah barusan"
    before = do_submit_aduan(polres, text=text, channel="web")
    assert before.desa_id != "19.06.03.2002"

    response = client.post(
        "/posko/landmark/",
        {"name": "Pantai Serdang Indah", "aliases": "pantai serdang", "desa": "19.06.03.2002"},
    )
    assert response.status_code == 302
    after = do_submit_aduan(polres, text=text, channel="web")
    assert after.desa_id == "19.06.03.2002" and after.kecamatan_id == "19.06.03"
    assert "Pantai Serdang Indah" in client.get("/posko/landmark/").content.decode()

    duplicate = client.post(
        "/posko/landmark/", {"name": "Pantai Serdang Indah", "desa": "19.06.03.2002"}
    )
    assert duplicate.status_code == 400 and "sudah ada" in duplicate.content.decode()
    petugas = Client()
    petugas.login(username="satlantas", password=PASSWORD)
    assert (
        petugas.post("/posko/landmark/", {"name": "X Y Z", "desa": "19.06.03.2002"}).status_code
        == 403
    )


def _peer_of(polres: Unit, text: str, at: datetime) -> Aduan | None:
    result = triage_text(polres, text, channel="web", received_at=at)
    return find_incident_peer(polres, result, text, at)


@pytest.mark.django_db
def test_kept_candidate_texts_never_hide_a_later_change(polres: Unit) -> None:
    """The matcher keeps texts of recent aduan in memory; place and category, which staff
    change later, are read for every report: a report moved elsewhere stops matching."""
    first = _reports(polres, 1, timedelta(minutes=5))[0]
    at = T0 + timedelta(minutes=5)
    peer = _peer_of(polres, f"{MINOR} (lagi)", at)
    assert peer is not None and peer.pk == first.pk
    assert peer.text == first.text and peer.received_at == first.received_at
    first.refresh_from_db()
    assert first.kecamatan_id is not None
    elsewhere = (
        Region.objects.filter(level=RegionLevel.KECAMATAN).exclude(pk=first.kecamatan_id).first()
    )
    assert elsewhere is not None
    Aduan.objects.filter(pk=first.pk).update(kecamatan=elsewhere, desa=None)
    assert first.pk in _texts  # the text is still kept ...
    assert _peer_of(polres, f"{MINOR} (lagi)", at) is None  # ... the new place is read


@pytest.mark.django_db
def test_a_kept_text_is_used_only_for_the_same_aduan(polres: Unit) -> None:
    """On SQLite the id of a rolled-back aduan is given to the next one: a kept text whose
    tracking code differs from the row's is read again."""
    first = _reports(polres, 1, timedelta(minutes=5))[0]
    _texts[first.pk] = ("XXXXXX", "Terima kasih bapak polisi", T0 - timedelta(hours=1))
    peer = _peer_of(polres, f"{MINOR} (lagi)", T0 + timedelta(minutes=5))
    assert peer is not None and peer.pk == first.pk and peer.text == first.text
    assert _texts[first.pk][0] == first.code


@pytest.mark.django_db(transaction=True)
def test_joining_holds_the_peers_incident_or_falls_back_when_it_is_gone(polres: Unit) -> None:
    """An intake whose peer has an incident joins it without locking the peer; when that
    incident was deleted meanwhile (a merge or split), the peer gets an incident of its own."""
    first, second = _reports(polres, 2, timedelta(minutes=5))
    peer = Aduan.objects.get(pk=second.pk)
    assert peer.incident_id is not None
    assert Aduan.objects.get(pk=first.pk).incident_id == peer.incident_id
    with transaction.atomic():
        assert incident_to_join(peer, actor=None).pk == peer.incident_id
    gone = peer.incident_id
    Incident.objects.filter(pk=gone).delete()
    with transaction.atomic():
        incident = incident_to_join(peer, actor=None)  # still believes it is in ``gone``
    assert incident.pk != gone
    assert Aduan.objects.get(pk=peer.pk).incident_id == incident.pk
