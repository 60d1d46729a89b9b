# ruff: noqa: F811 - test credentials; fixtures used as parameters
"""Fixtures for publishing tests: the Polres's official accounts pointing at one local fake
API (``posko.channels.testing.FakeApi``), configured for publishing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from posko.channels.actions.accounts import do_save_account
from posko.channels.conftest import (  # noqa: F401 (fixtures)
    FB_PAGE_ID,
    IG_ACCOUNT_ID,
    TG_TOKEN,
    WA_PHONE_ID,
    facebook_account,
    fake_api,
    instagram_account,
    telegram_account,
    whatsapp_account,
)
from posko.channels.models import ChannelAccount, Platform
from posko.channels.testing import FakeApi
from posko.org.models import Unit

X_USER_ID = "1450000000000000001"
X_TOKEN = "x-uji-user-token"
TG_CHANNEL = "@humas_polres_beltim"


@pytest.fixture
def x_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.X,
        external_id=X_USER_ID,
        slug="blt-x",
        api_base=fake_api.url,
        credentials={"bearer_token": "x-uji-app-bearer", "user_access_token": X_TOKEN},
    )


@pytest.fixture
def accounts(
    facebook_account: ChannelAccount,
    instagram_account: ChannelAccount,
    x_account: ChannelAccount,
    telegram_account: ChannelAccount,
) -> dict[str, ChannelAccount]:
    telegram_account.config = {"channel_chat_id": TG_CHANNEL}
    telegram_account.save(update_fields=["config"])
    return {
        "facebook": facebook_account,
        "instagram": instagram_account,
        "x": x_account,
        "telegram": telegram_account,
    }


@pytest.fixture
def wa_alerts(whatsapp_account: ChannelAccount) -> ChannelAccount:
    whatsapp_account.config = {
        "alert_template": {"name": "peringatan_keamanan", "language": "id"},
        "optin_template": {"name": "kode_langganan", "language": "id"},
    }
    whatsapp_account.save(update_fields=["config"])
    return whatsapp_account


@pytest.fixture(autouse=True)
def _fast_polling(settings: Any) -> None:
    settings.POSKO_IG_POLL_INTERVAL = 0
    settings.POSKO_PUBLIC_URL = "https://posko.polres-beltim.example"


def jpeg(width: int = 1080, height: int = 1080, name: str = "peta.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(width: int = 800, height: int = 600, name: str = "poster.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 30, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
