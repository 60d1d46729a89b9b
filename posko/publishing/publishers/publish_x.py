"""X: photos through ``POST /2/media/upload`` (multipart, ``media_category=tweet_image``;
publishes nothing), then ``POST /2/tweets`` with ``media.media_ids``. 429 carries
``x-rate-limit-reset`` (unix seconds)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from posko.publishing.calls import Published, PublishRejected, call
from posko.publishing.publishers import Job, bearer


def describe(response: httpx.Response, body: dict[str, Any]) -> tuple[str, bool, float | None]:
    detail = str(body.get("detail") or body.get("title") or "")[:500]
    reason = f"X: HTTP {response.status_code} {detail}".strip()
    retry_after = None
    reset = response.headers.get("x-rate-limit-reset", "")
    if response.status_code == 429 and reset.isdigit():
        retry_after = max(1.0, float(reset) - time.time())
    if "duplicate" in detail.lower():
        reason = f"X menolak teks yang sama persis dengan posting sebelumnya. {reason}"
    if response.status_code == 401:
        reason = f"Token X tidak berlaku; hubungkan ulang akun. {reason}"
    return reason, False, retry_after


def publish(http: httpx.Client, job: Job) -> Published:
    account = job.account
    headers = bearer(account, "user_access_token", "bearer_token")
    payload: dict[str, Any] = {"text": job.text}
    if job.photos:
        ids = []
        for photo in job.photos:
            body = call(
                http,
                "POST",
                f"{account.base_url}/2/media/upload",
                mutation=False,
                describe=describe,
                headers=headers,
                data={"media_category": "tweet_image"},
                files={"media": (photo.name, photo.data, photo.content_type)},
            )
            data = body.get("data") if isinstance(body.get("data"), dict) else body
            media_id = str(data.get("id") or data.get("media_id_string") or "")  # type: ignore[union-attr]
            if not media_id:
                raise PublishRejected("Jawaban X tanpa id media.", retryable=True)
            ids.append(media_id)
        payload["media"] = {"media_ids": ids}
    body = call(
        http,
        "POST",
        f"{account.base_url}/2/tweets",
        mutation=True,
        describe=describe,
        headers=headers,
        json=payload,
    )
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    tweet_id = str(data.get("id") or "")  # type: ignore[union-attr]
    if not tweet_id:
        raise PublishRejected("Jawaban X tanpa id post.", retryable=False)
    return Published(tweet_id, f"https://x.com/i/web/status/{tweet_id}")
