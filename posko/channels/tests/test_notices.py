"""Status notices: the citizen hears on their own channel that the aduan was assigned, resolved,
rejected or redirected — worded by the Polres's templates, sent by the real worker to the fake
platform API, within the platform's rules (WhatsApp 24-hour window, public comment replies
without personal data)."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from posko.aduan.actions import do_assign_aduan, do_change_status, do_submit_aduan
from posko.aduan.models import Aduan, AduanMessage
from posko.channels.conftest import APP_SECRET, WA_PHONE_ID
from posko.channels.models import (
    ChannelAccount,
    DeliveryKind,
    NoticeEvent,
    NoticeTemplate,
    OutboundDelivery,
)
from posko.channels.testing import FakeApi, Reply, compact, fixture_json, meta_signature
from posko.core.testing import run_tasks
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

SEND_PATH = rf"/v23\.0/{WA_PHONE_ID}/messages"
RECEIPT = "Laporan Anda sudah kami terima dengan kode"


def whatsapp_in(client: Client, fake_api: FakeApi) -> Aduan:
    """An aduan from a WhatsApp chat; its receipt (code and secret link) has been sent."""
    # No spacing between messages to one citizen here (tested elsewhere).
    ChannelAccount.objects.filter(platform="whatsapp").update(config={"pair_interval_seconds": 0})
    ids = itertools.count(1)
    fake_api.route(
        "POST",
        SEND_PATH,
        lambda r: Reply(
            json={"messaging_product": "whatsapp", "messages": [{"id": f"w.{next(ids)}"}]}
        ),
    )
    payload = fixture_json("whatsapp", "message__text")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["timestamp"] = str(int(timezone.now().timestamp()))
    body = compact(payload)
    response = client.post(
        "/hooks/whatsapp/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(APP_SECRET, body)},
    )
    assert response.status_code == 200
    run_tasks()
    aduan = Aduan.objects.get()
    [receipt] = [r.json()["text"]["body"] for r in fake_api.calls("POST", SEND_PATH)]
    assert (
        receipt.startswith(f"{RECEIPT} {aduan.code}.") and f"/lapor/{aduan.code}/tambah/" in receipt
    )
    return aduan


def sent_texts(fake_api: FakeApi) -> list[str]:
    """What was sent after the receipt."""
    texts = [r.json().get("text", {}).get("body", "") for r in fake_api.calls("POST", SEND_PATH)]
    return [t for t in texts if not t.startswith(RECEIPT)]


@pytest.mark.django_db(transaction=True)
def test_assigned_and_resolved_are_told_on_whatsapp(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
    polres: Unit,
) -> None:
    aduan = whatsapp_in(client, fake_api)
    operator = officers["operator"].user
    satreskrim = satuan_of(polres, "satreskrim")
    assert satreskrim is not None
    NoticeTemplate.objects.create(
        polres=polres, event=NoticeEvent.ASSIGNED, text="Aduan {code} ditangani {unit}. Salam."
    )
    do_assign_aduan(aduan, satreskrim, acting_user=operator)
    run_tasks()
    assert sent_texts(fake_api) == [f"Aduan {aduan.code} ditangani {satreskrim.name}. Salam."]
    # Assigning an officer of the same unit tells the citizen nothing new.
    do_assign_aduan(aduan, satreskrim, officer=officers["satreskrim"], acting_user=operator)
    run_tasks()
    assert len(sent_texts(fake_api)) == 1

    do_change_status(aduan, "ditangani", acting_user=operator)
    do_change_status(aduan, "selesai", acting_user=operator)
    run_tasks()
    texts = sent_texts(fake_api)
    # The resolved notice, and (issue 12) the one satisfaction question after selesai.
    resolved = [t for t in texts if "Terima kasih telah melapor" in t]
    asked = [t for t in texts if "Apakah masalah" in t]
    assert len(texts) == 3 and len(resolved) == 1 and len(asked) == 1
    assert resolved[0].startswith(f"Laporan Anda ({aduan.code}) telah selesai")
    notices = aduan.messages.filter(kind="public_reply")
    assert [m.delivery_state for m in notices] == ["sent", "sent", "sent", "sent"]
    assert aduan.audit_events.filter(action="notice_queued").count() == 3  # receipt too
    assert aduan.audit_events.filter(action="satisfaction_asked").count() == 1
    aduan.refresh_from_db()
    assert aduan.first_responded_at is not None  # set by the status change, not the notice


@pytest.mark.django_db(transaction=True)
def test_rejection_carries_its_reason(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    aduan = whatsapp_in(client, fake_api)
    do_change_status(
        aduan, "ditolak", reason="Bukan wewenang kepolisian", acting_user=officers["operator"].user
    )
    run_tasks()
    [text] = sent_texts(fake_api)
    assert aduan.code in text and "Alasan: Bukan wewenang kepolisian" in text


@pytest.mark.django_db(transaction=True)
def test_closed_whatsapp_window_without_template_is_skipped_with_a_note(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    aduan = whatsapp_in(client, fake_api)
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        operator = officers["operator"].user
        do_change_status(aduan, "ditangani", acting_user=operator)
        do_change_status(aduan, "selesai", acting_user=operator)
        run_tasks()
    assert sent_texts(fake_api) == [] and len(fake_api.calls("POST", SEND_PATH)) == 1
    note = aduan.messages.get(kind="internal_note")
    assert "tidak dikirim" in note.text and "24 jam" in note.text
    assert aduan.audit_events.filter(action="notice_skipped").exists()
    assert OutboundDelivery.objects.get().text.startswith(RECEIPT)  # the receipt only


@pytest.mark.django_db(transaction=True)
def test_closed_whatsapp_window_uses_the_template(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    aduan = whatsapp_in(client, fake_api)
    ChannelAccount.objects.filter(pk=whatsapp_account.pk).update(
        config={"window_template": {"name": "status_aduan", "language": "id"}}
    )
    with time_machine.travel(timezone.now() + timedelta(hours=30), tick=False):
        operator = officers["operator"].user
        do_change_status(aduan, "ditangani", acting_user=operator)
        do_change_status(aduan, "selesai", acting_user=operator)
        run_tasks()
    [receipt, sent] = fake_api.calls("POST", SEND_PATH)
    assert receipt.json()["type"] == "text"
    body = sent.json()
    assert body["type"] == "template" and body["template"]["name"] == "status_aduan"
    params = body["template"]["components"][0]["parameters"]
    assert params[0]["text"] == aduan.code and "selesai" in params[1]["text"]


@pytest.mark.django_db(transaction=True)
def test_public_comment_gets_a_public_update_without_personal_data(
    client: Client,
    instagram_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    fake_api.route("POST", r"/v23\.0/\d+/replies", json={"id": "17900000001"})
    body = json.dumps(fixture_json("meta", "instagram__comment")).encode()
    response = client.post(
        "/hooks/meta/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(APP_SECRET, body)},
    )
    assert response.status_code == 200
    run_tasks()
    aduan = Aduan.objects.get()
    fake_api.route("POST", r"/v23\.0/\d+/replies", json={"id": "17900000002"})
    do_change_status(
        aduan, "ditolak", reason="Pelapor Budi, rumah no. 12", acting_user=officers["operator"].user
    )
    run_tasks()
    replies = fake_api.calls("POST", r"/v23\.0/\d+/replies")
    assert len(replies) == 2  # the acknowledgement, then the update
    update = replies[-1].body.decode()
    assert "sudah kami tinjau" in update
    assert aduan.code not in update and "Budi" not in update and "rumah" not in update
    delivery = OutboundDelivery.objects.get(message__text__contains="sudah kami tinjau")
    assert delivery.kind == DeliveryKind.COMMENT_REPLY
    # The one private reply stays available for the officer.
    assert not aduan.conversation.private_reply_used


@pytest.mark.django_db(transaction=True)
def test_aduan_from_the_web_sends_nothing(
    fake_api: FakeApi, officers: dict[str, Officer], polres: Unit
) -> None:
    aduan = do_submit_aduan(polres, text="Motor saya hilang di pasar Manggar", channel="web")
    do_change_status(aduan, "ditangani", acting_user=officers["operator"].user)
    do_change_status(aduan, "selesai", acting_user=officers["operator"].user)
    run_tasks()
    assert not OutboundDelivery.objects.exists()
    assert not AduanMessage.objects.filter(kind="public_reply").exists()
