"""Instagram and Facebook Page through /hooks/meta/: comments (aduan or moderation stream),
DMs, public acknowledgement, private reply, read/delivery receipts, moderation actions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan
from posko.channels.actions.moderation import (
    do_convert_to_aduan,
    do_hide_comment,
    do_reply_to_comment,
)
from posko.channels.conftest import APP_SECRET, FB_PAGE_ID, IG_ACCOUNT_ID, VERIFY_TOKEN
from posko.channels.dispatch import ReplyNotAllowed
from posko.channels.meta import adapter
from posko.channels.models import (
    ChannelAccount,
    Conversation,
    InboundEvent,
    ModerationItem,
    ModerationState,
    OutboundDelivery,
)
from posko.channels.testing import FakeApi, fixture_bytes, meta_signature
from posko.core.testing import run_tasks
from posko.org.models import Officer

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

IG_COMMENT = "17865799348089039"
SEEN_MID = (
    "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI0"
    "NDI2MDAwMDAwMDAwMDAwMDAwMwZDZD"
)
# The recorded payloads are from 2025-11-21; replies are judged against their time.
FIXTURE_DAY = datetime(2025, 11, 21, 8, 10, tzinfo=UTC)


def deliver(client: Client, name: str, *, secret: str = APP_SECRET) -> int:
    body = fixture_bytes("meta", name)
    return client.post(
        "/hooks/meta/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(secret, body)},
    ).status_code


def test_parse_shapes() -> None:
    comment = adapter.parse(fixture_bytes("meta", "instagram__comment")).messages[0]
    assert (comment.platform, comment.kind, comment.sender_username, comment.reply_target) == (
        "instagram",
        "comment",
        "warga_manggar",
        IG_COMMENT,
    )
    assert adapter.parse(fixture_bytes("meta", "instagram__comment_own_reply")).messages == []
    assert adapter.parse(fixture_bytes("meta", "instagram__message_echo")).messages == []
    mention = adapter.parse(fixture_bytes("meta", "instagram__mention")).messages[0]
    assert mention.kind == "mention"
    feed = adapter.parse(fixture_bytes("meta", "facebook__feed_comment")).messages[0]
    assert (feed.platform, feed.sender_name, feed.data["post_id"]) == (
        "facebook",
        "Rudi Hartono",
        "448242228374517_122131676912594941",
    )
    assert adapter.parse(fixture_bytes("meta", "facebook__feed_comment_edited")).messages == []
    image = adapter.parse(fixture_bytes("meta", "facebook__message_image")).messages[0]
    assert image.media[0].media_type == "image" and image.message_type == "image"
    seen = adapter.parse(fixture_bytes("meta", "instagram__messaging_seen")).statuses[0]
    delivered = adapter.parse(fixture_bytes("meta", "facebook__message_delivery")).statuses[0]
    assert (seen.state, delivered.state, delivered.external_id) == (
        "read",
        "delivered",
        "m_posko_reply_0001",
    )


@pytest.mark.django_db
def test_signature_and_handshake(client: Client, instagram_account: ChannelAccount) -> None:
    assert deliver(client, "instagram__comment", secret="lain") == 403
    body = fixture_bytes("meta", "instagram__comment")
    assert client.post("/hooks/meta/", body, content_type="application/json").status_code == 403
    assert not InboundEvent.objects.exists()
    response = client.get(
        "/hooks/meta/",
        {"hub.mode": "subscribe", "hub.challenge": "42", "hub.verify_token": VERIFY_TOKEN},
    )
    assert response.content == b"42"
    # A WhatsApp payload is not accepted on the Meta endpoint (and vice versa).
    wa = fixture_bytes("whatsapp", "message__text")
    signed = {"X-Hub-Signature-256": meta_signature(APP_SECRET, wa)}
    assert (
        client.post("/hooks/meta/", wa, content_type="application/json", headers=signed).status_code
        == 400
    )


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_instagram_comment_round_trip(
    client: Client,
    instagram_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    fake_api.route("POST", rf"/v23\.0/{IG_COMMENT}/replies", json={"id": "17890000000000001"})
    assert deliver(client, "instagram__comment") == 200
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.channel == "instagram"
    conversation = Conversation.objects.get(aduan=aduan)
    assert conversation.public_comment_id == IG_COMMENT
    ack = fake_api.calls("POST", rf"/v23\.0/{IG_COMMENT}/replies")[0]
    assert ack.headers["Authorization"] == "Bearer IGAA-uji-token"
    assert "pesan pribadi" in ack.json()["message"] and aduan.code not in ack.json()["message"]

    fake_api.route(
        "POST",
        rf"/v23\.0/{IG_ACCOUNT_ID}/messages",
        json={"recipient_id": "1789012345678901", "message_id": SEEN_MID},
    )
    reply = do_add_message(
        aduan,
        "Mohon kirim detail lokasi lewat DM.",
        public=True,
        acting_user=officers["operator"].user,
    )
    run_tasks()
    sent = fake_api.calls("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/messages")[0].json()
    assert sent == {
        "recipient": {"comment_id": IG_COMMENT},
        "messaging_type": "RESPONSE",
        "message": {"text": "Mohon kirim detail lokasi lewat DM."},
    }
    reply.refresh_from_db()
    assert reply.delivery_state == "sent"
    assert deliver(client, "instagram__messaging_seen") == 200
    run_tasks()
    reply.refresh_from_db()
    assert reply.delivery_state == "read"

    # Only one private reply per comment: the next one must wait for a DM.
    with pytest.raises(ReplyNotAllowed, match="pesan pribadi"):
        do_add_message(aduan, "Halo lagi", public=True, acting_user=officers["operator"].user)
    assert deliver(client, "instagram__message") == 200
    run_tasks()
    assert aduan.messages.filter(kind="incoming").count() == 2
    do_add_message(
        aduan, "Terima kasih infonya.", public=True, acting_user=officers["operator"].user
    )
    run_tasks()
    last = fake_api.calls("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/messages")[-1].json()
    assert last["recipient"] == {"id": "1789012345678901"}


@pytest.mark.django_db(transaction=True)
def test_praise_and_provocation_go_to_moderation_stream(
    client: Client,
    instagram_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    assert deliver(client, "instagram__comment_praise") == 200
    assert deliver(client, "instagram__comment_provocative") == 200
    assert deliver(client, "instagram__comment_own_reply") == 200
    run_tasks()
    assert not Aduan.objects.exists()
    items = {i.message.identity.username: i for i in ModerationItem.objects.all()}
    assert set(items) == {"ibu_rina", "akun_anonim99"}
    assert items["akun_anonim99"].provocative and not items["ibu_rina"].provocative

    operator = officers["operator"].user
    fake_api.route("POST", r"/v23\.0/17865799348089040/replies", json={"id": "1789"})
    do_reply_to_comment(items["ibu_rina"], "Terima kasih dukungannya!", acting_user=operator)
    run_tasks()
    assert OutboundDelivery.objects.get(moderation_item=items["ibu_rina"]).state == "sent"

    fake_api.route("POST", r"/v23\.0/17865799348089041", json={"success": True})
    do_hide_comment(items["akun_anonim99"], acting_user=operator)
    hide = fake_api.calls("POST", r"/v23\.0/17865799348089041")[0]
    assert hide.body == b"hide=true"
    items["akun_anonim99"].refresh_from_db()
    assert items["akun_anonim99"].state == ModerationState.HIDDEN

    fake_api.route("POST", r"/v23\.0/17865799348089041/replies", json={"id": "1790"})
    aduan = do_convert_to_aduan(items["akun_anonim99"], acting_user=operator)
    assert aduan.channel == "instagram" and aduan.created_by == operator
    items["akun_anonim99"].refresh_from_db()
    assert items["akun_anonim99"].state == ModerationState.CONVERTED


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_facebook_comment_and_messenger(
    client: Client,
    facebook_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    comment_id = "122131676912594941_1213590066982748"
    fake_api.route("POST", rf"/v23\.0/{comment_id}/comments", json={"id": "ack-1"})
    assert deliver(client, "facebook__feed_comment") == 200
    assert deliver(client, "facebook__message") == 200
    run_tasks()
    assert set(Aduan.objects.values_list("channel", "reporter_name")) == {
        ("facebook", "Rudi Hartono"),
        ("facebook", ""),
    }
    assert len(fake_api.calls("POST", rf"/v23\.0/{comment_id}/comments")) == 1
    dm_aduan = Aduan.objects.get(reporter_name="")
    fake_api.route(
        "POST",
        rf"/v23\.0/{FB_PAGE_ID}/messages",
        json={"recipient_id": "6987654321098765", "message_id": "m_posko_reply_0001"},
    )
    reply = do_add_message(
        dm_aduan, "Silakan datang ke SPKT.", public=True, acting_user=officers["operator"].user
    )
    run_tasks()
    assert deliver(client, "facebook__message_delivery") == 200
    run_tasks()
    reply.refresh_from_db()
    assert reply.delivery_state == "delivered"
