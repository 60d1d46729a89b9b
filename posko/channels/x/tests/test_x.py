"""X: mentions polled with since_id (self-re-enqueueing task), CRC check, replies."""

from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan
from posko.channels.actions.accounts import do_save_account
from posko.channels.actions.polling import do_poll_x_mentions
from posko.channels.models import ChannelAccount, Platform
from posko.channels.signatures import x_crc_response
from posko.channels.testing import FakeApi, fixture_json
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit


@pytest.fixture
def x_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.X,
        external_id="999000111",
        slug="blt-x",
        api_base=fake_api.url,
        credentials={
            "bearer_token": "x-app-bearer",
            "user_access_token": "x-user-token",
            "consumer_secret": "x-consumer-secret",
        },
    )


def test_crc_matches_documented_construction() -> None:
    # base64(HMAC-SHA256(consumer secret, crc_token)), prefixed "sha256=".
    assert x_crc_response("secret", "token").startswith("sha256=")
    assert len(x_crc_response("secret", "token")) == len("sha256=") + 44


@pytest.mark.django_db
def test_crc_endpoint(client: Client, x_account: ChannelAccount) -> None:
    response = client.get("/hooks/x/blt-x/", {"crc_token": "abc"})
    assert response.json() == {"response_token": x_crc_response("x-consumer-secret", "abc")}
    assert client.post("/hooks/x/blt-x/", b"{}", content_type="application/json").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_poll_since_id_and_reply(
    x_account: ChannelAccount, fake_api: FakeApi, officers: dict[str, Officer]
) -> None:
    fake_api.route("GET", r"/2/users/999000111/mentions", json=fixture_json("x", "mentions__page"))
    assert do_poll_x_mentions(x_account.pk, reschedule=False) == "polled"
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.channel == "x" and aduan.reporter_name == "Warga Beltim"
    x_account.refresh_from_db()
    assert x_account.cursor == "1861234567890123456"

    fake_api.route("GET", r"/2/users/999000111/mentions", json=fixture_json("x", "mentions__empty"))
    do_poll_x_mentions(x_account.pk, reschedule=False)
    assert "since_id=1861234567890123456" in fake_api.requests[-1].path
    # The same page polled twice creates nothing new.
    fake_api.route("GET", r"/2/users/999000111/mentions", json=fixture_json("x", "mentions__page"))
    do_poll_x_mentions(x_account.pk, reschedule=False)
    run_tasks()
    assert Aduan.objects.count() == 1

    fake_api.route("POST", r"/2/tweets", json=fixture_json("x", "create_tweet__ok"))
    do_add_message(
        aduan,
        "@warga_beltim Terima kasih, petugas menuju lokasi.",
        public=True,
        acting_user=officers["operator"].user,
    )
    run_tasks()
    sent = fake_api.calls("POST", r"/2/tweets")[0]
    assert sent.headers["Authorization"] == "Bearer x-user-token"
    assert sent.json()["reply"] == {"in_reply_to_tweet_id": "1861234567890123456"}


@pytest.mark.django_db(transaction=True)
def test_poll_chain_reschedules_once(x_account: ChannelAccount, fake_api: FakeApi) -> None:
    from django_tasks_db.models import DBTaskResult

    fake_api.route("GET", r"/2/users/999000111/mentions", json=fixture_json("x", "mentions__empty"))
    do_poll_x_mentions(x_account.pk)
    assert do_poll_x_mentions(x_account.pk) == "another chain is running"
    assert DBTaskResult.objects.filter(task_path__endswith="poll_x_mentions").count() == 1


@pytest.mark.django_db
def test_crc_cannot_sign_a_forged_event(client: Client, x_account: ChannelAccount) -> None:
    """The CRC answer is the HMAC that signs events: it must never sign an event body."""
    forged = (
        b'{"for_user_id": "999000111", "tweet_create_events": [{"id_str": "1", '
        b'"text": "tolong ada kebakaran", "user": {"id_str": "7", "screen_name": "x"}}]}'
    )
    response = client.get("/hooks/x/blt-x/", {"crc_token": forged.decode()})
    assert response.status_code == 400
    assert "response_token" not in response.json()
    # Even a token obtained some other way for that body: the POST with it stores nothing.
    signature = x_crc_response("x-wrong-secret", forged.decode())
    response = client.post(
        "/hooks/x/blt-x/",
        forged,
        content_type="application/json",
        HTTP_X_TWITTER_WEBHOOKS_SIGNATURE=signature,
    )
    assert response.status_code == 403
    assert not Aduan.objects.exists()
