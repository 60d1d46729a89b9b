"""Instagram mentions and tags, Facebook Page mentions: the webhook's ids are completed from the
Graph API (the fake asserts the exact requests), every photo is downloaded from Meta's CDN
without the token and stored without GPS, the caption is triaged, a public acknowledgement goes
under the post, redelivery adds nothing, and the tag polls are a deduplicated safety net."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan
from posko.channels.actions.polling import do_poll_tagged
from posko.channels.conftest import APP_SECRET, FB_PAGE_ID, IG_ACCOUNT_ID
from posko.channels.meta import adapter
from posko.channels.models import ChannelAccount, ChannelMedia, ChannelMessage, InboundEvent
from posko.channels.testing import (
    FakeApi,
    Recorded,
    compact,
    fixture_bytes,
    fixture_json,
    has_gps,
    meta_signature,
    photo_with_gps,
    via_fake_cdn,
)
from posko.core.testing import run_tasks
from posko.org.models import Officer

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

FIXTURE_DAY = datetime(2025, 11, 21, 10, 30, tzinfo=UTC)
IG_TOKEN = "Bearer IGAA-uji-token"
FB_TOKEN = "Bearer EAAP-uji-page-token"
CAROUSEL_MEDIA = "17918195224117852"
IG_PHOTOS = (
    r"/cdn/scontent\.cdninstagram\.com/v/t51\.29350-15/467011111_n\.jpg",
    r"/cdn/scontent\.cdninstagram\.com/v/t51\.29350-15/467022222_n\.jpg",
)


def deliver(client: Client, body: bytes) -> int:
    return client.post(
        "/hooks/meta/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(APP_SECRET, body)},
    ).status_code


def graph_answer(fake_api: FakeApi, path: str, fixture: str) -> None:
    body = via_fake_cdn(fixture_bytes("meta", fixture), fake_api.url)
    fake_api.route("GET", path, body=body, headers={"Content-Type": "application/json"})


def cdn_photo(fake_api: FakeApi, path: str, color: str) -> None:
    fake_api.route(
        "GET", path, body=photo_with_gps(color=color), headers={"Content-Type": "image/jpeg"}
    )


def query(recorded: Recorded) -> dict[str, list[str]]:
    return parse_qs(urlsplit(recorded.path).query)


def assert_clean_photos(aduan: Aduan, count: int) -> None:
    assert aduan.photos.count() == count
    for photo in aduan.photos.all():
        with photo.image.open("rb") as handle:
            assert not has_gps(handle.read())


def assert_in_console(client: Client, officer: Officer, aduan: Aduan, *texts: str) -> None:
    client.force_login(officer.user)
    inbox = client.get("/posko/").content.decode()
    assert aduan.code in inbox
    page = client.get(f"/posko/aduan/{aduan.code}/").content.decode()
    assert page.count(f"/posko/aduan/{aduan.code}/foto/") >= aduan.photos.count() or (
        aduan.photos.count() == 0
    )
    for text in texts:
        assert text in page


def test_parse_mention_events() -> None:
    media = adapter.parse(fixture_bytes("meta", "instagram__mention_media")).messages[0]
    assert (media.external_id, media.reply_target, media.data["fetch"]) == (
        f"mention:{CAROUSEL_MEDIA}",
        f"mention:{CAROUSEL_MEDIA}",
        True,
    )
    comment = adapter.parse(fixture_bytes("meta", "instagram__mention")).messages[0]
    assert comment.reply_target == "mention:17918195224117851:17894227972186120"
    post = adapter.parse(fixture_bytes("meta", "facebook__mention_post")).messages[0]
    assert (post.platform, post.kind, post.sender_name, post.reply_target) == (
        "facebook",
        "mention",
        "Sari Wulandari",
        "100089000000001_122140000000000001",
    )
    fb_comment = adapter.parse(fixture_bytes("meta", "facebook__mention_comment")).messages[0]
    assert fb_comment.data["comment_id"] == "122140000000000002_1234567890123456"


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_instagram_tag_with_two_photos_becomes_one_complete_aduan(
    client: Client,
    instagram_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    graph_answer(fake_api, rf"/v23\.0/{IG_ACCOUNT_ID}", "graph__mentioned_media_carousel")
    cdn_photo(fake_api, IG_PHOTOS[0], "red")
    cdn_photo(fake_api, IG_PHOTOS[1], "blue")
    fake_api.route("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/mentions", json={"id": "17846319838228163"})
    webhook = fixture_bytes("meta", "instagram__mention_media")
    assert deliver(client, webhook) == 200
    run_tasks()

    aduan = Aduan.objects.get()
    assert aduan.channel == "instagram" and aduan.reporter_name == "warga_gantung"
    assert aduan.text.startswith("@polresbeltim tolong pak, ada kecelakaan motor")
    assert "Tautan: https://www.instagram.com/p/DCm4nT0pQ8x/" in aduan.text
    assert aduan.category == "kecelakaan"
    assert aduan.kecamatan is not None and aduan.kecamatan.name == "Manggar"
    assert aduan.polsek is not None and aduan.polsek.name == "Polsek Manggar"
    assert_clean_photos(aduan, 2)
    assert sorted(m.position for m in ChannelMedia.objects.all()) == [0, 1]

    # The Graph request: the documented field expansion, the account's token.
    (lookup,) = fake_api.calls("GET", rf"/v23\.0/{IG_ACCOUNT_ID}")
    assert query(lookup) == {
        "fields": [f"mentioned_media.media_id({CAROUSEL_MEDIA}){{{adapter.IG_MEDIA_FIELDS}}}"]
    }
    assert lookup.headers["Authorization"] == IG_TOKEN
    # Photos come from the CDN without the token.
    downloads = [fake_api.calls("GET", path)[0] for path in IG_PHOTOS]
    assert all("Authorization" not in r.headers for r in downloads)
    # Public acknowledgement under the post, through the mentions edge (no personal data).
    (ack,) = fake_api.calls("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/mentions")
    form = parse_qs(ack.body.decode())
    assert form["media_id"] == [CAROUSEL_MEDIA] and "comment_id" not in form
    assert aduan.code not in form["message"][0] and ack.headers["Authorization"] == IG_TOKEN
    assert aduan.messages.get(kind="public_reply").delivery_state == "sent"

    # Redelivery (same bytes, or the same mention in another envelope) adds nothing and asks
    # the Graph API nothing.
    assert deliver(client, webhook) == 200
    assert deliver(client, compact(fixture_json("meta", "instagram__mention_media"))) == 200
    run_tasks()
    assert Aduan.objects.count() == 1 and aduan.photos.count() == 2
    assert len(fake_api.calls("GET", rf"/v23\.0/{IG_ACCOUNT_ID}")) == 1
    assert len(fake_api.calls("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/mentions")) == 1

    assert_in_console(
        client, officers["operator"], aduan, "warga_gantung", "instagram.com/p/DCm4nT0pQ8x"
    )

    # An officer's public reply also goes under the post.
    operator = officers["operator"].user
    do_add_message(aduan, "Petugas Satlantas menuju lokasi.", public=True, acting_user=operator)
    run_tasks()
    assert len(fake_api.calls("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/mentions")) == 2


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_instagram_video_mention_gives_link_and_thumbnail(
    client: Client, instagram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    graph_answer(fake_api, rf"/v23\.0/{IG_ACCOUNT_ID}", "graph__mentioned_media_video")
    thumb = r"/cdn/scontent\.cdninstagram\.com/v/t51\.29350-15/467033333_thumb_n\.jpg"
    cdn_photo(fake_api, thumb, "green")
    fake_api.route("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/mentions", json={"id": "17846319838228164"})
    assert deliver(client, fixture_bytes("meta", "instagram__mention_video")) == 200
    run_tasks()
    aduan = Aduan.objects.get()
    assert "Video: https://www.instagram.com/reel/DCm7vQ1pR9z/" in aduan.text
    assert_clean_photos(aduan, 1)
    assert not fake_api.calls("GET", r"/cdn/.*\.mp4")  # the video itself is not downloaded


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_instagram_comment_mention(
    client: Client, instagram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    graph_answer(fake_api, rf"/v23\.0/{IG_ACCOUNT_ID}", "graph__mentioned_comment")
    fake_api.route("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/mentions", json={"id": "17846319838228165"})
    assert deliver(client, fixture_bytes("meta", "instagram__mention")) == 200
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.reporter_name == "pemuda_lalang" and "balap liar" in aduan.text
    assert "https://www.instagram.com/p/DCm1aB2pK3y/" in aduan.text
    (lookup,) = fake_api.calls("GET", rf"/v23\.0/{IG_ACCOUNT_ID}")
    assert query(lookup)["fields"] == [
        f"mentioned_comment.comment_id(17894227972186120){{{adapter.IG_COMMENT_FIELDS}}}"
    ]
    form = parse_qs(fake_api.calls("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/mentions")[0].body.decode())
    assert (form["media_id"], form["comment_id"]) == (["17918195224117851"], ["17894227972186120"])


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_photo_failure_keeps_the_mention_and_fetches_later(
    client: Client, instagram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    graph_answer(fake_api, rf"/v23\.0/{IG_ACCOUNT_ID}", "graph__mentioned_media_carousel")
    cdn_photo(fake_api, IG_PHOTOS[0], "red")
    fake_api.route("GET", IG_PHOTOS[1], status=503)
    fake_api.route("POST", rf"/v23\.0/{IG_ACCOUNT_ID}/mentions", json={"id": "1"})
    assert deliver(client, fixture_bytes("meta", "instagram__mention_media")) == 200
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.photos.count() == 1 and "kecelakaan" in aduan.text
    cdn_photo(fake_api, IG_PHOTOS[1], "blue")
    with time_machine.travel(datetime(2025, 11, 21, 10, 45, tzinfo=UTC)):
        run_tasks()
    assert_clean_photos(aduan, 2)


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_graph_outage_retries_then_keeps_the_placeholder(
    client: Client, instagram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route("GET", rf"/v23\.0/{IG_ACCOUNT_ID}", status=500, json={"error": {"code": 2}})
    assert deliver(client, fixture_bytes("meta", "instagram__mention_media")) == 200
    run_tasks()
    # A temporary failure: the event is retried (nothing claimed yet).
    event = InboundEvent.objects.get()
    assert event.state == "received" and event.attempts == 1 and "500" in event.error
    assert not ChannelMessage.objects.exists()
    # A permanent refusal: the mention still reaches Posko, with its ids.
    fake_api.route("GET", rf"/v23\.0/{IG_ACCOUNT_ID}", status=400, json={"error": {"code": 100}})
    with time_machine.travel(datetime(2025, 11, 21, 10, 35, tzinfo=UTC)):
        run_tasks()
    message = ChannelMessage.objects.get()
    assert message.state != "pending" and f"[id {CAROUSEL_MEDIA}]" in message.text
    assert "HTTP 400" in message.data["fetch_error"]


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_facebook_post_and_comment_mentions(
    client: Client,
    facebook_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    post_id = "100089000000001_122140000000000001"
    comment_id = "122140000000000002_1234567890123456"
    graph_answer(fake_api, rf"/v23\.0/{post_id}", "graph__fb_post")
    graph_answer(fake_api, rf"/v23\.0/{comment_id}", "graph__fb_comment")
    cdn = r"/cdn/scontent\.xx\.fbcdn\.net/v/t39\.30808-6/"
    cdn_photo(fake_api, cdn + r"469000001_n\.jpg", "red")
    cdn_photo(fake_api, cdn + r"469000002_n\.jpg", "blue")
    fake_api.route("POST", rf"/v23\.0/{post_id}/comments", json={"id": "ack-post"})
    fake_api.route("POST", rf"/v23\.0/{comment_id}/comments", json={"id": "ack-comment"})
    assert deliver(client, fixture_bytes("meta", "facebook__mention_post")) == 200
    assert deliver(client, fixture_bytes("meta", "facebook__mention_comment")) == 200
    run_tasks()

    post_aduan = Aduan.objects.get(reporter_name="Sari Wulandari")
    assert post_aduan.category == "pencurian" and "Pasar Manggar" in post_aduan.text
    assert "Tautan: https://www.facebook.com/100089000000001/posts/" in post_aduan.text
    assert_clean_photos(post_aduan, 2)
    comment_aduan = Aduan.objects.get(reporter_name="Andi Pratama")
    assert "orang mabuk" in comment_aduan.text and comment_aduan.photos.count() == 0

    (post_lookup,) = fake_api.calls("GET", rf"/v23\.0/{post_id}")
    assert query(post_lookup) == {"fields": [adapter.FB_POST_FIELDS]}
    assert post_lookup.headers["Authorization"] == FB_TOKEN
    (comment_lookup,) = fake_api.calls("GET", rf"/v23\.0/{comment_id}")
    assert query(comment_lookup) == {"fields": [adapter.FB_COMMENT_FIELDS]}
    assert all("Authorization" not in r.headers for r in fake_api.calls("GET", r"/cdn/.*"))
    assert len(fake_api.calls("POST", rf"/v23\.0/{post_id}/comments")) == 1
    assert len(fake_api.calls("POST", rf"/v23\.0/{comment_id}/comments")) == 1

    assert deliver(client, compact(fixture_json("meta", "facebook__mention_post"))) == 200
    run_tasks()
    assert Aduan.objects.count() == 2
    assert len(fake_api.calls("GET", rf"/v23\.0/{post_id}")) == 1
    assert_in_console(client, officers["operator"], post_aduan, "Sari Wulandari", "facebook.com")


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_instagram_tags_poll_is_a_deduplicated_safety_net(
    client: Client, instagram_account: ChannelAccount, fake_api: FakeApi
) -> None:
    graph_answer(fake_api, rf"/v23\.0/{IG_ACCOUNT_ID}/tags", "graph__ig_tags")
    cdn_photo(fake_api, r"/cdn/scontent\.cdninstagram\.com/.*468000101_n\.jpg", "red")
    assert do_poll_tagged(instagram_account.pk, reschedule=False) == "polled: baru"
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.reporter_name == "warga_lalang" and "Jembatan" in aduan.text
    assert_clean_photos(aduan, 1)
    # "retak parah … bahaya" with a photo of it: at least tinggi (the text alone is sedang).
    assert aduan.priority == "tinggi"
    raised = aduan.audit_events.get(action="priority_raised")
    assert (raised.data["before"], raised.data["reason"]) == ("sedang", "foto")
    (poll,) = fake_api.calls("GET", rf"/v23\.0/{IG_ACCOUNT_ID}/tags")
    assert query(poll) == {"fields": [f"id,{adapter.IG_MEDIA_FIELDS}"], "limit": ["25"]}
    assert poll.headers["Authorization"] == IG_TOKEN
    # Meta does not allow comments on photos the account is only tagged in: no reply tried.
    assert not aduan.messages.filter(kind="public_reply").exists()
    assert aduan.conversation.public_comment_id == ""

    # Polled again (same page) and then mentioned by webhook: still one aduan.
    assert do_poll_tagged(instagram_account.pk, reschedule=False) == "polled: tidak ada yang baru"
    mention = fixture_json("meta", "instagram__mention_media")
    mention["entry"][0]["changes"][0]["value"]["media_id"] = "17920000000000101"
    assert deliver(client, compact(mention)) == 200
    run_tasks()
    assert Aduan.objects.count() == 1
    assert not fake_api.calls("GET", rf"/v23\.0/{IG_ACCOUNT_ID}")


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_facebook_tagged_poll(facebook_account: ChannelAccount, fake_api: FakeApi) -> None:
    graph_answer(fake_api, rf"/v23\.0/{FB_PAGE_ID}/tagged", "graph__fb_tagged")
    cdn_photo(fake_api, r"/cdn/scontent\.xx\.fbcdn\.net/.*469000004_n\.jpg", "red")
    post_id = "100089000000004_122140000000000004"
    fake_api.route("POST", rf"/v23\.0/{post_id}/comments", json={"id": "ack-tagged"})
    assert do_poll_tagged(facebook_account.pk, reschedule=False) == "polled: baru"
    run_tasks()
    aduan = Aduan.objects.get()
    assert aduan.reporter_name == "Dewi Lestari" and "banjir" in aduan.text
    assert_clean_photos(aduan, 1)
    (poll,) = fake_api.calls("GET", rf"/v23\.0/{FB_PAGE_ID}/tagged")
    assert query(poll) == {"fields": [f"id,{adapter.FB_POST_FIELDS}"], "limit": ["25"]}
    assert len(fake_api.calls("POST", rf"/v23\.0/{post_id}/comments")) == 1
    assert do_poll_tagged(facebook_account.pk, reschedule=False) == "polled: tidak ada yang baru"
    assert InboundEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(FIXTURE_DAY)
def test_praise_tag_goes_to_moderation_and_keeps_its_photo_when_converted(
    instagram_account: ChannelAccount, fake_api: FakeApi, officers: dict[str, Officer]
) -> None:
    from posko.channels.actions.moderation import do_convert_to_aduan
    from posko.channels.models import ModerationItem

    page = fixture_json("meta", "graph__ig_tags")
    page["data"][0]["caption"] = "Terima kasih Polres Beltim, pelayanannya ramah dan cepat 👍"
    body = via_fake_cdn(compact(page), fake_api.url)
    fake_api.route(
        "GET",
        rf"/v23\.0/{IG_ACCOUNT_ID}/tags",
        body=body,
        headers={"Content-Type": "application/json"},
    )
    cdn_photo(fake_api, r"/cdn/scontent\.cdninstagram\.com/.*468000101_n\.jpg", "red")
    do_poll_tagged(instagram_account.pk, reschedule=False)
    run_tasks()
    assert not Aduan.objects.exists()
    item = ModerationItem.objects.get()
    aduan = do_convert_to_aduan(item, acting_user=officers["operator"].user)
    assert_clean_photos(aduan, 1)
