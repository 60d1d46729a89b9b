"""Media fetching that cannot be abused (ids, hosts, redirects, tokens, size, pixels) and
channel photos stripped of their metadata like portal photos."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from PIL import Image

from posko.aduan.models import Aduan
from posko.channels.base import MediaRef, SendError
from posko.channels.conftest import APP_SECRET, WA_TOKEN
from posko.channels.http import client as http_client
from posko.channels.media import api_path, clean_channel_photo, host_matches, safe_download
from posko.channels.models import ChannelAccount, ChannelMedia, EventState, InboundEvent
from posko.channels.testing import (
    FakeApi,
    compact,
    fixture_json,
    has_gps,
    meta_signature,
    photo_with_gps,
)
from posko.channels.whatsapp import adapter as whatsapp
from posko.core.testing import run_tasks

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks


@pytest.fixture
def other_host() -> Iterator[FakeApi]:
    """A second server that is not an allowed media host (an attacker's, an internal one)."""
    api = FakeApi().start()
    api.route("GET", r"/.*", body=b"secret", headers={"Content-Type": "image/jpeg"})
    yield api
    api.stop()


def fetch(account: ChannelAccount, ref: str) -> tuple[bytes, str]:
    with http_client() as http:
        return whatsapp.fetch_media(http, account, MediaRef("image", ref))


@pytest.mark.django_db
@pytest.mark.parametrize("media_id", ["../../x?", "..%2F..%2Fx", "1/../../me", "a b", ""])
def test_whatsapp_media_id_cannot_escape_the_api_path(
    whatsapp_account: ChannelAccount, fake_api: FakeApi, media_id: str
) -> None:
    with pytest.raises(SendError, match="tidak valid") as error:
        fetch(whatsapp_account, media_id)
    assert not error.value.retryable
    assert fake_api.requests == []


def test_api_path_quotes_checked_segments() -> None:
    assert api_path("https://graph.facebook.com/v23.0/", "123", "mentions") == (
        "https://graph.facebook.com/v23.0/123/mentions"
    )
    with pytest.raises(SendError):
        api_path("https://graph.facebook.com/v23.0", "123?fields=access_token")


@pytest.mark.django_db
def test_whatsapp_media_url_on_another_host_is_refused_and_gets_no_token(
    whatsapp_account: ChannelAccount, fake_api: FakeApi, other_host: FakeApi
) -> None:
    fake_api.route("GET", r"/v23\.0/1003383421387256", json={"url": other_host.url + "/steal"})
    with pytest.raises(SendError, match="tidak diizinkan"):
        fetch(whatsapp_account, "1003383421387256")
    assert other_host.requests == []
    assert fake_api.calls("GET", r"/v23\.0/1003383421387256")[0].headers["Authorization"] == (
        f"Bearer {WA_TOKEN}"
    )


@pytest.mark.django_db
def test_redirect_to_another_host_is_not_followed(
    whatsapp_account: ChannelAccount, fake_api: FakeApi, other_host: FakeApi
) -> None:
    fake_api.route("GET", r"/v23\.0/1003383421387256", json={"url": fake_api.url + "/media/a"})
    fake_api.route("GET", r"/media/a", status=302, headers={"Location": other_host.url + "/x"})
    with pytest.raises(SendError, match="tidak diizinkan"):
        fetch(whatsapp_account, "1003383421387256")
    assert other_host.requests == []
    # A redirect of the Graph API call itself is not followed either.
    fake_api.route(
        "GET", r"/v23\.0/1003383421387257", status=307, headers={"Location": other_host.url}
    )
    with pytest.raises(SendError):
        fetch(whatsapp_account, "1003383421387257")
    assert other_host.requests == []


@pytest.mark.django_db
def test_redirect_within_allowed_hosts_is_followed(
    whatsapp_account: ChannelAccount, fake_api: FakeApi
) -> None:
    jpeg = photo_with_gps()
    fake_api.route("GET", r"/v23\.0/1003383421387256", json={"url": fake_api.url + "/media/a"})
    fake_api.route("GET", r"/media/a", status=302, headers={"Location": "/media/b"})
    fake_api.route("GET", r"/media/b", body=jpeg, headers={"Content-Type": "image/jpeg"})
    assert fetch(whatsapp_account, "1003383421387256")[0] == jpeg


def test_host_patterns() -> None:
    cdn = ("*.cdninstagram.com", "lookaside.fbsbx.com", "127.0.0.1:8000")
    assert host_matches(httpx.URL("https://scontent.cdninstagram.com/a.jpg"), cdn)
    assert not host_matches(httpx.URL("https://cdninstagram.com.evil.example/a.jpg"), cdn)
    assert not host_matches(httpx.URL("https://evilcdninstagram.com/a.jpg"), cdn)
    assert host_matches(httpx.URL("https://lookaside.fbsbx.com/x"), cdn)
    assert not host_matches(httpx.URL("http://127.0.0.1:8001/x"), cdn)


def test_https_only_for_platform_hosts() -> None:
    with http_client() as http, pytest.raises(SendError, match="https"):
        safe_download(
            http,
            "http://pbs.twimg.com/media/a.jpg",
            allowed_hosts=("pbs.twimg.com",),
            max_bytes=10,
        )


@pytest.mark.django_db
def test_token_goes_only_to_token_hosts(
    fake_api: FakeApi, other_host: FakeApi, settings: Any
) -> None:
    fake_api.route("GET", r"/cdn/a", status=302, headers={"Location": other_host.url + "/b"})
    allowed = (fake_api.url.removeprefix("http://"), other_host.url.removeprefix("http://"))
    settings.POSKO_CHANNEL_MEDIA_HOSTS = list(allowed)
    with http_client() as http:
        data, _type = safe_download(
            http,
            fake_api.url + "/cdn/a",
            allowed_hosts=allowed,
            max_bytes=100,
            token="rahasia",
            token_hosts=allowed[:1],
        )
    assert data == b"secret"
    assert fake_api.requests[0].headers["Authorization"] == "Bearer rahasia"
    assert "Authorization" not in other_host.requests[0].headers


@pytest.mark.django_db
def test_size_limit(fake_api: FakeApi) -> None:
    fake_api.route("GET", r"/big", body=b"x" * 2048)
    host = (fake_api.url.removeprefix("http://"),)
    with http_client() as http, pytest.raises(SendError, match="terlalu besar"):
        safe_download(http, fake_api.url + "/big", allowed_hosts=host, max_bytes=1024)
    with http_client() as http:
        data, _type = safe_download(http, fake_api.url + "/big", allowed_hosts=host, max_bytes=2048)
    assert len(data) == 2048


def test_size_limit_while_streaming_and_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a Content-Length the limit holds while streaming; a slow drip hits the deadline."""
    from posko.channels import media

    def drip(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"x" * 600] * 4))

    hosts = ("pbs.twimg.com",)
    with httpx.Client(transport=httpx.MockTransport(drip)) as http:
        with pytest.raises(SendError, match="terlalu besar"):
            safe_download(http, "https://pbs.twimg.com/a.jpg", allowed_hosts=hosts, max_bytes=1000)
        clock = iter(range(0, 10_000, 50))
        monkeypatch.setattr(media.time, "monotonic", lambda: float(next(clock)))
        with pytest.raises(SendError, match="terlalu lama") as error:
            safe_download(http, "https://pbs.twimg.com/a.jpg", allowed_hosts=hosts, max_bytes=10**6)
    assert error.value.retryable


def test_pixel_limit_is_checked_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 MP, a few KB on disk
    assert clean_channel_photo(out.getvalue()) is None
    assert clean_channel_photo(b"GIF89a not a photo") is None


def test_channel_photo_loses_gps_like_a_portal_photo() -> None:
    original = photo_with_gps()
    assert has_gps(original)
    cleaned = clean_channel_photo(original)
    assert cleaned is not None and not has_gps(cleaned.data)


def deliver_whatsapp(client: Client, caption: str | None = None) -> None:
    payload = fixture_json("whatsapp", "message__image")
    if caption is not None:
        payload["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["caption"] = caption
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(
        int(timezone.now().timestamp())
    )
    body = compact(payload)
    response = client.post(
        "/hooks/whatsapp/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=meta_signature(APP_SECRET, body),
    )
    assert response.status_code == 200
    run_tasks()


@pytest.mark.django_db(transaction=True)
def test_whatsapp_channel_copy_of_a_photo_has_no_gps(
    client: Client, whatsapp_account: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route(
        "GET",
        r"/v23\.0/1003383421387256",
        json={"url": fake_api.url + "/media/abc", "mime_type": "image/jpeg", "id": "x"},
    )
    fake_api.route(
        "GET", r"/media/abc", body=photo_with_gps(), headers={"Content-Type": "image/jpeg"}
    )
    deliver_whatsapp(client)
    stored = ChannelMedia.objects.get()
    with stored.file.open("rb") as handle:
        assert not has_gps(handle.read())
    photo = Aduan.objects.get().photos.get()
    with photo.image.open("rb") as handle:
        assert not has_gps(handle.read())


def _photo_retry_succeeds(fake_api: FakeApi) -> None:
    """The Graph API answers now: the background retry two minutes later stores the photo."""
    fake_api.route(
        "GET",
        r"/v23\.0/1003383421387256",
        json={"url": fake_api.url + "/media/abc", "mime_type": "image/jpeg", "id": "x"},
    )
    fake_api.route(
        "GET", r"/media/abc", body=photo_with_gps(), headers={"Content-Type": "image/jpeg"}
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_tasks()


@pytest.mark.django_db(transaction=True)
def test_media_failure_keeps_the_aduan_and_retries_in_the_background(
    client: Client, whatsapp_account: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route("GET", r"/v23\.0/1003383421387256", status=503, json={"error": {"code": 2}})
    deliver_whatsapp(client)
    aduan = Aduan.objects.get()
    assert "pasar Manggar" in aduan.text and aduan.photos.count() == 0
    assert InboundEvent.objects.get().state == EventState.PROCESSED

    _photo_retry_succeeds(fake_api)
    assert aduan.photos.count() == 1
    assert aduan.audit_events.filter(action="channel_photos_added").exists()
    # Nothing runs again: the photo is not added twice.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        run_tasks()
    assert aduan.photos.count() == 1 and ChannelMedia.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_late_photo_that_raises_priority_moves_the_overdue_counts(
    client: Client, whatsapp_account: ChannelAccount, fake_api: FakeApi
) -> None:
    """The photo retry lifts a dangerous report to tinggi and moves its SLA deadlines: the
    change is announced, so the metrics' deadline rows follow (the command view's overdue
    counts come from them)."""
    from posko.metrics.actions.refresh import recount_deadlines
    from posko.metrics.models import DeadlineRow, MetricFact

    fake_api.route("GET", r"/v23\.0/1003383421387256", status=503, json={"error": {"code": 2}})
    deliver_whatsapp(
        client, caption="Jembatan di desa Lalang retak parah dan mau ambruk, bahaya buat pengendara"
    )
    aduan = Aduan.objects.get()
    assert aduan.priority not in ("tinggi", "darurat"), aduan.priority
    before = MetricFact.objects.get(aduan_id=aduan.pk).due

    _photo_retry_succeeds(fake_api)
    aduan.refresh_from_db()
    assert aduan.priority == "tinggi" and aduan.photos.count() == 1
    assert MetricFact.objects.get(aduan_id=aduan.pk).due != before
    assert dict(DeadlineRow.objects.values_list("key", "open")) == recount_deadlines()


@pytest.mark.django_db(transaction=True)
def test_refused_media_host_is_not_retried(
    client: Client, whatsapp_account: ChannelAccount, fake_api: FakeApi, other_host: FakeApi
) -> None:
    fake_api.route("GET", r"/v23\.0/1003383421387256", json={"url": other_host.url + "/x"})
    deliver_whatsapp(client)
    assert Aduan.objects.get().photos.count() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        run_tasks()
    assert other_host.requests == []
    assert len(fake_api.calls("GET", r"/v23\.0/1003383421387256")) == 1
