"""A WhatsApp "min apa benar …" about a registered, approved hoax gets the published
clarification back through the fake Cloud API (real webhook, real worker, real HTTP): the
match, the one message and its recipient, the audit row. The browser test
(``posko/e2e/test_patrol_watching.py``) runs the same flow (``hoax_flow``) and checks only
what the operator sees."""

from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.models import Aduan
from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi
from posko.org.models import Officer
from posko.patrol.models import AduanClaimMatch
from posko.patrol.tests.hoax_flow import (
    CLARIFICATION,
    ask_on_whatsapp,
    clarifications_sent,
    registered_hoax,
)

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks


@pytest.mark.django_db(transaction=True)
def test_apa_benar_on_whatsapp_gets_the_clarification(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    claim = registered_hoax(officers, fake_api)

    def post(body: bytes, headers: dict[str, str]) -> int:
        return client.post(
            "/hooks/whatsapp/", body, content_type=headers.pop("Content-Type"), headers=headers
        ).status_code

    ask_on_whatsapp(
        post,
        "Min apa benar ini? *Penculikan anak oleh orang tak dikenal bermobil ambulans terjadi "
        "di Manggar*. Sebarkan ke grup keluarga!",
        "wamid.hoax1",
    )
    aduan = Aduan.objects.get()
    match = AduanClaimMatch.objects.get(aduan=aduan)
    assert match.claim == claim and match.decision == "auto"
    sent = clarifications_sent(fake_api)
    assert len(sent) == 1 and CLARIFICATION in sent[0]["text"]["body"]  # type: ignore[index]
    assert sent[0]["to"] == "6281234567890"
    assert aduan.audit_events.filter(action="hoax_clarification_sent").count() == 1
