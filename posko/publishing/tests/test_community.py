"""Community programmes and events (an aspiration at Jumat Curhat becomes an aduan or stays
information), the sambang log, stakeholders per desa and sharing with them (copies on their
channel with delivery state, masked numbers), anonymous tips routed to the case's unit, and
ronda swaps decided by the coordinator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posko.aduan.models import Aduan, AuditEvent
from posko.aduan.tests.factories import make_aduan
from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit
from posko.org.permissions import NotPermitted
from posko.publishing.actions.common import PostError
from posko.publishing.actions.community import (
    EventInput,
    do_create_event,
    do_create_programme,
    do_follow_up_aspiration,
    do_log_sambang,
    do_record_aspiration,
    event_publicity,
)
from posko.publishing.actions.ronda import do_create_ronda_post, do_create_shift
from posko.publishing.actions.ronda_swaps import do_decide_swap, do_request_swap
from posko.publishing.actions.stakeholders import (
    do_save_stakeholder,
    do_share_with_stakeholders,
    share_counts,
    shown_address,
)
from posko.publishing.actions.tips import do_reply_tip, do_submit_tip, read_tip, visible_tips
from posko.publishing.models import (
    AspirationFollowUp,
    Post,
    PostKind,
    PostStatus,
    ProgrammeKind,
    RondaMember,
    StakeholderRole,
    Tip,
)
from posko.publishing.tests.conftest import WA_PHONE_ID
from posko.publishing.tests.test_alerts import whatsapp_fake
from posko.regions.models import Region

pytestmark = pytest.mark.tasks

GANTUNG = "19.06.02.2001"


@pytest.mark.django_db
def test_jumat_curhat_aspirations_become_an_aduan_or_information(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    operator, bhabin = officers["operator"].user, officers["bhabin_gantung"].user
    desa = Region.objects.get(code=GANTUNG)
    programme = do_create_programme(
        polres, kind=ProgrammeKind.JUMAT_CURHAT, name="Jumat Curhat Gantung", acting_user=operator
    )
    with pytest.raises(NotPermitted):
        do_create_programme(
            polres, kind=ProgrammeKind.PSM, name="X", acting_user=officers["satreskrim"].user
        )
    start = timezone.now() + timedelta(days=2)
    event = do_create_event(
        programme,
        EventInput(
            title="Jumat Curhat di Masjid", place="Masjid Al-Ikhlas", starts_at=start, desa=desa
        ),
        acting_user=bhabin,
    )
    with pytest.raises(PostError):
        do_create_event(
            programme,
            EventInput(title="T", place="P", starts_at=start, ends_at=start - timedelta(hours=1)),
            acting_user=bhabin,
        )
    first = do_record_aspiration(
        event,
        "Sering ada balap liar di Jalan Raya Gantung setiap malam minggu.",
        acting_user=bhabin,
    )
    second = do_record_aspiration(event, "Warga minta patroli rutin.", acting_user=bhabin)
    do_follow_up_aspiration(first, AspirationFollowUp.ADUAN, acting_user=bhabin)
    do_follow_up_aspiration(
        second, AspirationFollowUp.INFORMATION, note="ke Samapta", acting_user=bhabin
    )
    first.refresh_from_db()
    aduan = Aduan.objects.get()
    assert first.aduan == aduan and aduan.channel == "bhabinkamtibmas" and aduan.desa == desa
    with pytest.raises(PostError):  # once only
        do_follow_up_aspiration(second, AspirationFollowUp.ADUAN, acting_user=bhabin)
    assert Aduan.objects.count() == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"community_event_created", "community_aspiration_followed"} <= actions

    initial = event_publicity(event, [])
    assert initial["kind"] == PostKind.EVENT and initial["f_place"] == "Masjid Al-Ikhlas"
    assert "Jumat Curhat di Masjid" in initial["text"] and initial["desa"] == [desa]


@pytest.mark.django_db
def test_sambang_log_is_the_bhabinkamtibmas_own(polres: Unit, officers: dict[str, Officer]) -> None:
    bhabin = officers["bhabin_gantung"]
    desa = Region.objects.get(code=GANTUNG)
    visit = do_log_sambang(
        bhabin,
        desa=desa,
        visited_at=timezone.now() - timedelta(hours=1),
        place="Rumah Pak RT 03",
        topic="Keamanan lingkungan",
        acting_user=bhabin.user,
    )
    assert visit.officer == bhabin and visit.polres == polres
    with pytest.raises(PostError):  # not in the future
        do_log_sambang(
            bhabin,
            desa=desa,
            visited_at=timezone.now() + timedelta(days=1),
            place="x",
            topic="y",
            acting_user=bhabin.user,
        )
    with pytest.raises(NotPermitted):
        do_log_sambang(
            bhabin,
            desa=desa,
            visited_at=timezone.now(),
            place="x",
            topic="y",
            acting_user=officers["satreskrim"].user,
        )


@pytest.mark.django_db(transaction=True)
def test_sharing_with_the_stakeholders_of_a_desa_on_their_channel(
    polres: Unit, officers: dict[str, Officer], wa_alerts: ChannelAccount, fake_api: FakeApi
) -> None:
    whatsapp_fake(fake_api)
    operator = officers["operator"].user
    desa = Region.objects.get(code=GANTUNG)
    other = Region.objects.filter(parent=desa.parent, level=4).exclude(pk=desa.pk).first()
    assert other is not None
    babinsa = do_save_stakeholder(
        polres,
        desa=desa,
        role=StakeholderRole.BABINSA,
        name="Serda Andi",
        channel="whatsapp",
        address="0812 5555 0001",
        organisation="Koramil 0414-02",
        acting_user=operator,
    )
    kades = do_save_stakeholder(
        polres,
        desa=desa,
        role=StakeholderRole.KEPALA_DESA,
        name="Bapak Kades",
        channel="whatsapp",
        address="081255550002",
        acting_user=operator,
    )
    do_save_stakeholder(  # on Telegram, but the Polres has no Telegram account
        polres,
        desa=desa,
        role=StakeholderRole.SATPAM,
        name="Satpam Pasar",
        channel="telegram",
        address="900100",
        acting_user=operator,
    )
    do_save_stakeholder(
        polres,
        desa=other,
        role=StakeholderRole.TOKOH,
        name="Tokoh desa lain",
        channel="whatsapp",
        address="081255550009",
        acting_user=operator,
    )
    with pytest.raises(PostError):
        do_save_stakeholder(
            polres,
            desa=desa,
            role="bupati",
            name="?",
            channel="whatsapp",
            address="081255550003",
            acting_user=operator,
        )
    assert shown_address(babinsa, full=False) == "+6281*****0001"
    assert shown_address(kades, full=False) == "+6281255550002"  # office contact by function
    assert shown_address(babinsa, full=True) == "+6281255550001"

    share = do_share_with_stakeholders(
        polres,
        text="Waspada curanmor malam ini di Desa Gantung.",
        desa=[desa],
        acting_user=operator,
    )
    assert share_counts(share)["total"] == 3 and share_counts(share)["no_channel"] == 1
    run_tasks()
    sent = fake_api.calls("POST", rf"/v23.0/{WA_PHONE_ID}/messages")
    assert sorted(r.json()["to"] for r in sent) == ["6281255550001", "6281255550002"]
    assert sent[0].json()["template"]["name"] == "peringatan_keamanan"
    assert share_counts(share)["sent"] == 2
    with pytest.raises(NotPermitted):
        do_share_with_stakeholders(
            polres, text="x", desa=[desa], acting_user=officers["satreskrim"].user
        )


@pytest.mark.django_db
def test_a_tip_is_anonymous_routed_to_the_case_unit_and_followed_up_by_code(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    satreskrim = officers["satreskrim"]
    aduan = make_aduan(polres)
    Aduan.objects.filter(pk=aduan.pk).update(handling_unit=satreskrim.unit)
    appeal = Post.objects.create(
        polres=polres,
        kind=PostKind.APPEAL,
        text="Dicari saksi kecelakaan",
        fields={"reference": aduan.code.lower()},
        status=PostStatus.PUBLISHED,
        created_by=officers["operator"].user,
    )
    tip = do_submit_tip(polres, text="Saya melihat mobil putih pukul 21.00.", appeal=appeal)
    assert tip.unit == satreskrim.unit and tip.code.startswith("INFO-")
    standalone = do_submit_tip(polres, text="Ada transaksi narkoba di warung ujung desa.")
    assert standalone.unit == polres
    with pytest.raises(PostError):
        do_submit_tip(polres, text="pendek")
    assert list(visible_tips(satreskrim.user)) == [tip]
    assert visible_tips(officers["operator"].user).count() == 0  # another unit
    assert visible_tips(officers["kapolres"].user).count() == 2  # restricted reader
    with pytest.raises(NotPermitted):
        read_tip(officers["ppa"].user, tip.pk)
    read_tip(satreskrim.user, tip.pk)
    assert (
        AuditEvent.objects.filter(action="community_tip_read", target=f"tip:{tip.pk}").count() == 1
    )
    do_reply_tip(tip, "Terima kasih, informasi sedang kami dalami.", acting_user=satreskrim.user)
    fields = {f.name for f in Tip._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "user_agent", "session", "created_at"}

    client = Client()
    with CaptureQueriesContext(connection) as queries:
        page = client.post(
            "/info/",
            {"text": "Motor curian disimpan di gudang belakang pasar.", "imbauan": appeal.pk},
            REMOTE_ADDR="203.0.113.77",
            HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14; SM-A155F)",
        )
    assert page.status_code == 200, page.content
    code = Tip.objects.latest("pk").code
    assert code in page.content.decode()
    written = " ".join(q["sql"] for q in queries.captured_queries)
    assert "203.0.113" not in written and "SM-A155F" not in written
    follow = client.get("/info/", {"kode": tip.code.lower()})
    assert "sedang kami dalami" in follow.content.decode()


@pytest.mark.django_db
def test_a_ronda_swap_is_approved_by_the_coordinator(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    bhabin = officers["bhabin_gantung"]
    desa = Region.objects.get(code=GANTUNG)
    pos = do_create_ronda_post(polres, desa, "Pos Ronda RT 05", acting_user=bhabin.user)
    start = timezone.now() + timedelta(days=2)
    do_create_shift(
        pos,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        members=[("Pak Amir", "081277770001"), ("Pak Budi", "081277770002")],
        coordinator=bhabin,
        acting_user=bhabin.user,
    )
    with pytest.raises(PostError):
        do_request_swap(
            pos.token, "081277779999", replacement_name="X", replacement_phone="081277770003"
        )
    swap = do_request_swap(
        pos.token,
        "0812 7777 0001",
        replacement_name="Pak Cecep",
        replacement_phone="081277770003",
        reason="Dinas luar kota",
    )
    with pytest.raises(PostError):  # one pending request at a time
        do_request_swap(
            pos.token, "081277770001", replacement_name="Y", replacement_phone="081277770004"
        )
    with pytest.raises(NotPermitted):
        do_decide_swap(swap, approve=True, acting_user=officers["satreskrim"].user)
    do_decide_swap(swap, approve=True, acting_user=bhabin.user)
    names = sorted(RondaMember.objects.values_list("name", "phone"))
    assert names == [("Pak Budi", "+6281277770002"), ("Pak Cecep", "+6281277770003")]
    with pytest.raises(PostError):
        do_decide_swap(swap, approve=False, acting_user=bhabin.user)


@pytest.mark.django_db
def test_demo_seeds_programmes_stakeholders_rosters_and_subscribers(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    from posko.publishing.community_demo import seed_community_demo
    from posko.publishing.models import (
        Aspiration,
        Programme,
        ProgrammeEvent,
        RondaShift,
        SambangVisit,
        Stakeholder,
        Subscriber,
    )

    seed_community_demo(polres)
    seed_community_demo(polres)  # twice is harmless
    assert Programme.objects.count() == 5 and ProgrammeEvent.objects.count() == 5
    assert Aspiration.objects.count() == 2
    assert Stakeholder.objects.values("desa").distinct().count() == 3
    assert RondaShift.objects.values("post__desa").distinct().count() == 2
    assert SambangVisit.objects.count() >= 1
    assert set(Subscriber.objects.values_list("channel", flat=True)) == {"telegram", "sms"}
