"""The community pages in the console (programmes → publicity in two clicks, stakeholders
with masked numbers, tips, swaps), the ronda page's swap form, and the programmes/events API
(in the OpenAPI document)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posko.api.actions import do_create_api_token
from posko.channels.models import ChannelAccount
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit
from posko.publishing.actions.community import EventInput, do_create_event, do_create_programme
from posko.publishing.actions.ronda import do_create_ronda_post, do_create_shift
from posko.publishing.actions.stakeholders import do_save_stakeholder
from posko.publishing.models import (
    Post,
    PostKind,
    ProgrammeEvent,
    ProgrammeKind,
    RondaSwapRequest,
    StakeholderRole,
)
from posko.regions.models import Region

GANTUNG = "19.06.02.2001"


def login(officer: Officer) -> Client:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    return client


def _event(polres: Unit, officers: dict[str, Officer]) -> ProgrammeEvent:
    programme = do_create_programme(
        polres,
        kind=ProgrammeKind.SCHOOL,
        name="Polisi Goes to School",
        acting_user=officers["operator"].user,
    )
    return do_create_event(
        programme,
        EventInput(
            title="Seminar anti narkoba SMPN 1 Gantung",
            place="Aula SMPN 1 Gantung",
            starts_at=timezone.now() + timedelta(days=5),
            desa=Region.objects.get(code=GANTUNG),
        ),
        acting_user=officers["operator"].user,
    )


@pytest.mark.django_db
def test_an_event_is_published_through_the_composer_in_two_clicks(
    polres: Unit, officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    event = _event(polres, officers)
    operator = login(officers["operator"])
    listing = operator.get("/posko/komunitas/")
    assert listing.status_code == 200
    link = f"/posko/publikasi/baru/?kegiatan={event.pk}"
    assert link in listing.content.decode()
    form = operator.get(link)  # click 1: the composer, prefilled
    page = form.content.decode()
    assert "Seminar anti narkoba SMPN 1 Gantung" in page and "Aula SMPN 1 Gantung" in page
    initial = form.context["form"].initial
    data = {
        "kind": initial["kind"],
        "title": initial["title"],
        "text": initial["text"],
        "accounts": initial["accounts"],
        "desa": [d.pk for d in initial["desa"]],
        "f_place": initial["f_place"],
        "f_starts": initial["f_starts"],
    }
    saved = operator.post(link, data)  # click 2: save (it then goes to review as usual)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    post = Post.objects.get()
    assert post.kind == PostKind.EVENT and post.targets.count() == 4
    event.refresh_from_db()
    assert event.post == post
    assert login(officers["satreskrim"]).get("/posko/komunitas/").status_code == 403


@pytest.mark.django_db
def test_stakeholder_numbers_are_masked_for_roles_that_do_not_share(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    desa = Region.objects.get(code=GANTUNG)
    do_save_stakeholder(
        polres,
        desa=desa,
        role=StakeholderRole.BABINSA,
        name="Serda Andi",
        channel="whatsapp",
        address="081255550001",
        acting_user=officers["operator"].user,
    )
    full = login(officers["operator"]).get("/posko/komunitas/mitra/").content.decode()
    assert "+6281255550001" in full
    masked = login(officers["bhabin_gantung"]).get("/posko/komunitas/mitra/").content.decode()
    assert "+6281255550001" not in masked and "+6281*****0001" in masked
    bad = login(officers["operator"]).post(
        "/posko/komunitas/mitra/",
        {
            "form": "stakeholder",
            "desa": desa.pk,
            "role": "babinsa",
            "name": "X",
            "channel": "whatsapp",
            "address": "12",
        },
    )
    assert bad.status_code == 400 and "Nomor HP tidak valid" in bad.content.decode()


@pytest.mark.django_db
def test_a_swap_requested_on_the_ronda_page_is_decided_in_the_console(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    bhabin = officers["bhabin_gantung"]
    pos = do_create_ronda_post(
        polres, Region.objects.get(code=GANTUNG), "Pos Ronda RT 01", acting_user=bhabin.user
    )
    start = timezone.now() + timedelta(days=1)
    do_create_shift(
        pos,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        members=[("Pak Amir", "081277770001")],
        coordinator=bhabin,
        acting_user=bhabin.user,
    )
    answer = Client().post(
        f"/ronda/{pos.token}/",
        {
            "action": "tukar",
            "phone": "081277770001",
            "replacement_name": "Pak Cecep",
            "replacement_phone": "081277770003",
        },
    )
    assert answer.status_code == 200 and "koordinator" in answer.content.decode()
    swap = RondaSwapRequest.objects.get()
    console = login(bhabin)
    assert "Pak Cecep" in console.get("/posko/komunitas/tukar-jaga/").content.decode()
    other = login(officers["satreskrim"]).post(
        "/posko/komunitas/tukar-jaga/", {"swap": swap.pk, "decision": "setuju"}
    )
    assert other.status_code == 403
    console.post("/posko/komunitas/tukar-jaga/", {"swap": swap.pk, "decision": "setuju"})
    swap.refresh_from_db()
    assert swap.state == "approved"


@pytest.mark.django_db
def test_programmes_and_events_api(
    polres: Unit, officers: dict[str, Officer], other_polres: Unit
) -> None:
    event = _event(polres, officers)
    headers = {"Authorization": f"Bearer {do_create_api_token(officers['satreskrim'].user)}"}
    client = Client()
    programmes = client.get("/api/v1/programmes", headers=headers).json()
    assert [(p["name"], p["events"]) for p in programmes] == [("Polisi Goes to School", 1)]
    events = client.get(f"/api/v1/events?desa={GANTUNG}", headers=headers).json()
    assert events["count"] == 1 and events["results"][0]["title"] == event.title
    assert client.get(f"/api/v1/events/{event.pk}", headers=headers).json()["kind"] == (
        "seminar_sekolah"
    )
    detail = client.get(f"/api/v1/programmes/{event.programme_id}", headers=headers).json()
    assert [e["id"] for e in detail["upcoming"]] == [event.pk]
    stranger = {"Authorization": f"Bearer {do_create_api_token(officers['other_operator'].user)}"}
    assert client.get(f"/api/v1/events/{event.pk}", headers=stranger).status_code == 404
    assert client.get("/api/v1/events", headers=stranger).json()["count"] == 0
    assert client.get("/api/v1/events").status_code == 401
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/programmes",
        "/api/v1/programmes/{programme_id}",
        "/api/v1/events",
        "/api/v1/events/{event_id}",
    } <= paths


@pytest.mark.django_db
def test_an_event_is_marked_held_and_an_aspiration_becomes_an_aduan_in_the_console(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    from posko.aduan.models import Aduan

    event = _event(polres, officers)
    bhabin = login(officers["bhabin_gantung"])
    url = f"/posko/komunitas/kegiatan/{event.pk}/"
    bhabin.post(url, {"form": "state", "state": "done"})
    bhabin.post(url, {"form": "aspiration", "text": "Parkir liar di depan sekolah tiap pagi."})
    aspiration = event.aspirations.get()
    bhabin.post(url, {"form": "follow_up", "aspiration": aspiration.pk, "follow_up": "aduan"})
    event.refresh_from_db()
    aspiration.refresh_from_db()
    assert event.state == "done" and aspiration.aduan == Aduan.objects.get()
    assert aspiration.aduan.code in bhabin.get(url).content.decode()
    assert (
        login(officers["satreskrim"]).post(url, {"form": "state", "state": "cancelled"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_an_appeal_is_shared_with_the_stakeholders_of_its_desa_from_its_page(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    from posko.publishing.models import StakeholderShare

    desa = Region.objects.get(code=GANTUNG)
    do_save_stakeholder(
        polres,
        desa=desa,
        role=StakeholderRole.TOKOH,
        name="Ustaz Mahmud",
        channel="sms",
        address="081255550005",
        acting_user=officers["operator"].user,
    )
    appeal = Post.objects.create(
        polres=polres,
        kind=PostKind.APPEAL,
        text="Dicari saksi pencurian ternak di Desa Gantung.",
        created_by=officers["operator"].user,
    )
    appeal.desa.set([desa])
    operator = login(officers["operator"])
    detail = operator.get(f"/posko/publikasi/{appeal.pk}/").content.decode()
    url = f"/posko/komunitas/mitra/?publikasi={appeal.pk}"
    assert url.replace("&", "&amp;") in detail or url in detail
    page = operator.get(url)
    assert page.context["share_form"].initial["text"] == appeal.text
    operator.post(url, {"form": "share", "text": appeal.text, "desa": [desa.pk]})
    share = StakeholderShare.objects.get()
    assert share.post == appeal and share.deliveries.count() == 1
