"""Polled ingestion against local fake servers speaking the platforms' documented formats:
X recent search (since_id), Telegram getUpdates (offset; public chats only), RSS and Atom;
each a self-re-enqueueing task, deduplicated per source id."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from posko.channels.actions.accounts import do_save_account
from posko.channels.conftest import TG_TOKEN
from posko.channels.models import ChannelAccount, Platform
from posko.channels.testing import FakeApi, Recorded, Reply
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit
from posko.patrol.actions.feeds import do_poll_feed, parse_feed
from posko.patrol.actions.watch_admin import do_save_feed, do_save_watchlist
from posko.patrol.models import Feed, FeedKind, PublicPost, Watchlist

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

SEARCH = r"/2/tweets/search/recent"


def _x_page(ids: list[str], newest: str | None) -> dict[str, object]:
    """The documented response of GET /2/tweets/search/recent (with author expansion)."""
    return {
        "data": [
            {
                "id": i,
                "text": f"Katanya ada penculikan anak di Manggar #{i}",
                "author_id": "42",
                "created_at": "2026-03-01T10:00:00.000Z",
                "public_metrics": {
                    "retweet_count": 3,
                    "reply_count": 1,
                    "like_count": 10,
                    "quote_count": 0,
                    "impression_count": 1500,
                },
                "lang": "in",
            }
            for i in ids
        ],
        "includes": {"users": [{"id": "42", "username": "warga_manggar", "name": "Warga"}]},
        "meta": {
            "newest_id": newest,
            "oldest_id": ids[-1] if ids else None,
            "result_count": len(ids),
        },
    }


@pytest.fixture
def x_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.X,
        external_id="999000111",
        slug="blt-x",
        api_base=fake_api.url,
        credentials={"bearer_token": "x-app-bearer"},
    )


@pytest.mark.django_db(transaction=True)
def test_x_recent_search_per_watchlist_with_since_id(
    officers: dict[str, Officer], x_account: ChannelAccount, fake_api: FakeApi
) -> None:
    pages = iter([_x_page(["1002", "1001"], "1002"), _x_page(["1003", "1002"], "1003")])
    fake_api.route("GET", SEARCH, lambda r: Reply(json=next(pages)))
    op = officers["operator"].user
    w = do_save_watchlist(
        None,
        acting_user=op,
        fields={"name": "Penculikan", "keywords": ["penculikan anak"], "hashtags": ["#manggar"]},
    )
    feed = do_save_feed(
        None,
        acting_user=op,
        fields={"kind": FeedKind.X_SEARCH, "name": "X", "watchlist": w, "account": x_account},
    )
    run_tasks()  # the chain's first run (enqueued when the feed was switched on)
    first = fake_api.calls("GET", SEARCH)
    assert len(first) == 1  # the next run is scheduled, not due yet
    q = parse_qs(urlsplit(first[0].path).query)
    assert q["query"] == ['("penculikan anak" OR #manggar) -is:retweet'] and "since_id" not in q
    assert first[0].headers["Authorization"] == "Bearer x-app-bearer"
    post = PublicPost.objects.get(source_id="1001")
    assert post.author == "warga_manggar" and post.reach == 1500
    assert post.url == "https://x.com/warga_manggar/status/1001"
    feed.refresh_from_db()
    assert feed.cursor == "1002" and feed.last_result == "2 dibaca, 2 baru"

    assert do_poll_feed(feed.pk) == "2 dibaca, 1 baru"  # 1002 seen before
    q = parse_qs(urlsplit(fake_api.calls("GET", SEARCH)[1].path).query)
    assert q["since_id"] == ["1002"]
    assert PublicPost.objects.filter(source="x").count() == 3


@pytest.mark.django_db(transaction=True)
def test_only_the_chains_current_link_polls_and_a_disabled_feed_stops(
    officers: dict[str, Officer], x_account: ChannelAccount, fake_api: FakeApi
) -> None:
    from posko.core.chains import ensure_chain
    from posko.core.models import TaskChain
    from posko.patrol.actions.feeds import feed_chain

    fake_api.route("GET", SEARCH, json=_x_page([], None))
    w = Watchlist.objects.create(polres=x_account.polres, name="W", keywords=["begal"])
    feed = Feed.objects.create(
        polres=x_account.polres, kind=FeedKind.X_SEARCH, name="X", watchlist=w, account=x_account
    )
    assert do_poll_feed(feed.pk) == "0 dibaca, 0 baru"  # a single poll (CLI): no chain
    assert not TaskChain.objects.exists()
    assert ensure_chain(feed_chain(feed.pk))
    token = TaskChain.objects.get().token
    assert do_poll_feed(feed.pk, "an-older-link") == "stale chain link"
    assert do_poll_feed(feed.pk, token) == "0 dibaca, 0 baru"
    assert do_poll_feed(feed.pk, token) == "stale chain link"  # the chain moved on
    Feed.objects.filter(pk=feed.pk).update(enabled=False)
    assert do_poll_feed(feed.pk, TaskChain.objects.get().token) == "inactive"
    assert TaskChain.objects.get().next_run_at is None


@pytest.mark.django_db(transaction=True)
def test_x_error_is_recorded_not_raised(
    x_account: ChannelAccount, fake_api: FakeApi, polres: Unit
) -> None:
    fake_api.route("GET", SEARCH, status=429, json={"title": "Too Many Requests"})
    w = Watchlist.objects.create(polres=polres, name="W", keywords=["begal"])
    feed = Feed.objects.create(
        polres=polres, kind=FeedKind.X_SEARCH, name="X", watchlist=w, account=x_account
    )
    assert do_poll_feed(feed.pk) == "error: HTTP 429"
    assert not PublicPost.objects.exists()


def _updates(r: Recorded) -> Reply:
    offset = parse_qs(urlsplit(r.path).query).get("offset", ["0"])[0]
    if offset != "0":
        return Reply(json={"ok": True, "result": []})
    return Reply(
        json={
            "ok": True,
            "result": [
                {
                    "update_id": 500,
                    "channel_post": {
                        "message_id": 77,
                        "chat": {
                            "id": -1001,
                            "type": "channel",
                            "title": "Info Beltim",
                            "username": "infobeltim",
                        },
                        "date": 1772359200,
                        "text": "Beredar kabar air PDAM Manggar beracun",
                        "views": 2300,
                    },
                },
                {
                    "update_id": 501,
                    "message": {
                        "message_id": 9,
                        "from": {"id": 5, "is_bot": False, "first_name": "Ani", "username": "ani"},
                        "chat": {"id": 5, "type": "private", "first_name": "Ani"},
                        "date": 1772359260,
                        "text": "halo min",
                    },
                },
                {
                    "update_id": 502,
                    "message": {
                        "message_id": 31,
                        "from": {
                            "id": 6,
                            "is_bot": False,
                            "first_name": "Budi",
                            "username": "budi_b",
                        },
                        "chat": {"id": -2002, "type": "supergroup", "title": "Warga Gantung"},
                        "date": 1772359320,
                        "caption": "foto razia di simpang",
                    },
                },
            ],
        }
    )


@pytest.mark.django_db(transaction=True)
def test_telegram_public_groups_and_channels_through_get_updates(
    polres: Unit, fake_api: FakeApi
) -> None:
    account = do_save_account(
        polres,
        Platform.TELEGRAM,
        external_id=TG_TOKEN.split(":")[0],
        slug="blt-patroli-tg",
        api_base=fake_api.url,
        credentials={"bot_token": TG_TOKEN},
    )
    path = rf"/bot{TG_TOKEN}/getUpdates"
    fake_api.route("GET", path, _updates)
    feed = Feed.objects.create(polres=polres, kind=FeedKind.TELEGRAM, name="TG", account=account)
    assert do_poll_feed(feed.pk) == "2 dibaca, 2 baru"  # the private chat is not
    channel = PublicPost.objects.get(source_id="-1001:77")
    assert channel.url == "https://t.me/infobeltim/77" and channel.reach == 2300
    assert PublicPost.objects.get(source_id="-2002:31").author == "budi_b"
    feed.refresh_from_db()
    assert feed.cursor == "503"
    assert do_poll_feed(feed.pk) == "0 dibaca, 0 baru"
    q = parse_qs(urlsplit(fake_api.calls("GET", path)[1].path).query)
    assert q["offset"] == ["503"] and "channel_post" in q["allowed_updates"][0]


RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Berita Beltim</title>
<item><title>Warga resah isu penculikan anak</title><link>https://berita.test/a/1</link>
<guid>https://berita.test/a/1</guid><description>Polisi membantah isu.</description>
<pubDate>Sun, 01 Mar 2026 09:00:00 +0700</pubDate></item>
<item><title>Harga lada naik</title><link>https://berita.test/a/2</link>
<pubDate>Sun, 01 Mar 2026 10:00:00 +0700</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Portal</title>
<entry><id>tag:portal.test,2026:9</id><title>Jalan rusak di Gantung</title>
<link href="https://portal.test/9"/><updated>2026-03-01T03:00:00Z</updated>
<summary>Warga mengeluh.</summary><author><name>Redaksi</name></author></entry>
</feed>"""


@pytest.mark.django_db(transaction=True)
def test_rss_and_atom_feeds_of_local_news(polres: Unit, fake_api: FakeApi) -> None:
    fake_api.route("GET", "/rss.xml", body=RSS, headers={"Content-Type": "application/rss+xml"})
    fake_api.route("GET", "/atom.xml", body=ATOM, headers={"Content-Type": "application/atom+xml"})
    rss = Feed.objects.create(
        polres=polres, kind=FeedKind.RSS, name="R", url=f"{fake_api.url}/rss.xml"
    )
    atom = Feed.objects.create(
        polres=polres, kind=FeedKind.RSS, name="A", url=f"{fake_api.url}/atom.xml"
    )
    assert do_poll_feed(rss.pk) == "2 dibaca, 2 baru"
    assert do_poll_feed(rss.pk) == "2 dibaca, 0 baru"
    assert do_poll_feed(atom.pk) == "1 dibaca, 1 baru"
    first = PublicPost.objects.get(source_id="https://berita.test/a/1")
    assert first.text == "Warga resah isu penculikan anak. Polisi membantah isu."
    assert first.posted_at.isoformat() == "2026-03-01T02:00:00+00:00"
    entry = PublicPost.objects.get(source_id="tag:portal.test,2026:9")
    assert entry.author == "Redaksi" and entry.url == "https://portal.test/9"


def test_a_broken_feed_is_a_clear_error() -> None:
    from posko.patrol.actions.feeds import FeedError

    with pytest.raises(FeedError, match="Bukan RSS/Atom"):
        parse_feed(b"<rss><channel><item>")


@pytest.mark.django_db
def test_feed_admin_checks_polres_and_role(
    officers: dict[str, Officer], other_polres: Unit
) -> None:
    from posko.patrol.actions.claims import PatrolPermissionDenied
    from posko.patrol.actions.watch_admin import WatchError

    with pytest.raises(PatrolPermissionDenied):
        do_save_feed(
            None,
            acting_user=officers["samapta"].user,
            fields={"kind": "rss", "url": "https://a.test/"},
        )
    with pytest.raises(WatchError):
        do_save_feed(
            None, acting_user=officers["satreskrim"].user, fields={"kind": "rss", "url": ""}
        )
    foreign = Watchlist.objects.create(polres=other_polres, name="lain", keywords=["x"])
    with pytest.raises(PatrolPermissionDenied):
        do_save_watchlist(
            foreign, acting_user=officers["operator"].user, fields={"name": "a", "keywords": ["b"]}
        )
    assert not Feed.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_poll_and_detect_spikes_commands(polres: Unit, fake_api: FakeApi) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    fake_api.route("GET", "/rss.xml", body=RSS)
    Feed.objects.create(polres=polres, kind=FeedKind.RSS, name="R", url=f"{fake_api.url}/rss.xml")
    out = StringIO()
    call_command("patrol", "poll", "--polres", "BLT", stdout=out)
    assert out.getvalue() == "R: 2 dibaca, 2 baru\n"
    out = StringIO()
    call_command("patrol", "detect-spikes", "--polres", "BLT", stdout=out)
    assert out.getvalue().endswith("0 new alerts\n")
    with pytest.raises(CommandError, match="needs a FILE"):
        call_command("patrol", "import-posts", "--polres", "BLT")
