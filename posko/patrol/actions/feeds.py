"""Polled sources of public posts: X recent search per watchlist (``since_id``), Telegram
groups and channels a bot is in (``getUpdates`` with an offset), RSS/Atom feeds of local news.

Each feed's schedule is a self-re-enqueueing task chain (``poll_feed``, ``posko.core.chains``):
a run polls once, stores the new posts (deduplicated per source id), moves the feed's cursor
and enqueues the next run with ``run_after`` = now + the Polres's ``poll_seconds``. The chain's
row (key ``patrol.poll_feed:<id>``) names the current link: a stale link stops, and a lost
chain is restarted once by ``ensure_chains`` (worker start and every few minutes)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.db import transaction
from django.utils import timezone

from posko.channels.base import SendError
from posko.channels.http import client, request_json
from posko.core import chains
from posko.patrol.actions.posts import ingest_rows
from posko.patrol.actions.settings import settings_for
from posko.patrol.models import Feed, FeedKind, Watchlist

X_FIELDS = {
    "tweet.fields": "created_at,author_id,public_metrics,lang",
    "expansions": "author_id",
    "user.fields": "username",
    "max_results": "100",
}
TELEGRAM_PUBLIC = {"group", "supergroup", "channel"}
MAX_FEED_BYTES = 5 * 1024 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"


class FeedError(ValueError):
    pass


def x_query(watchlist: Watchlist | None) -> str:
    """The recent-search query of a watchlist: its phrases, hashtags and accounts OR-ed,
    retweets left out (they are the same text; reach is read from the original)."""
    if watchlist is None:
        raise FeedError("Pencarian X membutuhkan daftar pantau.")
    terms = [f'"{k}"' if " " in str(k) else str(k) for k in watchlist.keywords]
    terms += [f"#{str(h).lstrip('#')}" for h in watchlist.hashtags]
    terms += [f"from:{str(a).lstrip('@')}" for a in watchlist.accounts]
    if not terms:
        raise FeedError("Daftar pantau belum berisi kata kunci, tagar atau akun.")
    return f"({' OR '.join(terms)}) -is:retweet"[:512]


def _reach(metrics: dict[str, Any]) -> int:
    if metrics.get("impression_count"):
        return int(metrics["impression_count"])
    keys = ("retweet_count", "reply_count", "like_count", "quote_count")
    return sum(int(metrics.get(k) or 0) for k in keys)


def fetch_x(http: httpx.Client, feed: Feed) -> tuple[list[dict[str, Any]], str]:
    """``GET /2/tweets/search/recent`` (bearer token of the feed's X account)."""
    if feed.account is None or not feed.account.credentials.get("bearer_token"):
        raise FeedError("Akun X dengan bearer token belum dipilih.")
    params = {**X_FIELDS, "query": x_query(feed.watchlist)}
    if feed.cursor:
        params["since_id"] = feed.cursor
    body = request_json(
        http,
        "GET",
        f"{feed.account.base_url}/2/tweets/search/recent",
        params=params,
        headers={"Authorization": f"Bearer {feed.account.credentials['bearer_token']}"},
    )
    users = {u.get("id"): u.get("username", "") for u in body.get("includes", {}).get("users", [])}
    rows = []
    for t in body.get("data") or []:
        handle = users.get(t.get("author_id"), "")
        rows.append(
            {
                "source": "x",
                "source_id": t["id"],
                "author": handle,
                "text": t.get("text", ""),
                "url": f"https://x.com/{handle or 'i'}/status/{t['id']}",
                "posted_at": t.get("created_at"),
                "reach": _reach(t.get("public_metrics") or {}),
            }
        )
    newest = str(body.get("meta", {}).get("newest_id") or feed.cursor)
    return rows, newest


def _telegram_row(update: dict[str, Any]) -> dict[str, Any] | None:
    msg = update.get("channel_post") or update.get("message") or {}
    chat = msg.get("chat") or {}
    text = msg.get("text") or msg.get("caption") or ""
    if chat.get("type") not in TELEGRAM_PUBLIC or not text:
        return None  # private chats are the inbox's, not the patrol's
    handle = chat.get("username") or ""
    sender = (msg.get("from") or {}).get("username") or msg.get("author_signature") or ""
    return {
        "source": "telegram",
        "source_id": f"{chat.get('id')}:{msg.get('message_id')}",
        "author": sender or handle or str(chat.get("title") or ""),
        "text": text,
        "url": f"https://t.me/{handle}/{msg.get('message_id')}" if handle else "",
        "posted_at": datetime.fromtimestamp(int(msg.get("date") or 0), tz=UTC).isoformat()
        if msg.get("date")
        else None,
        "reach": int(msg.get("views") or 0),
        "place": "",
    }


def fetch_telegram(http: httpx.Client, feed: Feed) -> tuple[list[dict[str, Any]], str]:
    """``getUpdates`` of a bot without a webhook (Telegram refuses both at once)."""
    token = feed.account.credentials.get("bot_token", "") if feed.account else ""
    if not token or feed.account is None:
        raise FeedError("Akun bot Telegram belum dipilih.")
    params = {
        "timeout": "0",
        "allowed_updates": json.dumps(["message", "channel_post"]),
    }
    if feed.cursor:
        params["offset"] = feed.cursor
    body = request_json(
        http, "GET", f"{feed.account.base_url}/bot{token}/getUpdates", params=params
    )
    updates = body.get("result") or []
    rows = [r for r in (_telegram_row(u) for u in updates) if r is not None]
    cursor = str(max(int(u["update_id"]) for u in updates) + 1) if updates else feed.cursor
    return rows, cursor


def _text(el: ET.Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _rss_time(raw: str) -> str | None:
    if not raw:
        return None
    try:
        return parsedate_to_datetime(raw).isoformat()
    except (TypeError, ValueError):
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
        except ValueError:
            return None


def parse_feed(data: bytes) -> list[dict[str, Any]]:
    """RSS 2.0 items or Atom entries as post rows (title + summary as the text)."""
    try:
        root = ET.fromstring(data)  # noqa: S314 - expat limits entity expansion
    except ET.ParseError as exc:
        raise FeedError(f"Bukan RSS/Atom yang sah: {exc}") from None
    rows = []
    for item in root.iter("item"):
        link = _text(item.find("link"))
        rows.append(
            {
                "source": "rss",
                "source_id": _text(item.find("guid")) or link,
                "author": _text(item.find("author")),
                "text": f"{_text(item.find('title'))}. {_text(item.find('description'))}",
                "url": link,
                "posted_at": _rss_time(_text(item.find("pubDate"))),
            }
        )
    for entry in root.iter(f"{ATOM}entry"):
        link_el = entry.find(f"{ATOM}link")
        link = (link_el.get("href") or "") if link_el is not None else ""
        summary = _text(entry.find(f"{ATOM}summary")) or _text(entry.find(f"{ATOM}content"))
        rows.append(
            {
                "source": "rss",
                "source_id": _text(entry.find(f"{ATOM}id")) or link,
                "author": _text(entry.find(f"{ATOM}author/{ATOM}name")),
                "text": f"{_text(entry.find(f'{ATOM}title'))}. {summary}",
                "url": link,
                "posted_at": _rss_time(
                    _text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated"))
                ),
            }
        )
    return [r for r in rows if r["source_id"] and str(r["text"]).strip(". ")]


def fetch_rss(http: httpx.Client, feed: Feed) -> tuple[list[dict[str, Any]], str]:
    try:
        response = http.get(feed.url)
    except httpx.HTTPError as exc:
        raise SendError(f"Gagal terhubung: {exc.__class__.__name__}", retryable=True) from exc
    if not response.is_success:
        raise SendError(f"HTTP {response.status_code}", retryable=response.status_code >= 500)
    if len(response.content) > MAX_FEED_BYTES:
        raise FeedError("Umpan terlalu besar.")
    return parse_feed(response.content), feed.cursor


FETCHERS = {FeedKind.X_SEARCH: fetch_x, FeedKind.TELEGRAM: fetch_telegram, FeedKind.RSS: fetch_rss}


def _start_poll(feed_id: int, token: str, run_at: datetime) -> object:
    from posko.patrol.tasks import poll_feed

    return poll_feed.using(run_after=run_at).enqueue(feed_id, token)


def feed_chain(feed_id: int) -> chains.ChainSpec:
    """The polling chain of one feed (first link: now)."""
    return chains.ChainSpec(
        f"patrol.poll_feed:{feed_id}",
        lambda token, run_at: _start_poll(feed_id, token, run_at),
        timezone.now,
    )


def feed_chains() -> list[chains.ChainSpec]:
    """Every enabled feed has a chain (registered with ``core.chains`` by the patrol app)."""
    return [feed_chain(pk) for pk in Feed.objects.filter(enabled=True).values_list("pk", flat=True)]


def _claim_poll(feed_id: int, now: datetime) -> Feed | None:
    with transaction.atomic():
        feed = (
            Feed.objects.select_for_update(of=("self",))
            .select_related("polres", "watchlist", "account")
            .filter(pk=feed_id, enabled=True)
            .first()
        )
        if feed is None:
            return None
        feed.last_polled_at = now
        feed.save(update_fields=["last_polled_at"])
    return feed


def do_poll_feed(feed_id: int, token: str | None = None) -> str:
    """Poll one feed once; store new posts and the cursor in one transaction. With the
    chain's ``token`` (the ``poll_feed`` task) the next poll is enqueued after it; without,
    it is a single poll (``posko patrol poll``)."""
    spec = feed_chain(feed_id)
    if token is not None and not chains.begin(spec.key, token):
        return "stale chain link"
    now = timezone.now()
    feed = _claim_poll(feed_id, now)
    if feed is None:
        if token is not None:
            chains.stop(spec.key, token, "inactive")
        return "inactive"
    try:
        with client() as http:
            rows, cursor = FETCHERS[FeedKind(feed.kind)](http, feed)
    except (SendError, FeedError) as exc:
        result = f"error: {getattr(exc, 'reason', None) or exc}"
    else:
        with transaction.atomic():
            created = ingest_rows(feed.polres, rows)
            Feed.objects.filter(pk=feed.pk).update(cursor=cursor)
        result = f"{len(rows)} dibaca, {created} baru"
    Feed.objects.filter(pk=feed.pk).update(last_result=result[:300])
    if token is not None:
        interval = timedelta(seconds=settings_for(feed.polres).poll_seconds)
        chains.advance(spec.key, token, spec.start, now + interval, result)
    return result
