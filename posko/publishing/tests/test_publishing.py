"""Approval and publishing: the state machine, each platform's real publishing calls against
local fakes, and the rule that a publish whose outcome is unknown is never sent again."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi, Recorded, Reply
from posko.org.models import Officer
from posko.publishing.actions.common import PostError, derive_post_status, post_history
from posko.publishing.actions.compose import Draft, do_create_post
from posko.publishing.actions.review import (
    do_approve,
    do_confirm_published,
    do_publish_directly,
    do_reject,
    do_request_changes,
    do_retry_target,
    do_submit_for_review,
)
from posko.publishing.models import Post, PostKind, PostStatus, PostTarget, TargetStatus
from posko.publishing.tests.conftest import FB_PAGE_ID, IG_ACCOUNT_ID, TG_CHANNEL, TG_TOKEN, jpeg
from posko.publishing.tests.helpers import form, later, multipart, run_tasks_at

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

TRAFFIC_FIELDS = {
    "road": "Jl. Jenderal Sudirman, Manggar",
    "time_from": "Sabtu 07.00",
    "time_until": "Sabtu 12.00",
    "alternative_route": "Jl. Lintas Timur",
}
TEXT = (
    "INFO LALU LINTAS: Jl. Jenderal Sudirman Manggar ditutup Sabtu 07.00–12.00 untuk karnaval. "
    "Gunakan Jl. Lintas Timur."
)


def compose(
    officer: Officer, accounts: list[ChannelAccount], *, photos: int = 1, **kwargs: Any
) -> Post:
    draft = Draft(
        kind=kwargs.pop("kind", PostKind.TRAFFIC),
        text=kwargs.pop("text", TEXT),
        accounts=accounts,
        fields=kwargs.pop("fields", TRAFFIC_FIELDS),
        photos=[jpeg() for _ in range(photos)],
        **kwargs,
    )
    return do_create_post(officer.unit.polres, draft, acting_user=officer.user)  # type: ignore[arg-type]


def happy_routes(fake: FakeApi) -> None:
    fake.route(
        "POST", rf"/v23.0/{FB_PAGE_ID}/photos", json={"id": "901", "post_id": f"{FB_PAGE_ID}_902"}
    )
    fake.route("POST", rf"/v23.0/{IG_ACCOUNT_ID}/media", json={"id": "17890000000000001"})
    fake.route("GET", r"/v23.0/17890000000000001", json={"status_code": "FINISHED"})
    fake.route("GET", r"/v23.0/17890000000000001", json={"status_code": "IN_PROGRESS"}, times=1)
    fake.route("POST", rf"/v23.0/{IG_ACCOUNT_ID}/media_publish", json={"id": "17920000000000009"})
    fake.route(
        "GET",
        r"/v23.0/17920000000000009",
        json={"permalink": "https://www.instagram.com/p/DAbc123/", "id": "17920000000000009"},
    )
    fake.route("POST", r"/2/media/upload", json={"data": {"id": "1880000000000000001"}})
    fake.route(
        "POST", r"/2/tweets", status=201, json={"data": {"id": "1890000000000000002", "text": TEXT}}
    )
    fake.route(
        "POST", rf"/bot{TG_TOKEN}/sendPhoto", json={"ok": True, "result": {"message_id": 77}}
    )


@pytest.mark.django_db(transaction=True)
def test_traffic_advisory_publishes_at_its_time_and_a_timeout_is_never_resent(
    officers: dict[str, Officer],
    accounts: dict[str, ChannelAccount],
    fake_api: FakeApi,
    settings: Any,
) -> None:
    settings.POSKO_CHANNEL_HTTP_TIMEOUT = 0.5
    happy_routes(fake_api)

    def slow(request: Recorded) -> Reply:
        time.sleep(1.0)  # the tweet is created, but the answer comes too late
        return Reply(201, json={"data": {"id": "1890000000000000002"}})

    fake_api.route("POST", r"/2/tweets", slow)
    operator, kapolres = officers["operator"], officers["kapolres"]
    publish_at = later(hours=2)
    post = compose(operator, list(accounts.values()), publish_at=publish_at)
    assert post.status == PostStatus.DRAFT
    post = do_submit_for_review(post, acting_user=operator.user)
    with pytest.raises(PostError, match="pimpinan atau admin"):
        do_approve(post, acting_user=operator.user)
    post = do_approve(post, acting_user=kapolres.user)
    assert post.status == PostStatus.SCHEDULED
    assert set(post.targets.values_list("status", flat=True)) == {TargetStatus.SCHEDULED}

    run_tasks_at(timezone.now() + timedelta(minutes=5))  # not yet its time
    assert fake_api.requests == []

    run_tasks_at(publish_at + timedelta(seconds=5))
    targets = {t.platform: t for t in PostTarget.objects.filter(post=post)}
    assert targets["facebook"].status == TargetStatus.PUBLISHED
    assert targets["facebook"].external_id == f"{FB_PAGE_ID}_902"
    assert targets["instagram"].status == TargetStatus.PUBLISHED
    assert targets["instagram"].url == "https://www.instagram.com/p/DAbc123/"
    assert targets["telegram"].external_id == f"{TG_CHANNEL}:77"
    assert targets["telegram"].url == "https://t.me/humas_polres_beltim/77"
    assert targets["x"].status == TargetStatus.UNCONFIRMED
    assert "ReadTimeout" in targets["x"].error
    post.refresh_from_db()
    assert post.status == PostStatus.UNCONFIRMED

    # Exact requests. Facebook: one photo post with its caption, Page token.
    (fb,) = fake_api.calls("POST", rf"/v23.0/{FB_PAGE_ID}/photos")
    assert fb.headers["Authorization"] == "Bearer EAAP-uji-page-token"
    parts = multipart(fb)
    assert parts["caption"].decode() == TEXT and parts["published"] == b"true"
    assert parts["source"].startswith(b"\xff\xd8")  # the JPEG itself
    # Instagram: container with the public photo URL, polled until FINISHED, then published.
    (container,) = fake_api.calls("POST", rf"/v23.0/{IG_ACCOUNT_ID}/media")
    token = post.media.get().public_token
    assert form(container) == {
        "image_url": f"https://posko.polres-beltim.example/publikasi/foto/{token}/",
        "caption": TEXT,
    }
    polls = fake_api.calls("GET", r"/v23.0/17890000000000001")
    assert [p.path for p in polls] == ["/v23.0/17890000000000001?fields=status_code"] * 2
    (publish,) = fake_api.calls("POST", rf"/v23.0/{IG_ACCOUNT_ID}/media_publish")
    assert form(publish) == {"creation_id": "17890000000000001"}
    # X: media upload, then one create call with the media id.
    (upload,) = fake_api.calls("POST", r"/2/media/upload")
    assert multipart(upload)["media_category"] == b"tweet_image"
    (tweet,) = fake_api.calls("POST", r"/2/tweets")
    assert tweet.headers["Authorization"] == "Bearer x-uji-user-token"
    assert tweet.json() == {"text": TEXT, "media": {"media_ids": ["1880000000000000001"]}}
    # Telegram: one photo with caption to the channel.
    (photo,) = fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendPhoto")
    assert multipart(photo)["chat_id"].decode() == TG_CHANNEL
    assert multipart(photo)["caption"].decode() == TEXT

    # Nothing is re-sent: not later, not after the watchdog's lease.
    run_tasks_at(publish_at + timedelta(hours=3))
    assert len(fake_api.calls("POST", r"/2/tweets")) == 1
    assert len(fake_api.calls("POST", rf"/v23.0/{FB_PAGE_ID}/photos")) == 1

    # The operator finds the post on X and records its address.
    do_confirm_published(
        targets["x"],
        "https://x.com/humas_beltim/status/1890000000000000002",
        acting_user=operator.user,
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    actions = [a.removeprefix("post_") for a in post_history(post).values_list("action", flat=True)]
    for expected in (
        "created",
        "submitted",
        "approved",
        "scheduled",
        "published",
        "unconfirmed",
        "confirmed_published",
    ):
        assert expected in actions


@pytest.mark.django_db(transaction=True)
def test_5xx_after_send_is_unconfirmed_and_an_explicit_retry_sends_once_more(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount], fake_api: FakeApi
) -> None:
    fake_api.route("POST", rf"/bot{TG_TOKEN}/sendMessage", status=502, body=b"Bad Gateway")
    operator = officers["operator"]
    post = compose(
        operator,
        [accounts["telegram"]],
        photos=0,
        kind=PostKind.SECURITY_WARNING,
        fields={"area": "Desa Gantung", "what_to_do": "Kunci kendaraan."},
    )
    do_publish_directly(post, acting_user=operator.user)
    run_tasks_at(later(seconds=2))
    target = PostTarget.objects.get(post=post)
    assert target.status == TargetStatus.UNCONFIRMED
    run_tasks_at(later(hours=1))
    assert len(fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")) == 1

    fake_api.route(
        "POST", rf"/bot{TG_TOKEN}/sendMessage", json={"ok": True, "result": {"message_id": 5}}
    )
    do_retry_target(target, acting_user=operator.user)
    run_tasks_at(later(seconds=2))
    target.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED
    assert len(fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")) == 2
    assert json.loads(fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")[-1].body) == {
        "chat_id": TG_CHANNEL,
        "text": post.text,
    }


@pytest.mark.django_db(transaction=True)
def test_rate_limits_are_honoured_telegram_retry_after_and_x_reset(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount], fake_api: FakeApi
) -> None:
    fake_api.route(
        "POST", rf"/bot{TG_TOKEN}/sendMessage", json={"ok": True, "result": {"message_id": 9}}
    )
    fake_api.route(
        "POST",
        rf"/bot{TG_TOKEN}/sendMessage",
        status=429,
        json={
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 40",
            "parameters": {"retry_after": 40},
        },
        times=1,
    )
    fake_api.route("POST", r"/2/tweets", status=201, json={"data": {"id": "42"}})
    reset = int(time.time()) + 600
    fake_api.route(
        "POST",
        r"/2/tweets",
        status=429,
        headers={"x-rate-limit-reset": str(reset)},
        json={"title": "Too Many Requests", "detail": "Too Many Requests"},
        times=1,
    )
    operator, kapolres = officers["operator"], officers["kapolres"]
    post = compose(operator, [accounts["telegram"], accounts["x"]], photos=0)
    do_submit_for_review(post, acting_user=operator.user)
    do_approve(post, acting_user=kapolres.user)
    start = timezone.now()
    run_tasks_at(start + timedelta(seconds=1))
    tg = PostTarget.objects.get(post=post, platform="telegram")
    x = PostTarget.objects.get(post=post, platform="x")
    assert tg.status == x.status == TargetStatus.SCHEDULED
    assert tg.next_attempt_at is not None and x.next_attempt_at is not None
    assert timedelta(seconds=38) < tg.next_attempt_at - start < timedelta(seconds=45)
    assert timedelta(seconds=590) < x.next_attempt_at - start < timedelta(seconds=610)
    run_tasks_at(start + timedelta(seconds=30))  # still waiting
    assert len(fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")) == 1
    run_tasks_at(start + timedelta(seconds=700))
    tg.refresh_from_db()
    x.refresh_from_db()
    assert (tg.status, x.status) == (TargetStatus.PUBLISHED, TargetStatus.PUBLISHED)
    assert len(fake_api.calls("POST", r"/2/tweets")) == 2
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_instagram_50_posts_per_24_hours_defers_and_a_revoked_token_fails(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount], fake_api: FakeApi
) -> None:
    operator = officers["operator"]
    earlier = compose(operator, [accounts["instagram"]], kind=PostKind.EDUCATION, fields={})
    target = earlier.targets.get()
    now = timezone.now()
    for i in range(50):  # 50 published in the last 24 hours (the first 23 hours ago)
        PostTarget.objects.create(
            post=compose(
                operator, [accounts["facebook"]], photos=0, kind=PostKind.EDUCATION, fields={}
            ),
            account=accounts["instagram"],
            platform="instagram",
            status=TargetStatus.PUBLISHED,
            published_at=now - timedelta(hours=23) + timedelta(minutes=i),
        )
    do_publish_directly_denied = pytest.raises(PostError)
    with do_publish_directly_denied:
        do_publish_directly(earlier, acting_user=operator.user)  # not an urgent kind
    do_submit_for_review(earlier, acting_user=operator.user)
    do_approve(earlier, acting_user=officers["kapolres"].user)
    run_tasks_at(later(seconds=2))
    target.refresh_from_db()
    assert target.status == TargetStatus.SCHEDULED
    assert target.next_attempt_at is not None
    assert timedelta(minutes=59) < target.next_attempt_at - now < timedelta(minutes=62)
    assert fake_api.requests == []

    fake_api.route(
        "POST",
        rf"/v23.0/{IG_ACCOUNT_ID}/media",
        status=400,
        json={
            "error": {
                "message": "Error validating access token",
                "code": 190,
                "type": "OAuthException",
            }
        },
    )
    run_tasks_at(now + timedelta(minutes=62))
    target.refresh_from_db()
    assert target.status == TargetStatus.FAILED
    assert "hubungkan ulang akun" in target.error
    earlier.refresh_from_db()
    assert earlier.status == PostStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_connection_refused_before_sending_is_retried(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount], fake_api: FakeApi
) -> None:
    telegram = accounts["telegram"]
    telegram.api_base = "http://127.0.0.1:9"  # nothing listens: nothing was sent
    telegram.save(update_fields=["api_base"])
    operator = officers["operator"]
    post = compose(
        operator,
        [telegram],
        photos=0,
        kind=PostKind.SECURITY_WARNING,
        fields={"area": "Manggar", "what_to_do": "Waspada."},
    )
    do_publish_directly(post, acting_user=operator.user)
    run_tasks_at(later(seconds=1))
    target = post.targets.get()
    assert target.status == TargetStatus.SCHEDULED and target.attempts == 1
    assert "belum ada yang terkirim" in target.error


@pytest.mark.django_db
def test_review_needs_reasons_and_composers_cannot_approve_their_own(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    kapolres, operator = officers["kapolres"], officers["operator"]
    post = compose(operator, [accounts["facebook"]], photos=0)
    do_submit_for_review(post, acting_user=operator.user)
    with pytest.raises(PostError, match="Alasan wajib diisi"):
        do_request_changes(post, "  ", acting_user=kapolres.user)
    post = do_request_changes(post, "Tambahkan jam selesai.", acting_user=kapolres.user)
    assert post.status == PostStatus.CHANGES_REQUESTED and post.review_reason
    do_submit_for_review(post, acting_user=operator.user)
    with pytest.raises(PostError, match="Alasan wajib diisi"):
        do_reject(post, "", acting_user=kapolres.user)
    post = do_reject(post, "Sudah diumumkan kemarin.", acting_user=kapolres.user)
    assert post.status == PostStatus.REJECTED

    own = compose(kapolres, [accounts["facebook"]], photos=0)
    do_submit_for_review(own, acting_user=kapolres.user)
    with pytest.raises(PostError, match="penyusunnya sendiri"):
        do_approve(own, acting_user=kapolres.user)
    with pytest.raises(PostError, match="pimpinan atau admin"):
        do_approve(own, acting_user=officers["auditor"].user)


@pytest.mark.django_db
def test_variants_over_their_limit_cannot_be_submitted(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    operator = officers["operator"]
    post = compose(operator, [accounts["x"], accounts["telegram"]], text="a" * 1500)
    with pytest.raises(PostError) as caught:
        do_submit_for_review(post, acting_user=operator.user)
    assert sorted(caught.value.errors) == [
        "Telegram: keterangan foto paling banyak 1024 karakter (sekarang 1500). Tanpa foto "
        "batasnya 4096.",
        "X: teks paling banyak 280 karakter (sekarang 1500).",
    ]
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT
    with pytest.raises(PostError, match="Isian “Jalur alternatif” wajib diisi"):
        compose(operator, [accounts["x"]], fields={"road": "Jl. A", "time_from": "07.00"})


def test_post_status_is_derived_from_the_targets() -> None:
    s = TargetStatus
    assert derive_post_status([s.DRAFT]) is None
    assert derive_post_status([s.SCHEDULED, s.SCHEDULED]) == PostStatus.SCHEDULED
    assert derive_post_status([s.PUBLISHED, s.SCHEDULED]) == PostStatus.PUBLISHING
    assert derive_post_status([s.PUBLISHED, s.PUBLISHED]) == PostStatus.PUBLISHED
    assert derive_post_status([s.PUBLISHED, s.FAILED]) == PostStatus.PARTLY_PUBLISHED
    assert derive_post_status([s.PUBLISHED, s.UNCONFIRMED]) == PostStatus.UNCONFIRMED
    assert derive_post_status([s.FAILED, s.FAILED]) == PostStatus.FAILED


@pytest.mark.django_db(transaction=True)
@pytest.mark.database_queue
def test_a_lost_job_is_swept_up_and_a_duplicate_job_publishes_nothing(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount], fake_api: FakeApi
) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    fake_api.route(
        "POST", rf"/bot{TG_TOKEN}/sendMessage", json={"ok": True, "result": {"message_id": 3}}
    )
    operator = officers["operator"]
    post = compose(
        operator,
        [accounts["telegram"]],
        photos=0,
        kind=PostKind.SECURITY_WARNING,
        fields={"area": "Gantung", "what_to_do": "Waspada."},
    )
    do_publish_directly(post, acting_user=operator.user)
    DBTaskResult.objects.all().delete()  # the job is lost
    out = StringIO()
    with time_machine.travel(later(minutes=10), tick=True):
        call_command("publishing", "sweep", stdout=out)
        call_command("publishing", "sweep", stdout=out)  # twice: two jobs, one key
    assert "1 tugas terbit dijadwalkan ulang." in out.getvalue()
    run_tasks_at(later(minutes=11))
    assert post.targets.get().status == TargetStatus.PUBLISHED
    assert len(fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")) == 1


@pytest.mark.django_db(transaction=True)
def test_results_are_pulled_back_an_hour_after_publishing(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount], fake_api: FakeApi
) -> None:
    fake_api.route("POST", rf"/v23.0/{FB_PAGE_ID}/feed", json={"id": f"{FB_PAGE_ID}_55"})
    fake_api.route("POST", r"/2/tweets", status=201, json={"data": {"id": "1999"}})
    fake_api.route(
        "GET",
        rf"/v23.0/{FB_PAGE_ID}_55",
        json={
            "reactions": {"data": [], "summary": {"total_count": 41}},
            "comments": {"data": [], "summary": {"total_count": 7}},
            "shares": {"count": 12},
            "id": f"{FB_PAGE_ID}_55",
        },
    )
    fake_api.route(
        "GET",
        r"/2/tweets/1999",
        json={
            "data": {
                "id": "1999",
                "public_metrics": {
                    "like_count": 9,
                    "reply_count": 2,
                    "retweet_count": 3,
                    "quote_count": 1,
                    "impression_count": 480,
                },
            }
        },
    )
    operator = officers["operator"]
    post = compose(
        operator,
        [accounts["facebook"], accounts["x"]],
        photos=0,
        kind=PostKind.SECURITY_WARNING,
        fields={"area": "Manggar", "what_to_do": "Waspada."},
    )
    do_publish_directly(post, acting_user=operator.user)
    run_tasks_at(later(seconds=2))
    assert fake_api.calls("GET", r"/2/tweets/1999") == []  # not yet
    run_tasks_at(later(hours=1, minutes=1))
    (fb,) = fake_api.calls("GET", rf"/v23.0/{FB_PAGE_ID}_55")
    assert "fields=reactions.summary%28total_count%29" in fb.path
    (x,) = fake_api.calls("GET", r"/2/tweets/1999")
    assert x.path == "/2/tweets/1999?tweet.fields=public_metrics"
    results = {t.platform: t.results for t in post.targets.all()}
    assert results == {
        "facebook": {"reactions": 41, "comments": 7, "shares": 12},
        "x": {"reactions": 9, "comments": 2, "shares": 4, "views": 480},
    }
