"""Per-post results pulled back on a decaying schedule (1 h, 6 h, 1 day, 3 days, 7 days after
publishing), kept in one vocabulary whatever the platform calls them: ``reach``,
``reactions``, ``comments``, ``shares``, ``views``. Telegram's Bot API gives none."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from django.db import transaction
from django.utils import timezone

from posko.channels.http import client
from posko.publishing.calls import OutcomeUnknown, PublishRejected, call
from posko.publishing.models import PostTarget, TargetStatus
from posko.publishing.publishers import bearer, graph_describe
from posko.publishing.publishers.publish_x import describe as x_describe

SCHEDULE = (
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=7),
)
PLATFORMS = frozenset({"facebook", "instagram", "x"})


def schedule_results(target: PostTarget) -> None:
    """Inside the transaction that marks the target published."""
    from posko.publishing.tasks import pull_results

    if target.platform not in PLATFORMS or not target.external_id:
        return
    published = target.published_at or timezone.now()
    pk = target.pk

    def enqueue() -> None:
        for step, delay in enumerate(SCHEDULE):
            pull_results.using(run_after=published + delay).enqueue(pk, step)

    transaction.on_commit(enqueue)


def _count(value: Any) -> int:
    if isinstance(value, dict):
        summary = value.get("summary") if isinstance(value.get("summary"), dict) else value
        value = summary.get("total_count", summary.get("count", 0))  # type: ignore[union-attr]
    return int(value) if isinstance(value, int | float) else 0


def _facebook(http: httpx.Client, target: PostTarget) -> dict[str, int]:
    body = call(
        http,
        "GET",
        f"{target.account.base_url}/{target.external_id}",
        mutation=False,
        describe=graph_describe,
        headers=bearer(target.account, "page_access_token", "access_token"),
        params={"fields": "reactions.summary(total_count),comments.summary(total_count),shares"},
    )
    return {
        "reactions": _count(body.get("reactions")),
        "comments": _count(body.get("comments")),
        "shares": _count(body.get("shares")),
    }


def _instagram(http: httpx.Client, target: PostTarget) -> dict[str, int]:
    body = call(
        http,
        "GET",
        f"{target.account.base_url}/{target.external_id}/insights",
        mutation=False,
        describe=graph_describe,
        headers=bearer(target.account, "access_token"),
        params={"metric": "reach,likes,comments,shares,views"},
    )
    names = {
        "reach": "reach",
        "likes": "reactions",
        "comments": "comments",
        "shares": "shares",
        "views": "views",
    }
    results: dict[str, int] = {}
    for item in body.get("data") or []:
        if isinstance(item, dict) and item.get("name") in names:
            values = item.get("values") or [{}]
            results[names[item["name"]]] = _count((values[0] or {}).get("value", 0))
    return results


def _x(http: httpx.Client, target: PostTarget) -> dict[str, int]:
    body = call(
        http,
        "GET",
        f"{target.account.base_url}/2/tweets/{target.external_id}",
        mutation=False,
        describe=x_describe,
        headers=bearer(target.account, "bearer_token", "user_access_token"),
        params={"tweet.fields": "public_metrics"},
    )
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    metrics = data.get("public_metrics") if isinstance(data.get("public_metrics"), dict) else {}  # type: ignore[union-attr]
    assert isinstance(metrics, dict)
    return {
        "reactions": _count(metrics.get("like_count")),
        "comments": _count(metrics.get("reply_count")),
        "shares": _count(metrics.get("retweet_count", 0)) + _count(metrics.get("quote_count", 0)),
        "views": _count(metrics.get("impression_count")),
    }


FETCHERS = {"facebook": _facebook, "instagram": _instagram, "x": _x}


def do_pull_results(target_id: int, step: int) -> str:
    target = PostTarget.objects.select_related("account").filter(pk=target_id).first()
    if target is None or target.status != TargetStatus.PUBLISHED or target.platform not in FETCHERS:
        return "skip"
    try:
        with client() as http:
            results = FETCHERS[target.platform](http, target)
    except (PublishRejected, OutcomeUnknown) as exc:
        return f"failed: {exc}"  # the next step of the schedule tries again
    PostTarget.objects.filter(pk=target.pk).update(results=results, results_at=timezone.now())
    return f"step {step}: {results}"
