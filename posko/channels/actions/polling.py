"""Polled channels (X mentions, e-mail over IMAP, Instagram/Facebook tags as a safety net).
The schedule is a self-re-enqueueing task: each run polls once, stores what it found as raw
events (processed like webhooks) and enqueues the next run with ``run_after`` = now +
``poll_seconds`` (account config, default 300). A run that finds another poll happened less
than half an interval ago stops its chain, so at most one chain survives."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from posko.channels.actions.inbound import body_key, store_event
from posko.channels.base import SendError
from posko.channels.http import client
from posko.channels.models import ChannelAccount, Platform

DEFAULT_POLL_SECONDS = 300


def poll_interval(account: ChannelAccount) -> timedelta:
    return timedelta(seconds=int(account.config.get("poll_seconds", DEFAULT_POLL_SECONDS)))


def _start_poll(
    account_id: int, platform: str, now: datetime, *, reschedule: bool
) -> ChannelAccount | str:
    """Claim this poll for the account: the account, or why the chain stops here."""
    with transaction.atomic():
        account = (
            ChannelAccount.objects.select_for_update()
            .filter(pk=account_id, platform=platform, is_active=True)
            .first()
        )
        if account is None:
            return "inactive"
        last = account.config.get("last_poll_at")
        interval = poll_interval(account)
        if reschedule and last and datetime.fromisoformat(last) > now - interval / 2:
            return "another chain is running"
        account.config = {**account.config, "last_poll_at": now.isoformat()}
        account.save(update_fields=["config"])
    return account


def do_poll_x_mentions(account_id: int, *, reschedule: bool = True) -> str:
    from posko.channels.tasks import poll_x_mentions
    from posko.channels.x.adapter import fetch_mentions, parse

    now = timezone.now()
    account = _start_poll(account_id, Platform.X, now, reschedule=reschedule)
    if isinstance(account, str):
        return account
    result = "polled"
    try:
        with client() as http:
            body = fetch_mentions(http, account)
    except SendError as exc:
        result = f"error: {exc.reason}"
    else:
        parsed = parse(body)
        store_event(Platform.X, body, {}, dedupe_key=body_key(body), account=account)
        if parsed.messages:
            newest = max(parsed.messages, key=lambda m: int(m.external_id or 0)).external_id
            ChannelAccount.objects.filter(pk=account.pk).update(cursor=newest)
    if reschedule:
        poll_x_mentions.using(run_after=now + poll_interval(account)).enqueue(account.pk)
    return result


def do_poll_tagged(account_id: int, *, reschedule: bool = True) -> str:
    """``/{ig-user-id}/tags`` (Instagram) or ``/{page-id}/tagged`` (Facebook): posts that tag
    the account but raised no webhook. The page is stored as one raw event (a page seen before
    has the same bytes and is dropped); each post is claimed once by its ``mention:<id>``, the
    same key a webhook mention of that post uses, so nothing becomes two aduan. (Signed media
    URLs change between polls, so a page may be stored again; its posts are still dropped.)"""
    from posko.channels.meta.adapter import poll_tagged
    from posko.channels.tasks import poll_tagged as poll_tagged_task

    now = timezone.now()
    platform = (
        ChannelAccount.objects.filter(pk=account_id).values_list("platform", flat=True).first()
    )
    if platform not in (Platform.INSTAGRAM, Platform.FACEBOOK):
        return "inactive"
    account = _start_poll(account_id, platform, now, reschedule=reschedule)
    if isinstance(account, str):
        return account
    result = "polled"
    try:
        with client() as http:
            body = poll_tagged(http, account)
    except SendError as exc:
        result = f"error: {exc.reason}"
    else:
        stored = store_event(platform, body, {}, dedupe_key=body_key(body), account=account)
        result = "polled: baru" if stored else "polled: tidak ada yang baru"
    if reschedule:
        poll_tagged_task.using(run_after=now + poll_interval(account)).enqueue(account.pk)
    return result


def do_poll_email(account_id: int, *, reschedule: bool = True) -> str:
    """Fetch new messages of the mailbox over IMAP; each is stored as one raw event (unique per
    Message-ID) before the cursor (UIDVALIDITY:UID) moves past it, so a crash between the two
    only fetches it again — and the duplicate is dropped."""
    from posko.channels.email.adapter import dedupe_key, fetch_new
    from posko.channels.tasks import poll_email

    now = timezone.now()
    account = _start_poll(account_id, Platform.EMAIL, now, reschedule=reschedule)
    if isinstance(account, str):
        return account
    result = "polled"
    try:
        found, cursor = fetch_new(account)
    except SendError as exc:
        result = f"error: {exc.reason}"
    else:
        stored = 0
        for _uid, raw in found:
            if store_event(Platform.EMAIL, raw, {}, dedupe_key=dedupe_key(raw), account=account):
                stored += 1
        ChannelAccount.objects.filter(pk=account.pk).update(cursor=cursor)
        result = f"polled: {len(found)} baru, {stored} disimpan"
    if reschedule:
        poll_email.using(run_after=now + poll_interval(account)).enqueue(account.pk)
    return result
