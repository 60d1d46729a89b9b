"""The "min apa benar …" flow shared by the patrol's WhatsApp test and the browser test: a
registered, approved hoax, the fake Cloud API answering sends, and a signed WhatsApp webhook
carrying the citizen's question (posted by the caller's HTTP client: Django's test client or
real HTTP to the live server)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from django.utils import timezone

from posko.channels.conftest import APP_SECRET, WA_PHONE_ID
from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi, Reply, compact, fixture_json, meta_signature
from posko.core.testing import run_tasks
from posko.org.models import Officer
from posko.patrol.actions.claims import do_approve_claim, do_create_claim
from posko.patrol.models import HoaxClaim

SEND_PATH = rf"/v23\.0/{WA_PHONE_ID}/messages"
CLAIM = "Penculikan anak oleh orang tak dikenal bermobil ambulans terjadi di Manggar"
CLARIFICATION = (
    "Polres Belitung Timur memastikan tidak ada penculikan anak bermobil ambulans di Manggar."
)
# (body, headers) -> HTTP status
PostWebhook = Callable[[bytes, dict[str, str]], int]


def registered_hoax(officers: dict[str, Officer], fake_api: FakeApi) -> HoaxClaim:
    """The approved claim, and the fake Cloud API answering every send with a new id."""
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
        claim=CLAIM,
        verdict="hoaks",
        clarification=CLARIFICATION,
    )
    return do_approve_claim(claim, acting_user=officers["kapolres"].user)


def ask_on_whatsapp(post: PostWebhook, text: str, msg_id: str) -> None:
    """The citizen's question as a signed webhook, then the worker: intake → matching → send."""
    payload = fixture_json("whatsapp", "message__text")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["timestamp"] = str(int(timezone.now().timestamp()))
    message["text"]["body"] = text
    message["id"] = msg_id
    body = compact(payload)
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": meta_signature(APP_SECRET, body),
    }
    assert post(body, headers) == 200
    for _ in range(3):
        run_tasks()


def clarifications_sent(fake_api: FakeApi) -> list[dict[str, object]]:
    return [r.json() for r in fake_api.calls("POST", SEND_PATH)]
