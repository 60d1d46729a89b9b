"""Facebook Page: ``POST /{page-id}/feed`` (text), ``POST /{page-id}/photos`` (one photo,
multipart ``source``); several photos are uploaded unpublished, then attached to one feed
post (``attached_media``)."""

from __future__ import annotations

import httpx

from posko.publishing.calls import Published, PublishRejected, call
from posko.publishing.publishers import Job, bearer, graph_describe


def publish(http: httpx.Client, job: Job) -> Published:
    account = job.account
    base = f"{account.base_url}/{account.external_id}"
    headers = bearer(account, "page_access_token", "access_token")
    if len(job.photos) == 1:
        photo = job.photos[0]
        body = call(
            http,
            "POST",
            f"{base}/photos",
            mutation=True,
            describe=graph_describe,
            headers=headers,
            data={"caption": job.text, "published": "true"},
            files={"source": (photo.name, photo.data, photo.content_type)},
        )
        post_id = str(body.get("post_id") or body.get("id") or "")
    else:
        payload: dict[str, object] = {"message": job.text}
        if job.photos:
            payload["attached_media"] = [
                {"media_fbid": _upload_unpublished(http, base, headers, p)} for p in job.photos
            ]
        body = call(
            http,
            "POST",
            f"{base}/feed",
            mutation=True,
            describe=graph_describe,
            headers=headers,
            json=payload,
        )
        post_id = str(body.get("id") or "")
    if not post_id:
        raise PublishRejected("Jawaban Facebook tanpa id posting.", retryable=False)
    return Published(post_id, f"https://www.facebook.com/{post_id}")


def _upload_unpublished(
    http: httpx.Client, base: str, headers: dict[str, str], photo: object
) -> str:
    from posko.publishing.publishers import PhotoFile

    assert isinstance(photo, PhotoFile)
    body = call(
        http,
        "POST",
        f"{base}/photos",
        mutation=False,  # an unpublished photo is not public
        describe=graph_describe,
        headers=headers,
        data={"published": "false"},
        files={"source": (photo.name, photo.data, photo.content_type)},
    )
    photo_id = str(body.get("id") or "")
    if not photo_id:
        raise PublishRejected("Jawaban Facebook tanpa id foto.", retryable=True)
    return photo_id
