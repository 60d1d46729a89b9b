"""A WhatsApp "min apa benar …" about a registered, approved hoax gets the published
clarification back through the fake Cloud API (real webhook, real worker, real HTTP)."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.models import Aduan
from posko.channels.conftest import APP_SECRET, WA_PHONE_ID
from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi, Reply, compact, fixture_json, meta_signature
from posko.core.testing import run_tasks
from posko.org.models import Officer
from posko.patrol.actions.claims import do_approve_claim, do_create_claim
from posko.patrol.models import AduanClaimMatch

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

SEND_PATH = rf"/v23\.0/{WA_PHONE_ID}/messages"
CLARIFICATION = (
    "Polres Belitung Timur memastikan tidak ada penculikan anak bermobil ambulans di Manggar."
)


def _whatsapp(client: Client, text: str, msg_id: str) -> None:
    payload = fixture_json("whatsapp", "message__text")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["timestamp"] = str(int(timezone.now().timestamp()))
    message["text"]["body"] = text
    message["id"] = msg_id
    body = compact(payload)
    response = client.post(
        "/hooks/whatsapp/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(APP_SECRET, body)},
    )
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_apa_benar_on_whatsapp_gets_the_clarification(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    # No spacing between messages; the receipt is tested in channels/tests/test_receipts.py.
    ChannelAccount.objects.filter(platform="whatsapp").update(
        config={"pair_interval_seconds": 0, "reporter_receipt": False}
    )
    ids = itertools.count(1)
    fake_api.route(
        "POST",
        SEND_PATH,
        lambda r: Reply(
            json={"messaging_product": "whatsapp", "messages": [{"id": f"w.{next(ids)}"}]}
        ),
    )
    claim = do_create_claim(
        acting_user=officers["operator"].user,
        claim="Penculikan anak oleh orang tak dikenal bermobil ambulans terjadi di Manggar",
        verdict="hoaks",
        clarification=CLARIFICATION,
    )
    do_approve_claim(claim, acting_user=officers["kapolres"].user)
    _whatsapp(
        client,
        "Min apa benar ini? *Penculikan anak oleh orang tak dikenal bermobil ambulans terjadi "
        "di Manggar*. Sebarkan ke grup keluarga!",
        "wamid.hoax1",
    )
    for _ in range(3):  # intake → matching → send
        run_tasks()
    aduan = Aduan.objects.get()
    match = AduanClaimMatch.objects.get(aduan=aduan)
    assert match.claim == claim and match.decision == "auto"
    sent = [r.json() for r in fake_api.calls("POST", SEND_PATH)]
    assert len(sent) == 1 and CLARIFICATION in sent[0]["text"]["body"]
    assert sent[0]["to"] == "6281234567890"
    assert aduan.audit_events.filter(action="hoax_clarification_sent").count() == 1
