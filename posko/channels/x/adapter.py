"""X (Twitter) API v2: mentions of the Polres account, polled with ``since_id`` (the polled
response page is stored raw as an event, like a webhook), or Account Activity webhook events
(``tweet_create_events``); replies with ``POST /2/tweets``. See doc.md."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx

from posko.channels.base import (
    Incoming,
    MalformedEvent,
    MediaRef,
    Parsed,
    SendError,
    as_dict,
    as_list,
    as_str,
    load_event_json,
)
from posko.channels.http import request_json
from posko.channels.media import api_path, media_hosts, safe_download

if TYPE_CHECKING:
    from posko.channels.models import ChannelAccount, OutboundDelivery

PLATFORM = "x"
MENTION_FIELDS = {
    "tweet.fields": "created_at,author_id,conversation_id,in_reply_to_user_id,attachments",
    "expansions": "author_id,attachments.media_keys",
    "user.fields": "username,name",
    "media.fields": "url,preview_image_url,type",
    "max_results": "100",
}
MAX_MEDIA_BYTES = 10 * 1024 * 1024


def _time(value: Any) -> Any:
    from datetime import UTC, datetime

    try:
        return datetime.fromisoformat(as_str(value).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)


def parse(body: bytes) -> Parsed:
    payload = load_event_json(body)
    if not isinstance(payload, dict):
        raise MalformedEvent("bukan objek JSON")
    parsed = Parsed()
    account_id = as_str(payload.get("for_user_id"), 40) or as_str(payload.get("_account"), 40)
    includes = as_dict(payload.get("includes"))
    users = {
        as_str(u.get("id"), 40): u for u in (as_dict(x) for x in as_list(includes.get("users")))
    }
    media = {
        as_str(m.get("media_key"), 80): m
        for m in (as_dict(x) for x in as_list(includes.get("media")))
    }
    for tweet in (as_dict(t) for t in as_list(payload.get("data"))):  # v2 mentions page
        author = as_str(tweet.get("author_id"), 40)
        tweet_id = as_str(tweet.get("id"), 40)
        if not author or not tweet_id or author == account_id:
            continue
        user = users.get(author, {})
        incoming = Incoming(
            platform=PLATFORM,
            account_external_id=account_id,
            external_id=tweet_id,
            sender_id=author,
            sender_name=as_str(user.get("name"), 200),
            sender_username=as_str(user.get("username"), 200),
            kind="mention",
            text=as_str(tweet.get("text")),
            reply_target=tweet_id,
            sent_at=_time(tweet.get("created_at")),
        )
        _attach_media(incoming, tweet, media)
        parsed.messages.append(incoming)
    for tweet in (as_dict(t) for t in as_list(payload.get("tweet_create_events"))):  # AAA
        user = as_dict(tweet.get("user"))
        author = as_str(user.get("id_str"), 40)
        tweet_id = as_str(tweet.get("id_str"), 40)
        if not author or not tweet_id or author == account_id:
            continue
        parsed.messages.append(
            Incoming(
                platform=PLATFORM,
                account_external_id=account_id,
                external_id=tweet_id,
                sender_id=author,
                sender_name=as_str(user.get("name"), 200),
                sender_username=as_str(user.get("screen_name"), 200),
                kind="mention",
                text=as_str(tweet.get("text")),
                reply_target=tweet_id,
            )
        )
    if not parsed.messages:
        parsed.skipped.append("tidak ada sebutan baru")
    return parsed


def describe_error(
    response: httpx.Response, body: dict[str, Any]
) -> tuple[str, bool, float | None]:
    detail = as_str(body.get("detail") or body.get("title"), 500)
    reset = response.headers.get("x-rate-limit-reset", "")
    retry_after = None
    if response.status_code == 429 and reset.isdigit():
        import time

        retry_after = max(1.0, float(reset) - time.time())
    return f"X: HTTP {response.status_code} {detail}".strip(), False, retry_after


def _auth(account: ChannelAccount, *, user_context: bool) -> dict[str, str]:
    credentials = account.credentials
    token = credentials.get("user_access_token") if user_context else None
    token = token or credentials.get("bearer_token", "")
    if not token:
        raise SendError("Token X belum diisi.", retryable=False)
    return {"Authorization": f"Bearer {token}"}


def fetch_mentions(http: httpx.Client, account: ChannelAccount) -> bytes:
    params = dict(MENTION_FIELDS)
    if account.cursor:
        params["since_id"] = account.cursor
    response = request_json(
        http,
        "GET",
        api_path(account.base_url, "2", "users", account.external_id, "mentions"),
        params=params,
        headers=_auth(account, user_context=False),
        describe_error=describe_error,
    )
    response["_account"] = account.external_id
    return json.dumps(response, separators=(",", ":")).encode()


def send(http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery) -> str:
    """A public reply to the citizen's post (X replies are public: no personal data)."""
    payload: dict[str, Any] = {"text": delivery.text[:280]}
    if delivery.reply_to:
        payload["reply"] = {"in_reply_to_tweet_id": delivery.reply_to}
    body = request_json(
        http,
        "POST",
        f"{account.base_url}/2/tweets",
        json=payload,
        headers=_auth(account, user_context=True),
        describe_error=describe_error,
    )
    tweet_id = as_str(as_dict(body.get("data")).get("id"), 40)
    if not tweet_id:
        raise SendError("Jawaban X tanpa id post.", retryable=False)
    return tweet_id


def post_route(source_id: str, author: str) -> dict[str, Any]:
    """A message to the author of a public post (a Polisi Virtual warning): a reply to that
    post, ``POST /2/tweets`` with ``reply.in_reply_to_tweet_id`` (X API v2, Manage Posts). A DM
    (``POST /2/dm_conversations/with/:participant_id/messages``) would need the author's user id
    and the author's permission to receive DMs, which a searched post does not give."""
    return {"kind": "comment_reply", "recipient": author or source_id, "reply_to": source_id}


def _attach_media(incoming: Incoming, tweet: dict[str, Any], media: dict[str, Any]) -> None:
    """Photos of the post (``includes.media`` via ``attachments.media_keys``) are downloaded;
    a video or GIF gives its preview image plus a link to the post."""
    keys = as_list(as_dict(tweet.get("attachments")).get("media_keys"))
    permalink = ""
    if incoming.sender_username:
        permalink = f"https://x.com/{incoming.sender_username}/status/{incoming.external_id}"
    has_video = False
    for item in (as_dict(media.get(as_str(k, 80))) for k in keys):
        kind = as_str(item.get("type"), 20)
        url = as_str(item.get("url") if kind == "photo" else item.get("preview_image_url"), 2000)
        if url.startswith(("https://", "http://")):  # host checked again when downloading
            incoming.media.append(
                MediaRef("image", url, caption="" if kind == "photo" else "thumbnail")
            )
        has_video = has_video or kind in ("video", "animated_gif")
    incoming.data["permalink"] = permalink
    if incoming.media:
        incoming.message_type = "image"
    if has_video and permalink:
        incoming.text = f"{incoming.text.strip()}\n\nVideo: {permalink}"
    elif incoming.media and permalink:
        incoming.text = f"{incoming.text.strip()}\n\nTautan: {permalink}"


def fetch_media(http: httpx.Client, account: ChannelAccount, ref: MediaRef) -> tuple[bytes, str]:
    """Photos from X's media CDN (``pbs.twimg.com``), without any token."""
    data, content_type = safe_download(
        http, ref.ref, allowed_hosts=media_hosts(PLATFORM), max_bytes=MAX_MEDIA_BYTES
    )
    return data, content_type or "image/jpeg"
