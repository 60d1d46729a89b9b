"""X: mentions polled with since_id (self-re-enqueueing task), CRC check, replies."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan
from posko.channels.actions.accounts import do_save_account
from posko.channels.actions.polling import do_poll_x_mentions
from posko.channels.models import ChannelAccount, Platform
from posko.channels.signatures import x_crc_response
from posko.channels.testing import (
    FakeApi,
    fixture_bytes,
    fixture_json,
    has_gps,
    photo_with_gps,
    via_fake_cdn,
)
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


@pytest.mark.django_db(transaction=True)
def test_mention_with_photos_becomes_one_aduan_with_the_photos(
    client: Client, x_account: ChannelAccount, fake_api: FakeApi, officers: dict[str, Officer]
) -> None:
    page = via_fake_cdn(fixture_bytes("x", "mentions__page_media"), fake_api.url)
    fake_api.route(
        "GET",
        r"/2/users/999000111/mentions",
        body=page,
        headers={"Content-Type": "application/json"},
    )
    for index, path in enumerate(
        (
            r"/cdn/pbs\.twimg\.com/media/GdAbC1xWkAAq1Zz\.jpg",
            r"/cdn/pbs\.twimg\.com/media/GdAbC2yWkAAq2Yy\.jpg",
            r"/cdn/pbs\.twimg\.com/ext_tw_video_thumb/.*/Xy9Zq\.jpg",
        )
    ):
        fake_api.route(
            "GET",
            path,
            body=photo_with_gps(color=("red", "blue", "green")[index]),
            headers={"Content-Type": "image/jpeg"},
        )
    assert do_poll_x_mentions(x_account.pk, reschedule=False) == "polled"
    run_tasks()

    aduan = Aduan.objects.get()
    # Triaged from the post's text (the engine's label, whatever the model version).
    from posko.aduan.triage import triage_text

    expected = triage_text(aduan.polres, aduan.text, channel="x", received_at=aduan.received_at)
    assert (aduan.reporter_name, aduan.category) == ("Gantung Peduli", expected.category)
    assert "tambang" in aduan.text
    assert "Video: https://x.com/gantung_peduli/status/1861234567890123499" in aduan.text
    assert aduan.photos.count() == 3  # two photos and the video's preview image
    for photo in aduan.photos.all():
        with photo.image.open("rb") as handle:
            assert not has_gps(handle.read())
    (poll,) = fake_api.calls("GET", r"/2/users/999000111/mentions")
    params = parse_qs(urlsplit(poll.path).query)
    assert params["expansions"] == ["author_id,attachments.media_keys"]
    assert params["media.fields"] == ["url,preview_image_url,type"]
    assert "attachments" in params["tweet.fields"][0].split(",")
    assert poll.headers["Authorization"] == "Bearer x-app-bearer"
    downloads = fake_api.calls("GET", r"/cdn/pbs\.twimg\.com/.*")
    assert len(downloads) == 3 and all("Authorization" not in r.headers for r in downloads)

    # Polled again: nothing new, nothing downloaded again.
    do_poll_x_mentions(x_account.pk, reschedule=False)
    run_tasks()
    assert Aduan.objects.count() == 1 and len(fake_api.calls("GET", r"/cdn/.*")) == 3

    client.force_login(officers["operator"].user)
    assert aduan.code in client.get("/posko/").content.decode()
    page_html = client.get(f"/posko/aduan/{aduan.code}/").content.decode()
    assert (
        "Gantung Peduli" in page_html and page_html.count(f"/posko/aduan/{aduan.code}/foto/") >= 3
    )


@pytest.mark.django_db(transaction=True)
def test_photo_on_a_foreign_host_is_not_downloaded(
    x_account: ChannelAccount, fake_api: FakeApi
) -> None:
    page = fixture_json("x", "mentions__page_media")
    page["includes"]["media"][0]["url"] = "https://169.254.169.254/latest/meta-data/x.jpg"
    page["includes"]["media"] = page["includes"]["media"][:1]
    fake_api.route("GET", r"/2/users/999000111/mentions", json=page)
    do_poll_x_mentions(x_account.pk, reschedule=False)
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.photos.count() == 0 and "truk tambang" in aduan.text
