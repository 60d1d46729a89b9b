"""Instagram and Facebook Page (Meta Graph API webhooks on ``/hooks/meta/``).

Inbound: Instagram DMs and Messenger DMs (``entry[].messaging[]``), Instagram comments and
mentions (``changes[].field`` ``comments``/``live_comments``/``mentions``), Page feed comments
(``field: feed``, ``item: comment``, ``verb: add``); Messenger ``delivery`` and Instagram
``read`` receipts update our messages. Outbound: Send API (DM, private reply to a comment),
public comment replies, hiding a comment. See doc.md."""

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
    StatusUpdate,
    as_dict,
    as_list,
    as_str,
    load_event_json,
    unix_time,
)
from posko.channels.http import request_json
from posko.channels.media import api_path, media_hosts, safe_download, valid_id

if TYPE_CHECKING:
    from posko.channels.models import ChannelAccount, OutboundDelivery

OBJECTS = {"instagram": "instagram", "page": "facebook"}
RETRYABLE_CODES = {1, 2, 4, 17, 32, 341, 613}
MAX_MEDIA_BYTES = 25 * 1024 * 1024
ATTACHMENT_TYPES = {"image": "image", "video": "video", "audio": "audio", "file": "document"}
# Graph API fields read for a mention or tag (Instagram media / comment, Facebook post / comment).
IG_MEDIA_FIELDS = (
    "caption,media_type,media_url,thumbnail_url,permalink,timestamp,username,"
    "children{media_url,media_type,thumbnail_url}"
)
IG_COMMENT_FIELDS = "text,timestamp,username,media{permalink}"
FB_POST_FIELDS = (
    "message,permalink_url,created_time,from,attachments{media_type,media,url,subattachments}"
)
FB_COMMENT_FIELDS = "message,permalink_url,created_time,from,attachment"
PLACEHOLDER = "(Akun Polres disebut/di-tag; isi belum dapat diambil dari platform.)"


def parse(body: bytes) -> Parsed:
    payload = load_event_json(body)
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("object"), str)
        or payload["object"] not in OBJECTS
    ):
        raise MalformedEvent("bukan peristiwa instagram/page")
    platform = OBJECTS[payload["object"]]
    parsed = Parsed()
    if payload.get("polled") in ("tags", "tagged"):
        _polled(parsed, platform, payload)
        return parsed
    for entry in as_list(payload.get("entry")):
        entry = as_dict(entry)
        account_id = as_str(entry.get("id"), 200)
        if not account_id:
            continue
        for event in as_list(entry.get("messaging")):
            _messaging(parsed, platform, account_id, as_dict(event))
        for change in as_list(entry.get("changes")):
            change = as_dict(change)
            _change(
                parsed,
                platform,
                account_id,
                as_str(change.get("field")),
                as_dict(change.get("value")),
                entry.get("time"),
            )
    return parsed


def _messaging(parsed: Parsed, platform: str, account_id: str, event: dict[str, Any]) -> None:
    sender = as_str(as_dict(event.get("sender")).get("id"), 200)
    message = as_dict(event.get("message"))
    if delivery := as_dict(event.get("delivery")):
        for mid in as_list(delivery.get("mids")):
            if mid := as_str(mid, 200):
                parsed.statuses.append(StatusUpdate(platform, account_id, mid, "delivered"))
        return
    if read := as_dict(event.get("read")):
        if mid := as_str(read.get("mid"), 200):  # Instagram marks one message as seen
            parsed.statuses.append(StatusUpdate(platform, account_id, mid, "read"))
        else:
            parsed.skipped.append("read watermark")
        return
    if not message or message.get("is_echo") is True or not sender or sender == account_id:
        parsed.skipped.append("messaging tanpa pesan warga")
        return
    mid = as_str(message.get("mid"), 200)
    if not mid:
        return
    incoming = Incoming(
        platform=platform,
        account_external_id=account_id,
        external_id=mid,
        sender_id=sender,
        text=as_str(message.get("text")),
        sent_at=unix_time(event.get("timestamp")),
    )
    for attachment in as_list(message.get("attachments")):
        attachment = as_dict(attachment)
        media_type = ATTACHMENT_TYPES.get(as_str(attachment.get("type")))
        url = as_str(as_dict(attachment.get("payload")).get("url"), 2000)
        if media_type and url.startswith("https://"):
            incoming.media.append(MediaRef(media_type, url))
    if incoming.media and not incoming.text:
        incoming.message_type = incoming.media[0].media_type
    if incoming.text.strip() or incoming.media:
        parsed.messages.append(incoming)
    else:
        parsed.skipped.append("jenis pesan tidak didukung")


def _change(
    parsed: Parsed, platform: str, account_id: str, field: str, value: dict[str, Any], time: Any
) -> None:
    if platform == "instagram" and field in ("comments", "live_comments"):
        _comment(
            parsed,
            platform,
            account_id,
            value,
            comment_id=as_str(value.get("id"), 200),
            text=as_str(value.get("text")),
            sent_at=time,
            data={
                "media_id": as_str(as_dict(value.get("media")).get("id"), 200),
                "parent_id": as_str(value.get("parent_id"), 200),
            },
        )
    elif platform == "instagram" and field == "mentions":
        comment_id = as_str(value.get("comment_id"), 200)
        media_id = as_str(value.get("media_id"), 200)
        if not (comment_id or media_id):
            return
        # The webhook carries ids only: ``complete`` fetches caption, author, link and photos
        # through the Graph API before the message is ingested.
        parsed.messages.append(_mention(platform, account_id, media_id, comment_id, time))
    elif platform == "facebook" and field == "mention":
        _page_mention(parsed, account_id, value, time)
    elif platform == "facebook" and field == "feed":
        if value.get("item") != "comment" or value.get("verb") != "add":
            parsed.skipped.append(f"feed {as_str(value.get('item'))}/{as_str(value.get('verb'))}")
            return
        _comment(
            parsed,
            platform,
            account_id,
            value,
            comment_id=as_str(value.get("comment_id"), 200),
            text=as_str(value.get("message")),
            sent_at=value.get("created_time") or time,
            data={
                "post_id": as_str(value.get("post_id"), 200),
                "parent_id": as_str(value.get("parent_id"), 200),
            },
        )


def _comment(
    parsed: Parsed,
    platform: str,
    account_id: str,
    value: dict[str, Any],
    *,
    comment_id: str,
    text: str,
    sent_at: Any,
    data: dict[str, str],
) -> None:
    """A comment on an Instagram media or a Facebook Page post: Instagram names its author by
    ``username``, Facebook by ``name``; the Page's or account's own comments are skipped."""
    sender = as_dict(value.get("from"))
    sender_id = as_str(sender.get("id"), 200)
    if not comment_id or not sender_id or sender_id == account_id:
        parsed.skipped.append("komentar tanpa pengirim / komentar sendiri")
        return
    parsed.messages.append(
        Incoming(
            platform=platform,
            account_external_id=account_id,
            external_id=comment_id,
            sender_id=sender_id,
            sender_username=as_str(sender.get("username"), 200),
            sender_name=as_str(sender.get("name"), 200),
            kind="comment",
            text=text,
            reply_target=comment_id,
            sent_at=unix_time(sent_at),
            data=data,
        )
    )


def describe_error(
    response: httpx.Response, body: dict[str, Any]
) -> tuple[str, bool, float | None]:
    error = as_dict(body.get("error"))
    code = error.get("code")
    message = as_str(error.get("message"), 500)
    reason = (
        f"HTTP {response.status_code}: {message} (kode {code})"
        if message
        else (f"HTTP {response.status_code}")
    )
    return reason, isinstance(code, int) and code in RETRYABLE_CODES, None


def _headers(account: ChannelAccount) -> dict[str, str]:
    token = account.credentials.get("access_token", "")
    if not token:
        raise SendError("Token akses Meta belum diisi.", retryable=False)
    return {"Authorization": f"Bearer {token}"}


def send(http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery) -> str:
    headers = _headers(account)
    if delivery.kind == "comment_reply" and delivery.recipient.startswith("mention:"):
        return _reply_to_mention(http, account, delivery, headers)
    if delivery.kind == "comment_reply":
        edge = "replies" if account.platform == "instagram" else "comments"
        body = request_json(
            http,
            "POST",
            f"{account.base_url}/{delivery.recipient}/{edge}",
            json={"message": delivery.text[:2000]},
            headers=headers,
            describe_error=describe_error,
        )
        comment_id = as_str(body.get("id"), 200)
        if not comment_id:
            raise SendError("Jawaban Meta tanpa id komentar.", retryable=False)
        return comment_id
    recipient = (
        {"comment_id": delivery.recipient}
        if delivery.kind == "private_reply"
        else {"id": delivery.recipient}
    )
    payload: dict[str, Any] = {
        "recipient": recipient,
        "messaging_type": "RESPONSE",
        "message": {"text": delivery.text[:1000]},
    }
    if tag := delivery.template.get("tag"):
        payload["messaging_type"] = "MESSAGE_TAG"
        payload["tag"] = tag
    body = request_json(
        http,
        "POST",
        f"{account.base_url}/{account.external_id}/messages",
        json=payload,
        headers=headers,
        describe_error=describe_error,
    )
    message_id = as_str(body.get("message_id"), 200)
    if not message_id:
        raise SendError("Jawaban Meta tanpa message_id.", retryable=False)
    return message_id


def post_route(source_id: str, author: str) -> dict[str, Any]:
    """A message to the author of a public comment (a Polisi Virtual warning): a *private
    reply* (``POST /{page-or-ig-id}/messages`` with ``recipient.comment_id``; Graph API "Private
    Replies": once per comment, within 7 days of it) — a warning is not posted in public."""
    return {"kind": "private_reply", "recipient": source_id, "reply_to": source_id}


def hide_comment(http: httpx.Client, account: ChannelAccount, comment_id: str) -> None:
    data = {"hide": "true"} if account.platform == "instagram" else {"is_hidden": "true"}
    request_json(
        http,
        "POST",
        f"{account.base_url}/{comment_id}",
        data=data,
        headers=_headers(account),
        describe_error=describe_error,
    )


def fetch_media(http: httpx.Client, account: ChannelAccount, ref: MediaRef) -> tuple[bytes, str]:
    """DM attachments and mentioned/tagged photos are short-lived, signed CDN links: downloaded
    only from Meta's media hosts, without the access token."""
    data, content_type = safe_download(
        http, ref.ref, allowed_hosts=media_hosts(account.platform), max_bytes=MAX_MEDIA_BYTES
    )
    return data, content_type or "application/octet-stream"


# --- Mentions and tags -----------------------------------------------------------------------


def _mention(platform: str, account_id: str, media_id: str, comment_id: str, time: Any) -> Incoming:
    """An Instagram mention, still to be completed from the Graph API (``complete``). Replies
    go through ``POST /{ig-user-id}/mentions`` (recipient ``mention:<media>[:<comment>]``)."""
    key = comment_id or media_id
    return Incoming(
        platform=platform,
        account_external_id=account_id,
        external_id=f"mention:{key}",
        sender_id=f"mention:{key}",
        kind="mention",
        text=f"{PLACEHOLDER} [id {key}]",
        reply_target=f"mention:{media_id}" + (f":{comment_id}" if comment_id else ""),
        sent_at=unix_time(time),
        data={"media_id": media_id, "comment_id": comment_id, "fetch": True},
    )


def _page_mention(parsed: Parsed, account_id: str, value: dict[str, Any], time: Any) -> None:
    """Page ``mention`` field: a post (``item: post``) or comment (``item: comment``) that
    tags the Page. Message, photos and link are fetched by ``complete``."""
    post_id = as_str(value.get("post_id"), 200)
    comment_id = as_str(value.get("comment_id"), 200) if value.get("item") == "comment" else ""
    sender_id = as_str(value.get("sender_id"), 200)
    if value.get("verb", "add") != "add" or not post_id or sender_id == account_id:
        parsed.skipped.append(f"mention {as_str(value.get('item'))}/{as_str(value.get('verb'))}")
        return
    key = comment_id or post_id
    parsed.messages.append(
        Incoming(
            platform="facebook",
            account_external_id=account_id,
            external_id=f"mention:{key}",
            sender_id=sender_id or f"mention:{key}",
            sender_name=as_str(value.get("sender_name"), 200),
            kind="mention",
            text=as_str(value.get("message")) or f"{PLACEHOLDER} [id {key}]",
            reply_target=key,
            sent_at=unix_time(value.get("created_time") or time),
            data={"post_id": post_id, "comment_id": comment_id, "fetch": True},
        )
    )


def _polled(parsed: Parsed, platform: str, payload: dict[str, Any]) -> None:
    """A stored page of ``/{ig-user-id}/tags`` or ``/{page-id}/tagged`` (safety-net polling):
    each tagged media/post is a complete mention already."""
    account_id = as_str(payload.get("account_id"), 200)
    for node in (as_dict(n) for n in as_list(payload.get("data"))):
        node_id = as_str(node.get("id"), 200)
        if not node_id or not account_id:
            continue
        if platform == "instagram":
            # Meta does not allow commenting on photos the account is only tagged in.
            item = _mention(platform, account_id, node_id, "", None)
            item.reply_target = ""
            item.data.update(fetch=False, public_reply=False, tagged=True)
            _fill_ig_media(item, node)
        else:
            item = Incoming(
                platform=platform,
                account_external_id=account_id,
                external_id=f"mention:{node_id}",
                sender_id=f"mention:{node_id}",
                kind="mention",
                reply_target=node_id,
                data={"post_id": node_id, "tagged": True},
            )
            _fill_fb_object(item, node)
        if as_str(as_dict(node.get("from")).get("id"), 200) == account_id:
            continue
        parsed.messages.append(item)
    if not parsed.messages:
        parsed.skipped.append("tidak ada tag baru")


def complete(http: httpx.Client, account: ChannelAccount, item: Incoming) -> Incoming:
    """Fetch what a mention webhook only points to (caption/message, author, permalink,
    photos). Raises ``SendError`` like every Graph call."""
    headers = _headers(account)
    data = item.data
    if account.platform == "instagram":
        if data.get("comment_id"):
            node = _ig_mentioned(http, account, headers, "comment", data["comment_id"])
            _fill_ig_comment(item, node)
        else:
            node = _ig_mentioned(http, account, headers, "media", data.get("media_id", ""))
            _fill_ig_media(item, node)
    else:
        object_id = data.get("comment_id") or data.get("post_id", "")
        fields = FB_COMMENT_FIELDS if data.get("comment_id") else FB_POST_FIELDS
        node = request_json(
            http,
            "GET",
            api_path(account.base_url, object_id),
            params={"fields": fields},
            headers=headers,
            describe_error=describe_error,
        )
        _fill_fb_object(item, node)
    item.data["fetch"] = False
    return item


def _ig_mentioned(
    http: httpx.Client, account: ChannelAccount, headers: dict[str, str], what: str, node_id: str
) -> dict[str, Any]:
    """``GET /{ig-user-id}?fields=mentioned_media.media_id(<id>){…}`` (or
    ``mentioned_comment.comment_id(<id>){…}``)."""
    if not valid_id(node_id):
        raise SendError(f"Id sebutan tidak valid: {node_id[:40]!r}", retryable=False)
    edge = "mentioned_media.media_id" if what == "media" else "mentioned_comment.comment_id"
    fields = IG_MEDIA_FIELDS if what == "media" else IG_COMMENT_FIELDS
    body = request_json(
        http,
        "GET",
        api_path(account.base_url, account.external_id),
        params={"fields": f"{edge}({node_id}){{{fields}}}"},
        headers=headers,
        describe_error=describe_error,
    )
    node = as_dict(body.get(f"mentioned_{what}"))
    if not node:
        raise SendError(f"Graph API tidak memberi mentioned_{what}.", retryable=False)
    return node


def _https(value: Any) -> str:
    """A URL from the Graph API (host and scheme are checked again when downloading)."""
    url = as_str(value, 2000)
    return url if url.startswith(("https://", "http://")) else ""


def _graph_time(value: Any) -> Any:
    from datetime import datetime

    text = as_str(value, 40)
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"  # Graph writes +0000
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _compose(text: str, links: list[str], permalink: str) -> str:
    lines = [text.strip() or "(Tanpa keterangan)"]
    lines += [f"Video: {link}" for link in links]
    if permalink and permalink not in links:
        lines.append(f"Tautan: {permalink}")
    return "\n\n".join([lines[0], "\n".join(lines[1:])]) if len(lines) > 1 else lines[0]


def _set_author(item: Incoming, username: str, name: str = "", user_id: str = "") -> None:
    if user_id:
        item.sender_id = user_id
    elif username:
        item.sender_id = f"@{username}"
    item.sender_username = username or item.sender_username
    item.sender_name = name or item.sender_name or username


def _ig_visuals(node: dict[str, Any]) -> tuple[list[MediaRef], list[str]]:
    """Photos to download (a video gives its thumbnail) and video links."""
    kind = as_str(node.get("media_type"))
    if kind == "CAROUSEL_ALBUM":
        refs: list[MediaRef] = []
        links: list[str] = []
        children = as_list(as_dict(node.get("children")).get("data"))
        for child in (as_dict(c) for c in children):
            child_refs, child_links = _ig_visuals(child)
            refs += child_refs
            links += child_links
        return refs, links
    if kind == "VIDEO":
        thumb = _https(node.get("thumbnail_url"))
        link = _https(node.get("permalink")) or _https(node.get("media_url"))
        return ([MediaRef("image", thumb, caption="thumbnail")] if thumb else []), (
            [link] if link else []
        )
    url = _https(node.get("media_url"))
    return ([MediaRef("image", url, mime_type="image/jpeg")] if url else []), []


def _fill_ig_media(item: Incoming, node: dict[str, Any]) -> None:
    _set_author(item, as_str(node.get("username"), 200))
    permalink = _https(node.get("permalink"))
    refs, links = _ig_visuals(node)
    item.media = refs
    item.text = _compose(as_str(node.get("caption")), links, permalink)
    item.message_type = "image" if refs else "text"
    item.data["permalink"] = permalink
    item.sent_at = _graph_time(node.get("timestamp")) or item.sent_at


def _fill_ig_comment(item: Incoming, node: dict[str, Any]) -> None:
    _set_author(item, as_str(node.get("username"), 200))
    permalink = _https(as_dict(node.get("media")).get("permalink"))
    item.text = _compose(as_str(node.get("text")), [], permalink)
    item.data["permalink"] = permalink
    item.sent_at = _graph_time(node.get("timestamp")) or item.sent_at


def _fb_visuals(attachment: dict[str, Any]) -> tuple[list[MediaRef], list[str]]:
    kind = as_str(attachment.get("media_type") or attachment.get("type"))
    subs = as_list(as_dict(attachment.get("subattachments")).get("data"))
    if subs:
        refs: list[MediaRef] = []
        links: list[str] = []
        for sub in (as_dict(x) for x in subs):
            sub_refs, sub_links = _fb_visuals(sub)
            refs += sub_refs
            links += sub_links
        return refs, links
    src = _https(as_dict(as_dict(attachment.get("media")).get("image")).get("src"))
    refs = [MediaRef("image", src, caption="thumbnail" if "video" in kind else "")] if src else []
    link = _https(attachment.get("url"))
    return refs, ([link] if "video" in kind and link else [])


def _fill_fb_object(item: Incoming, node: dict[str, Any]) -> None:
    sender = as_dict(node.get("from"))
    _set_author(item, "", as_str(sender.get("name"), 200), as_str(sender.get("id"), 200))
    attachments = [as_dict(a) for a in as_list(as_dict(node.get("attachments")).get("data"))]
    if attachment := as_dict(node.get("attachment")):
        attachments.append(attachment)
    refs: list[MediaRef] = []
    links: list[str] = []
    for attachment in attachments:
        more_refs, more_links = _fb_visuals(attachment)
        refs += more_refs
        links += more_links
    permalink = _https(node.get("permalink_url"))
    message = as_str(node.get("message"))
    if not message and not item.text.startswith(PLACEHOLDER):
        message = item.text
    item.media = refs
    item.text = _compose(message, links, permalink)
    item.message_type = "image" if refs else "text"
    item.data["permalink"] = permalink
    item.sent_at = _graph_time(node.get("created_time")) or item.sent_at


def _reply_to_mention(
    http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery, headers: dict[str, str]
) -> str:
    """``POST /{ig-user-id}/mentions`` with ``media_id`` (+ ``comment_id``) and ``message``:
    the only way to answer publicly under someone else's post that mentions the account."""
    _prefix, media_id, *rest = delivery.recipient.split(":")
    data = {"media_id": media_id, "message": delivery.text[:2000]}
    if rest and rest[0]:
        data["comment_id"] = rest[0]
    if not all(valid_id(v) for k, v in data.items() if k != "message"):
        raise SendError("Id sebutan tidak valid.", retryable=False)
    body = request_json(
        http,
        "POST",
        api_path(account.base_url, account.external_id, "mentions"),
        data=data,
        headers=headers,
        describe_error=describe_error,
    )
    comment_id = as_str(body.get("id"), 200)
    if not comment_id:
        raise SendError("Jawaban Meta tanpa id komentar.", retryable=False)
    return comment_id


def poll_tagged(http: httpx.Client, account: ChannelAccount) -> bytes:
    """One page of ``GET /{ig-user-id}/tags`` or ``GET /{page-id}/tagged`` stored as a raw
    event (``{"object", "polled", "account_id", "data"}``), processed like a webhook."""
    if account.platform == "instagram":
        edge, fields, obj = "tags", f"id,{IG_MEDIA_FIELDS}", "instagram"
    else:
        edge, fields, obj = "tagged", f"id,{FB_POST_FIELDS}", "page"
    body = request_json(
        http,
        "GET",
        api_path(account.base_url, account.external_id, edge),
        params={"fields": fields, "limit": "25"},
        headers=_headers(account),
        describe_error=describe_error,
    )
    page = {
        "object": obj,
        "polled": edge,
        "account_id": account.external_id,
        "data": as_list(body.get("data")),
    }
    return json.dumps(page, separators=(",", ":"), sort_keys=True).encode()
