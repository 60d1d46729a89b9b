"""Console pages of the channels through the real views: official accounts (admins only,
secrets write-only), the moderation stream (operators, pimpinan, admins), resending a failed
reply and the WhatsApp 24-hour window explained before sending."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan, AuditEvent
from posko.channels.actions.accounts import do_save_account
from posko.channels.conftest import APP_SECRET, WA_PHONE_ID
from posko.channels.models import (
    ChannelAccount,
    DeliveryState,
    ModerationItem,
    ModerationState,
    OutboundDelivery,
)
from posko.channels.testing import FakeApi, compact, fixture_json, meta_signature
from posko.conftest import PASSWORD
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

SEND_PATH = rf"/v23\.0/{WA_PHONE_ID}/messages"
SECRET = "EAAG-sangat-rahasia-jangan-tampil"


def login(officer: Officer) -> Client:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    return client


def hook(client: Client, path: str, payload: object) -> None:
    body = compact(payload)
    response = client.post(
        path,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(APP_SECRET, body)},
    )
    assert response.status_code == 200


# Official accounts ------------------------------------------------------------------------


@pytest.mark.django_db
def test_account_pages_are_for_admins_only(officers: dict[str, Officer]) -> None:
    admin = login(officers["admin"])
    page = admin.get("/posko/kanal/akun/")
    assert page.status_code == 200 and "Akun resmi kanal" in page.content.decode()
    # reached from the nav's "Administrasi" page
    assert 'href="/posko/administrasi/"' in page.content.decode()
    assert 'href="/posko/kanal/akun/"' in admin.get("/posko/administrasi/").content.decode()
    for role in ("operator", "kapolres", "satreskrim"):
        client = login(officers[role])
        assert client.get("/posko/kanal/akun/").status_code == 403
        assert client.get("/posko/kanal/akun/baru/").status_code == 403
        assert "Akun kanal" not in client.get("/posko/").content.decode()
        assert "/posko/kanal/akun/" not in client.get("/posko/administrasi/").content.decode()


@pytest.mark.django_db
def test_add_and_edit_account_secrets_are_write_only(
    officers: dict[str, Officer], polres: Unit
) -> None:
    admin = login(officers["admin"])
    form = admin.get("/posko/kanal/akun/baru/?platform=whatsapp").content.decode()
    assert "Verify token webhook" in form and "Belum diisi" in form
    response = admin.post(
        "/posko/kanal/akun/baru/",
        {
            "platform": "whatsapp",
            "external_id": "1065400001",
            "name": "WhatsApp Polres Beltim",
            "secret_access_token": SECRET,
            "secret_app_secret": "app-rahasia",
            "config": '{"window_template": {"name": "status_aduan", "language": "id"}}',
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    account = ChannelAccount.objects.get(external_id="1065400001")
    assert account.polres == polres and account.credentials["access_token"] == SECRET
    assert SECRET not in account.credentials_encrypted
    assert account.config["window_template"]["name"] == "status_aduan"

    listing = admin.get("/posko/kanal/akun/").content.decode()
    assert "WhatsApp Polres Beltim" in listing and "tersimpan" in listing
    page = admin.get(f"/posko/kanal/akun/{account.pk}/").content.decode()
    assert SECRET not in page and "app-rahasia" not in page and "Tersimpan" in page

    # Saving with the secret fields empty keeps the stored secrets; a typed one replaces.
    response = admin.post(
        f"/posko/kanal/akun/{account.pk}/",
        {
            "platform": "whatsapp",
            "name": "WA Humas",
            "secret_verify_token": "verif-baru",
            "config": "{}",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "WA Humas" and account.external_id == "1065400001"
    assert account.credentials == {
        "access_token": SECRET,
        "app_secret": "app-rahasia",
        "verify_token": "verif-baru",
    }
    assert account.config == {}
    target = f"channel_account:{account.pk}"
    change = AuditEvent.objects.filter(target=target, action="channel_account_updated").first()
    assert change is not None and change.actor == officers["admin"].user
    assert change.polres == account.polres
    assert change.data["credentials"] == ["verify_token"]
    assert "verif-baru" not in json.dumps([c.data for c in AuditEvent.objects.all()])
    page = admin.get(f"/posko/kanal/akun/{account.pk}/").content.decode()
    assert "Akun resmi diubah" in page and "rahasia diganti: verify_token" in page


@pytest.mark.django_db
def test_bad_config_is_a_form_error(officers: dict[str, Officer]) -> None:
    admin = login(officers["admin"])
    response = admin.post(
        "/posko/kanal/akun/baru/",
        {"platform": "telegram", "external_id": "7000", "config": "{bukan json"},
    )
    assert response.status_code == 400 and "JSON yang sah" in response.content.decode()
    assert not ChannelAccount.objects.exists()


@pytest.mark.django_db
def test_enable_disable_and_other_polres_is_out_of_reach(
    officers: dict[str, Officer], polres: Unit, other_polres: Unit
) -> None:
    mine = do_save_account(polres, "telegram", external_id="7001")
    theirs = do_save_account(other_polres, "telegram", external_id="7002")
    admin = login(officers["admin"])
    assert admin.post(f"/posko/kanal/akun/{mine.pk}/aktif/", {"active": "0"}).status_code == 302
    mine.refresh_from_db()
    assert not mine.is_active
    assert AuditEvent.objects.filter(
        target=f"channel_account:{mine.pk}", action="channel_account_disabled"
    ).exists()
    assert admin.post(f"/posko/kanal/akun/{theirs.pk}/aktif/", {"active": "0"}).status_code == 404
    assert admin.get(f"/posko/kanal/akun/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    assert "7002" not in admin.get("/posko/kanal/akun/").content.decode()


# Moderation stream ------------------------------------------------------------------------


@pytest.fixture
def stream(
    client: Client, instagram_account: ChannelAccount, fake_api: FakeApi
) -> dict[str, ModerationItem]:
    for name in ("instagram__comment_praise", "instagram__comment_provocative"):
        hook(client, "/hooks/meta/", fixture_json("meta", name))
    run_tasks()
    return {i.message.identity.username: i for i in ModerationItem.objects.all()}


@pytest.mark.django_db(transaction=True)
def test_moderation_page_lists_flagged_first_with_counts_and_filters(
    stream: dict[str, ModerationItem], officers: dict[str, Officer]
) -> None:
    operator = login(officers["operator"])
    page = operator.get("/posko/moderasi/")
    html = page.content.decode()
    assert page.status_code == 200 and 'href="/posko/moderasi/"' in html
    assert 'data-testid="count-open">2<' in html and 'data-testid="count-flagged">1<' in html
    assert html.index("akun_anonim99") < html.index("ibu_rina")  # provocative first
    flagged = operator.get("/posko/moderasi/", {"flagged": "on"}).content.decode()
    assert "akun_anonim99" in flagged and "ibu_rina" not in flagged
    other = operator.get("/posko/moderasi/", {"platform": "facebook"}).content.decode()
    assert "akun_anonim99" not in other and "Tidak ada komentar" in other

    assert login(officers["satreskrim"]).get("/posko/moderasi/").status_code == 403
    assert login(officers["auditor"]).get("/posko/moderasi/").status_code == 403
    assert login(officers["kapolres"]).get("/posko/moderasi/").status_code == 200
    # Another Polres's operator neither sees nor touches these items.
    foreign = login(officers["other_operator"])
    assert "akun_anonim99" not in foreign.get("/posko/moderasi/").content.decode()
    item = stream["akun_anonim99"]
    assert foreign.post(f"/posko/moderasi/{item.pk}/abaikan/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_moderation_actions(
    stream: dict[str, ModerationItem], officers: dict[str, Officer], fake_api: FakeApi
) -> None:
    operator = login(officers["operator"])
    praise, provocative = stream["ibu_rina"], stream["akun_anonim99"]

    fake_api.route("POST", r"/v23\.0/17865799348089040/replies", json={"id": "1789"})
    response = operator.post(
        f"/posko/moderasi/{praise.pk}/balas/",
        {"text": "Terima kasih dukungannya!", "filters": "flagged=on&x=<script>"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/posko/moderasi/?")
    run_tasks()
    [sent] = fake_api.calls("POST", r"/v23\.0/17865799348089040/replies")
    assert b"Terima+kasih" in sent.body or "Terima kasih" in sent.body.decode()
    praise.refresh_from_db()
    assert praise.state == ModerationState.REPLIED and praise.handled_by is not None
    assert OutboundDelivery.objects.get(moderation_item=praise).state == DeliveryState.SENT

    # Hiding fails on the platform: the operator sees the reason, nothing changes.
    fake_api.route("POST", r"/v23\.0/17865799348089041", status=400, json={"error": {"code": 10}})
    response = operator.post(f"/posko/moderasi/{provocative.pk}/sembunyikan/", follow=True)
    assert "Gagal menyembunyikan" in response.content.decode()
    provocative.refresh_from_db()
    assert provocative.state == ModerationState.NEW

    fake_api.route("POST", r"/v23\.0/17865799348089041/replies", json={"id": "1790"})
    response = operator.post(f"/posko/moderasi/{provocative.pk}/aduan/")
    aduan = Aduan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/posko/aduan/{aduan.code}/"
    provocative.refresh_from_db()
    assert provocative.state == ModerationState.CONVERTED and provocative.aduan == aduan
    # A second click does not make a second aduan.
    again = operator.post(f"/posko/moderasi/{provocative.pk}/aduan/", follow=True)
    assert "sudah dijadikan aduan" in again.content.decode() and Aduan.objects.count() == 1

    assert operator.post(f"/posko/moderasi/{praise.pk}/entah/").status_code == 404
    assert operator.get(f"/posko/moderasi/{praise.pk}/abaikan/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_dismiss(stream: dict[str, ModerationItem], officers: dict[str, Officer]) -> None:
    item = stream["ibu_rina"]
    response = login(officers["kapolres"]).post(f"/posko/moderasi/{item.pk}/abaikan/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ModerationState.DISMISSED
    assert item.message.state == "ignored"


# Failed deliveries and the WhatsApp window --------------------------------------------------


def whatsapp_aduan(client: Client) -> Aduan:
    payload = fixture_json("whatsapp", "message__text")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["timestamp"] = str(int(timezone.now().timestamp()))
    hook(client, "/hooks/whatsapp/", payload)
    run_tasks()
    return Aduan.objects.get()


@pytest.mark.django_db(transaction=True)
def test_failed_reply_can_be_resent_from_the_thread(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    aduan = whatsapp_aduan(client)
    fake_api.route(
        "POST",
        SEND_PATH,
        status=400,
        json={"error": {"code": 131026, "message": "Message undeliverable"}},
    )
    message = do_add_message(
        aduan, "Mohon kirim foto lokasi.", public=True, acting_user=officers["operator"].user
    )
    run_tasks()
    operator = login(officers["operator"])
    page = operator.get(f"/posko/aduan/{aduan.code}/").content.decode()
    assert "tidak dapat menerima pesan WhatsApp" in page
    assert f'data-testid="retry-{message.pk}"' in page
    assert (
        "Kirim ulang"
        not in login(officers["auditor"]).get(f"/posko/aduan/{aduan.code}/").content.decode()
    )

    fake_api.route(
        "POST", SEND_PATH, json={"messaging_product": "whatsapp", "messages": [{"id": "w.ok"}]}
    )
    response = operator.post(f"/posko/aduan/{aduan.code}/kirim-ulang/{message.pk}/")
    assert response.status_code == 302
    run_tasks()
    message.refresh_from_db()
    assert message.delivery_state == "sent" and message.delivery_error == ""
    assert aduan.audit_events.filter(action="delivery_retried").exists()
    # Resending what is not failed is refused politely.
    again = operator.post(f"/posko/aduan/{aduan.code}/kirim-ulang/{message.pk}/", follow=True)
    assert "Hanya pengiriman yang gagal" in again.content.decode()
    assert login(officers["auditor"]).post(
        f"/posko/aduan/{aduan.code}/kirim-ulang/{message.pk}/"
    ).status_code in (403, 404)


@pytest.mark.django_db(transaction=True)
def test_closed_whatsapp_window_is_explained_before_sending(
    client: Client, whatsapp_account: ChannelAccount, officers: dict[str, Officer]
) -> None:
    aduan = whatsapp_aduan(client)
    operator = login(officers["operator"])
    page = operator.get(f"/posko/aduan/{aduan.code}/").content.decode()
    assert 'data-testid="reply-blocked"' not in page
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        page = operator.get(f"/posko/aduan/{aduan.code}/").content.decode()
        assert 'data-testid="reply-blocked"' in page and "24 jam" in page
        response = operator.post(
            f"/posko/aduan/{aduan.code}/balas/", {"text": "Halo, masih di lokasi?"}
        )
        assert response.status_code == 400
        assert "alert--error" in response.content.decode()
        assert "templat" in response.content.decode()
        # An internal note is still fine.
        note = operator.post(
            f"/posko/aduan/{aduan.code}/balas/", {"text": "Coba telepon.", "internal": "on"}
        )
        assert note.status_code == 302
    assert not aduan.messages.filter(kind="public_reply").exists()


# Notice templates -------------------------------------------------------------------------


@pytest.mark.django_db
def test_notice_templates_are_edited_by_admins_with_safe_placeholders(
    officers: dict[str, Officer], polres: Unit
) -> None:
    from posko.channels.models import NoticeTemplate

    assert login(officers["operator"]).get("/posko/kanal/templat/").status_code == 403
    admin = login(officers["admin"])
    page = admin.get("/posko/kanal/templat/").content.decode()
    assert 'data-testid="notice-rejected"' in page and "memakai teks bawaan" in page

    response = admin.post(
        "/posko/kanal/templat/",
        {"event": "rejected", "text": "Aduan {code} ditolak: {reason}.", "is_active": "on"},
    )
    assert response.status_code == 302
    template = NoticeTemplate.objects.get(polres=polres, event="rejected")
    assert template.text == "Aduan {code} ditolak: {reason}."
    assert template.updated_by == officers["admin"].user

    # A public wording may not carry the tracking code; broken braces are refused too.
    for text in ("Laporan {code} kami terima.", "Terima kasih {polres"):
        response = admin.post(
            "/posko/kanal/templat/", {"event": "comment_ack", "text": text, "is_active": "on"}
        )
        assert response.status_code == 400
    assert (
        "tidak boleh dipakai"
        in admin.post(
            "/posko/kanal/templat/",
            {"event": "public_update", "text": "Status {status}: {reason}", "is_active": "on"},
        ).content.decode()
    )
    assert not NoticeTemplate.objects.filter(event__in=("comment_ack", "public_update")).exists()
