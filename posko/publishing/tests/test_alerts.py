"""Targeted alerts: a warning to the subscribers of one desa reaches exactly them through the
fake WhatsApp API; an unsubscribed number receives nothing; double opt-in on /langganan/."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi, Recorded, Reply
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit
from posko.publishing.access import mask_address
from posko.publishing.actions.alerts import alert_counts, do_create_alert
from posko.publishing.actions.common import PostError
from posko.publishing.actions.compose import Draft, do_create_post
from posko.publishing.actions.review import do_publish_directly
from posko.publishing.actions.subscribers import do_handle_keyword, normalize_phone
from posko.publishing.models import (
    Alert,
    AlertDeliveryState,
    PostKind,
    PostStatus,
    Subscriber,
    SubscriberState,
)
from posko.publishing.tests.conftest import WA_PHONE_ID
from posko.publishing.tests.helpers import run_tasks_at
from posko.regions.models import Region

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

GANTUNG = "19.06.02.2001"


def whatsapp_fake(fake: FakeApi) -> None:
    counter = itertools.count(1)

    def accept(request: Recorded) -> Reply:
        n = next(counter)
        to = request.json()["to"]
        return Reply(
            json={
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.ALERT{n:05d}"}],
            }
        )

    fake.route("POST", rf"/v23.0/{WA_PHONE_ID}/messages", accept)


def subscribe(
    polres: Unit, phone: str, area: Region, state: str = SubscriberState.ACTIVE
) -> Subscriber:
    desa = area if area.level == 4 else None
    kecamatan = area.parent if desa else area
    return Subscriber.objects.create(
        polres=polres,
        channel="whatsapp",
        address=normalize_phone(phone),
        desa=desa,
        kecamatan=kecamatan,
        state=state,
    )


@pytest.mark.django_db(transaction=True)
def test_a_warning_to_one_desa_reaches_exactly_its_subscribers(
    polres: Unit, officers: dict[str, Officer], wa_alerts: ChannelAccount, fake_api: FakeApi
) -> None:
    whatsapp_fake(fake_api)
    gantung = Region.objects.get(code=GANTUNG)
    neighbour = Region.objects.filter(parent=gantung.parent, level=4).exclude(pk=gantung.pk).first()
    assert neighbour is not None
    subscribe(polres, "0812 1111 0001", gantung)
    subscribe(polres, "+62 812-1111-0002", gantung)
    subscribe(polres, "081211110003", gantung, SubscriberState.UNSUBSCRIBED)
    subscribe(polres, "081211110004", gantung, SubscriberState.PENDING)
    subscribe(polres, "081211110005", gantung.parent)  # type: ignore[arg-type]  # the whole kecamatan
    subscribe(polres, "081211110006", neighbour)

    post = do_create_post(
        polres,
        Draft(
            kind=PostKind.SECURITY_WARNING,
            text="Waspada pencurian sepeda motor di Desa Gantung malam ini. Kunci ganda kendaraan.",
            accounts=[wa_alerts],
            fields={"area": "Desa Gantung", "what_to_do": "Kunci ganda kendaraan."},
            desa=[gantung],
        ),
        acting_user=officers["operator"].user,
    )
    do_publish_directly(post, acting_user=officers["operator"].user)
    for _ in range(3):
        run_tasks()
    sent = fake_api.calls("POST", rf"/v23.0/{WA_PHONE_ID}/messages")
    assert sorted(r.json()["to"] for r in sent) == [
        "6281211110001",
        "6281211110002",
        "6281211110005",
    ]
    assert sent[0].headers["Authorization"] == "Bearer EAAG-uji-token-whatsapp"
    assert sent[0].json()["template"] == {
        "name": "peringatan_keamanan",
        "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": post.text}]}],
    }
    alert = Alert.objects.get(post=post)
    assert alert_counts(alert)["sent"] == 3 and alert_counts(alert)["total"] == 3
    assert alert.finished_at is not None
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.targets.get().external_id == f"alert-{alert.pk}"
    client = Client()
    client.force_login(officers["operator"].user)
    page = client.get(f"/posko/publikasi/{post.pk}/").content.decode()
    assert "WhatsApp: 3 dari 3 terkirim · 0 gagal · 0 menunggu" in page
    assert 'data-testid="alert-copy-counts"' not in page  # no Telegram or SMS subscriber


@pytest.mark.django_db(transaction=True)
@pytest.mark.database_queue
def test_batches_keep_to_the_per_second_rate_and_a_stop_word_unsubscribes_at_once(
    polres: Unit, officers: dict[str, Officer], wa_alerts: ChannelAccount, fake_api: FakeApi
) -> None:
    whatsapp_fake(fake_api)
    wa_alerts.config = {**wa_alerts.config, "max_per_second": 2, "batch_seconds": 1}
    wa_alerts.save(update_fields=["config"])
    gantung = Region.objects.get(code=GANTUNG)
    for i in range(5):
        subscribe(polres, f"08121111100{i}", gantung)
    assert do_handle_keyword(polres, "whatsapp", "6281211111003", " BERHENTI ") == "unsubscribed"
    assert do_handle_keyword(polres, "whatsapp", "6281211111004", "halo pak") is None
    alert = do_create_alert(
        polres,
        wa_alerts,
        text="Uji peringatan.",
        desa=[gantung],
        acting_user=officers["operator"].user,
    )
    start = timezone.now()
    run_tasks()
    assert len(fake_api.calls("POST", rf"/v23.0/{WA_PHONE_ID}/messages")) == 2  # one batch
    for step in range(1, 4):
        run_tasks_at(start + timedelta(seconds=1.5 * step))
    sent = fake_api.calls("POST", rf"/v23.0/{WA_PHONE_ID}/messages")
    assert len(sent) == 4 and "6281211111003" not in [r.json()["to"] for r in sent]
    assert alert_counts(alert)[AlertDeliveryState.SENT] == 4
    # 4 messages at 2 per second: each batch was enqueued by the previous one, a second later.
    first, paced = DBTaskResult.objects.filter(task_path__endswith="send_alert_batch").order_by(
        "enqueued_at"
    )
    assert (paced.run_after - first.started_at).total_seconds() >= 0.99
    with pytest.raises(PostError, match="Pilih minimal satu desa"):
        do_create_alert(polres, wa_alerts, text="x", desa=[], acting_user=None)


@pytest.mark.django_db(transaction=True)
def test_double_opt_in_on_the_web_form(
    polres: Unit, wa_alerts: ChannelAccount, fake_api: FakeApi
) -> None:
    whatsapp_fake(fake_api)
    client = Client()
    page = client.get("/langganan/")
    assert page.status_code == 200 and "Nomor HP" in page.content.decode()
    bad = client.post("/langganan/", {"phone": "12345", "area": GANTUNG, "consent": "on"})
    assert bad.status_code == 400 and "Nomor HP tidak valid" in bad.content.decode()
    assert not Subscriber.objects.exists()
    response = client.post(
        "/langganan/", {"phone": "0812 3456 7890", "area": GANTUNG, "consent": "on"}
    )
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.state == SubscriberState.PENDING and subscriber.address == "+6281234567890"
    run_tasks()
    (message,) = fake_api.calls("POST", rf"/v23.0/{WA_PHONE_ID}/messages")
    assert message.json()["template"]["name"] == "kode_langganan"
    code = message.json()["template"]["components"][0]["parameters"][0]["text"]
    assert re.fullmatch(r"\d{6}", code)
    wrong = client.post(
        "/langganan/konfirmasi/",
        {"phone": "081234567890", "code": "000000" if code != "000000" else "111111"},
    )
    assert wrong.status_code == 400 and "Kode salah" in wrong.content.decode()
    ok = client.post("/langganan/konfirmasi/", {"phone": "081234567890", "code": code})
    assert ok.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.ACTIVE and subscriber.code_hash == ""
    assert code not in str(Subscriber.objects.values().get())


def test_phone_numbers_are_masked() -> None:
    assert mask_address("+6281234567890") == "+6281*****7890"


@pytest.mark.django_db
def test_demo_seeds_subscribers_and_two_approved_posts(
    polres: Unit, officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    from posko.publishing.demo_content import seed_publishing_demo
    from posko.publishing.models import Post

    seed_publishing_demo(polres)
    seed_publishing_demo(polres)  # twice is harmless
    assert Subscriber.objects.filter(state=SubscriberState.ACTIVE).count() == 7
    assert sorted(Post.objects.values_list("kind", "status")) == [
        ("info_lalu_lintas", "scheduled"),
        ("kampanye_edukasi", "scheduled"),
    ]
