"""Instagram professional account: media container ``POST /{ig-user-id}/media`` (``image_url``
is a public Posko URL; carousel: child containers, then a ``CAROUSEL`` container), poll
``GET /{container-id}?fields=status_code`` until ``FINISHED``, then
``POST /{ig-user-id}/media_publish`` with ``creation_id`` — the only call that publishes.

The container id is kept in the job's progress, so a later run resumes polling instead of
creating a second container."""

from __future__ import annotations

import time

import httpx
from django.conf import settings

from posko.publishing.calls import Published, PublishRejected, call
from posko.publishing.publishers import Job, NotReady, bearer, graph_describe


def publish(http: httpx.Client, job: Job) -> Published:
    account = job.account
    headers = bearer(account, "access_token")
    base = account.base_url
    container = str(job.progress.get("container") or "") or _create_container(http, job, headers)
    job.progress["container"] = container
    _wait_until_finished(http, job, base, container, headers)
    body = call(
        http,
        "POST",
        f"{base}/{account.external_id}/media_publish",
        mutation=True,
        describe=graph_describe,
        headers=headers,
        data={"creation_id": container},
    )
    media_id = str(body.get("id") or "")
    if not media_id:
        raise PublishRejected("Jawaban Instagram tanpa id media.", retryable=False)
    return Published(media_id, _permalink(http, base, media_id, headers))


def _create(http: httpx.Client, url: str, headers: dict[str, str], data: dict[str, str]) -> str:
    body = call(
        http, "POST", url, mutation=False, describe=graph_describe, headers=headers, data=data
    )
    container = str(body.get("id") or "")
    if not container:
        raise PublishRejected("Jawaban Instagram tanpa id kontainer.", retryable=True)
    return container


def _create_container(http: httpx.Client, job: Job, headers: dict[str, str]) -> str:
    url = f"{job.account.base_url}/{job.account.external_id}/media"
    if len(job.photos) == 1:
        return _create(
            http, url, headers, {"image_url": job.photos[0].public_url, "caption": job.text}
        )
    children = [
        _create(http, url, headers, {"image_url": p.public_url, "is_carousel_item": "true"})
        for p in job.photos
    ]
    return _create(
        http,
        url,
        headers,
        {"media_type": "CAROUSEL", "children": ",".join(children), "caption": job.text},
    )


def _wait_until_finished(
    http: httpx.Client, job: Job, base: str, container: str, headers: dict[str, str]
) -> None:
    for attempt in range(settings.POSKO_IG_POLL_ATTEMPTS):
        if attempt:
            time.sleep(settings.POSKO_IG_POLL_INTERVAL)
        body = call(
            http,
            "GET",
            f"{base}/{container}",
            mutation=False,
            describe=graph_describe,
            headers=headers,
            params={"fields": "status_code"},
        )
        status = str(body.get("status_code") or "")
        if status in ("FINISHED", "PUBLISHED"):
            return
        if status in ("ERROR", "EXPIRED"):
            job.progress.pop("container", None)  # the next attempt creates a new one
            raise PublishRejected(
                f"Instagram menolak media (status kontainer {status}).",
                retryable=status == "EXPIRED",
            )
    raise NotReady("Instagram masih memproses media.", 30.0)


def _permalink(http: httpx.Client, base: str, media_id: str, headers: dict[str, str]) -> str:
    """Best effort: the post is already live, a failure here changes nothing."""
    try:
        body = call(
            http,
            "GET",
            f"{base}/{media_id}",
            mutation=False,
            describe=graph_describe,
            headers=headers,
            params={"fields": "permalink"},
        )
    except PublishRejected:
        return ""
    link = str(body.get("permalink") or "")
    return link if link.startswith("https://") else ""
