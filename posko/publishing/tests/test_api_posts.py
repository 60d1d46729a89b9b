"""``/api/v1/posts``: create (waits for approval), approve (403 for roles that may not), read."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from posko.api.actions import do_create_api_token
from posko.channels.models import ChannelAccount
from posko.org.models import Officer
from posko.publishing.models import Post


def call(officer: Officer, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"Bearer {do_create_api_token(officer.user)}"}
    client = Client()
    if method == "GET":
        return client.get(f"/api/v1{path}", headers=headers)
    return client.post(
        f"/api/v1{path}", body or {}, content_type="application/json", headers=headers
    )


BODY = {
    "kind": "kampanye_edukasi",
    "text": "Stop narkoba! Laporkan peredaran narkoba ke Polres Belitung Timur.",
    "platforms": ["facebook", "x", "telegram"],
    "publish_at": "2030-01-06T02:00:00Z",
}


@pytest.mark.django_db
def test_create_approve_and_read_a_post(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    created = call(officers["operator"], "POST", "/posts", BODY)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {"id": body["id"], "status": "in_review"}

    denied = call(officers["operator"], "POST", f"/posts/{body['id']}/approve")
    assert denied.status_code == 403
    assert call(officers["satlantas"], "POST", f"/posts/{body['id']}/approve").status_code == 404

    approved = call(officers["kapolres"], "POST", f"/posts/{body['id']}/approve")
    assert approved.status_code == 200
    assert approved.json() == {"id": body["id"], "status": "scheduled"}

    read = call(officers["auditor"], "GET", f"/posts/{body['id']}").json()
    assert read["status"] == "scheduled"
    assert sorted((t["platform"], t["status"], t["external_id"]) for t in read["targets"]) == [
        ("facebook", "scheduled", ""),
        ("telegram", "scheduled", ""),
        ("x", "scheduled", ""),
    ]
    assert call(officers["other_operator"], "GET", f"/posts/{body['id']}").status_code == 404


@pytest.mark.django_db
def test_a_variant_over_its_limit_is_refused_and_nothing_is_saved(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    response = call(officers["operator"], "POST", "/posts", {**BODY, "text": "a" * 300})
    assert response.status_code == 422
    assert response.json()["errors"] == ["X: teks paling banyak 280 karakter (sekarang 300)."]
    assert not Post.objects.exists()
    response = call(officers["operator"], "POST", "/posts", {**BODY, "platforms": ["whatsapp"]})
    assert response.status_code == 422
    assert "whatsapp" in response.json()["errors"][0]
    assert call(officers["satlantas"], "POST", "/posts", BODY).status_code == 403


@pytest.mark.django_db
def test_the_posts_endpoints_are_in_the_openapi_document(officers: dict[str, Officer]) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert {"/api/v1/posts", "/api/v1/posts/{post_id}", "/api/v1/posts/{post_id}/approve"} <= set(
        schema["paths"]
    )
