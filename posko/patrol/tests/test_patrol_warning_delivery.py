"""Polisi Virtual warnings go out through the official accounts (X reply, Facebook private
reply, Telegram reply in the group) by the channels' send task, against the local fake API;
the platform's message id and the delivery state are kept on the warning and shown; an
unknown outcome is unconfirmed and never re-sent automatically; a failure is retried through
the channels' delivery retry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.models import AuditEvent
from posko.channels.actions.accounts import do_save_account
from posko.channels.conftest import FB_PAGE_ID, TG_TOKEN
from posko.channels.conftest import facebook_account as facebook_account
from posko.channels.conftest import telegram_account as telegram_account
from posko.channels.models import ChannelAccount, DeliveryState, OutboundDelivery, Platform
from posko.channels.testing import FakeApi, Recorded, Reply, fixture_json
from posko.conftest import PASSWORD
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit
from posko.patrol.actions.warnings import (
    WarningError,
    do_approve_warning,
    do_check_warning,
    do_resend_warning,
    do_start_warning,
)
from posko.patrol.models import PatrolWarning, PublicPost, WarningStatus

pytestmark = [pytest.mark.tasks, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def x_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.X,
        external_id="999000111",
        slug="blt-x",
        api_base=fake_api.url,
        credentials={"bearer_token": "x-app-bearer", "user_access_token": "x-user-token"},
    )


def _tweets(fake_api: FakeApi) -> None:
    """``POST /2/tweets`` answering like X: the documented body, a new post id each time."""
    ok = fixture_json("x", "create_tweet__ok")

    def answer(request: Recorded) -> Reply:
        n = len(fake_api.calls("POST", r"/2/tweets"))
        return Reply(json={"data": {**ok["data"], "id": f"18612345678909999{n:02d}"}})

    fake_api.route("POST", r"/2/tweets", answer)


def _post(polres: Unit, source: str, source_id: str, url: str = "") -> PublicPost:
    return PublicPost.objects.create(
        polres=polres,
        source=source,
        source_id=source_id,
        author="provokator_beltim",
        text="Ayo serbu kantor desa, mereka semua penipu!",
        url=url,
    )


def _approved(post: PublicPost, officers: dict[str, Officer]) -> PatrolWarning:
    w = do_start_warning(post, acting_user=officers["operator"].user)
    return do_approve_warning(w, acting_user=officers["kapolres"].user)


def _page(username: str) -> str:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c.get("/posko/patroli/peringatan/").content.decode()


def _status_pill(page: str) -> tuple[str, str]:
    found = re.search(r'<span class="([^"]+)" data-testid="warning-status">([^<]+)</span>', page)
    assert found, "no status pill on the page"
    return found.group(1), found.group(2)


def test_x_warning_is_a_reply_to_the_post_with_its_id_and_state_on_the_page(
    polres: Unit, officers: dict[str, Officer], fake_api: FakeApi, x_account: ChannelAccount
) -> None:
    _tweets(fake_api)
    fake_api.route("GET", r"/status/9001", body=b"<html>masih ada</html>")
    post = _post(polres, "x", "9001", f"{fake_api.url}/status/9001")
    w = _approved(post, officers)
    assert w.first_delivery is not None and w.first_delivery.at_most_once
    assert not fake_api.calls("POST", r"/2/tweets")  # sent by the task, after commit
    run_tasks()
    [call] = fake_api.calls("POST", r"/2/tweets")
    assert call.headers["Authorization"] == "Bearer x-user-token"
    assert call.json() == {"text": w.message[:280], "reply": {"in_reply_to_tweet_id": "9001"}}
    w.refresh_from_db()
    assert w.first_delivery is not None
    assert w.first_delivery.state == DeliveryState.SENT
    assert w.first_delivery.external_id == "1861234567890999901"
    page = _page("kapolres")
    assert 'data-step="first" data-state="sent"' in page and "1861234567890999901" in page
    assert "Terkirim" in page

    # The second warning, after 24 h with the content still up, goes out the same way.
    PatrolWarning.objects.filter(pk=w.pk).update(first_sent_at=timezone.now() - timedelta(days=1))
    assert do_check_warning(w.pk) == "second"
    run_tasks()
    calls = fake_api.calls("POST", r"/2/tweets")
    assert len(calls) == 2 and "Peringatan kedua" in calls[1].json()["text"]
    w.refresh_from_db()
    assert w.second_delivery is not None and w.second_delivery.state == DeliveryState.SENT
    assert w.second_delivery.external_id == "1861234567890999902"


def test_telegram_warning_is_a_reply_in_the_group(
    polres: Unit,
    officers: dict[str, Officer],
    fake_api: FakeApi,
    telegram_account: ChannelAccount,
) -> None:
    fake_api.route(
        "POST", rf"/bot{TG_TOKEN}/sendMessage", json=fixture_json("telegram", "send_message__ok")
    )
    w = _approved(_post(polres, "telegram", "-1001234567890:45"), officers)
    run_tasks()
    [call] = fake_api.calls("POST", rf"/bot{TG_TOKEN}/sendMessage")
    body = call.json()
    assert body["chat_id"] == "-1001234567890" and body["reply_parameters"] == {"message_id": 45}
    w.refresh_from_db()
    assert w.first_delivery is not None
    assert w.first_delivery.state == DeliveryState.SENT
    assert w.first_delivery.external_id == "-1001234567890:201"


def test_facebook_warning_is_a_private_reply_to_the_comment(
    polres: Unit,
    officers: dict[str, Officer],
    fake_api: FakeApi,
    facebook_account: ChannelAccount,
) -> None:
    fake_api.route(
        "POST",
        rf"/v23\.0/{FB_PAGE_ID}/messages",
        json={"recipient_id": "6987654321098765", "message_id": "m_peringatan_0001"},
    )
    w = _approved(_post(polres, "facebook", "448242228374517_1234_5678"), officers)
    run_tasks()
    [call] = fake_api.calls("POST", rf"/v23\.0/{FB_PAGE_ID}/messages")
    assert call.json()["recipient"] == {"comment_id": "448242228374517_1234_5678"}
    assert not fake_api.calls("POST", r"/v23\.0/.*/comments")  # never a public comment
    w.refresh_from_db()
    assert w.first_delivery is not None and w.first_delivery.external_id == "m_peringatan_0001"


def test_unknown_outcome_is_unconfirmed_never_resent_until_an_officer_retries(
    polres: Unit, officers: dict[str, Officer], fake_api: FakeApi, x_account: ChannelAccount
) -> None:
    fake_api.route("POST", r"/2/tweets", status=503, json={"title": "Service Unavailable"})
    w = _approved(_post(polres, "x", "9001"), officers)
    run_tasks()
    run_tasks()
    assert len(fake_api.calls("POST", r"/2/tweets")) == 1  # not sent again
    w.refresh_from_db()
    assert w.first_delivery is not None
    assert w.first_delivery.state == DeliveryState.UNCONFIRMED
    assert "tidak dikirim ulang otomatis" in w.first_delivery.error
    page = _page("operator")
    assert 'data-state="unconfirmed"' in page and "Belum terkonfirmasi" in page
    assert "Kirim ulang" in page
    assert _status_pill(page) == ("pill pill--alert", "Peringatan pertama belum terkonfirmasi")

    _tweets(fake_api)
    with pytest.raises(WarningError):
        do_resend_warning(w, step="second", acting_user=officers["operator"].user)
    do_resend_warning(w, step="first", acting_user=officers["operator"].user)
    run_tasks()
    assert len(fake_api.calls("POST", r"/2/tweets")) == 2
    delivery = OutboundDelivery.objects.get(pk=w.first_delivery.pk)
    assert delivery.state == DeliveryState.SENT and delivery.external_id
    assert AuditEvent.objects.filter(action="warning_resent").count() == 1
    assert _status_pill(_page("operator")) == ("pill pill--info", "Peringatan pertama terkirim")
    with pytest.raises(WarningError):  # sent: nothing to retry
        do_resend_warning(w, step="first", acting_user=officers["operator"].user)


def test_a_clean_refusal_fails_visibly_and_a_crash_mid_send_is_unconfirmed(
    polres: Unit, officers: dict[str, Officer], fake_api: FakeApi, x_account: ChannelAccount
) -> None:
    fake_api.route("POST", r"/2/tweets", status=403, json={"detail": "You are not permitted"})
    w = _approved(_post(polres, "x", "9001"), officers)
    run_tasks()
    w.refresh_from_db()
    assert w.first_delivery is not None and w.first_delivery.state == DeliveryState.FAILED
    assert "not permitted" in w.first_delivery.error
    page = _page("kapolres")
    assert 'data-state="failed"' in page
    # The header pill says the warning did not go out, not "terkirim".
    assert _status_pill(page) == ("pill pill--alert", "Peringatan pertama gagal dikirim")

    # A worker that died mid-send leaves the delivery "sending": the lease run marks it
    # unconfirmed instead of sending it again.
    post2 = _post(polres, "x", "9002")
    w2 = _approved(post2, officers)
    assert w2.first_delivery is not None
    OutboundDelivery.objects.filter(pk=w2.first_delivery.pk).update(
        state=DeliveryState.SENDING, attempts=1, updated_at=timezone.now() - timedelta(hours=1)
    )
    from posko.channels.actions.outbound import do_send_delivery

    assert do_send_delivery(w2.first_delivery.pk) == "unconfirmed"
    assert len(fake_api.calls("POST", r"/2/tweets")) == 1  # only the refused one


def test_a_post_posko_cannot_answer_keeps_a_note_and_the_workflow_goes_on(
    polres: Unit, officers: dict[str, Officer], fake_api: FakeApi
) -> None:
    rss = _approved(_post(polres, "rss", "https://berita.example/1"), officers)
    assert rss.status == WarningStatus.FIRST and rss.first_delivery is None
    assert "manual" in rss.first_note
    no_account = _approved(_post(polres, "x", "9003"), officers)  # no X account configured
    assert no_account.first_delivery is None and "akun resmi" in no_account.first_note
    assert 'data-state="manual"' in _page("kapolres")
    assert not OutboundDelivery.objects.exists()
