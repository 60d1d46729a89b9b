# ruff: noqa: S105 - test credentials
"""Fixtures for channel tests: fake platform APIs and configured official accounts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from posko.channels.actions.accounts import do_save_account
from posko.channels.models import ChannelAccount, Platform
from posko.channels.testing import FakeApi
from posko.org.models import Unit

APP_SECRET = "meta-app-secret-uji"
VERIFY_TOKEN = "verifikasi-posko-uji"
WA_TOKEN = "EAAG-uji-token-whatsapp"
WA_PHONE_ID = "106540352242922"
IG_ACCOUNT_ID = "17841400000000001"
FB_PAGE_ID = "448242228374517"
TG_TOKEN = "7000000001:AAH-uji-token-telegram"
TG_SECRET = "rahasia-telegram-uji_123"


@pytest.fixture
def fake_api(settings: Any) -> Iterator[FakeApi]:
    """The fake platform API; its address is the one extra media host allowed (plain http),
    like a real deployment's ``POSKO_CHANNEL_MEDIA_HOSTS``."""
    api = FakeApi().start()
    settings.POSKO_CHANNEL_MEDIA_HOSTS = [api.url.removeprefix("http://")]
    yield api
    api.stop()


@pytest.fixture
def whatsapp_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.WHATSAPP,
        external_id=WA_PHONE_ID,
        slug="blt-whatsapp",
        api_base=fake_api.url + "/v23.0",
        # The receipt (code + secret link) is tested in tests/test_receipts.py; off here so
        # that other tests count only the messages they are about.
        config={"reporter_receipt": False},
        credentials={
            "app_secret": APP_SECRET,
            "verify_token": VERIFY_TOKEN,
            "access_token": WA_TOKEN,
        },
    )


@pytest.fixture
def telegram_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.TELEGRAM,
        external_id=TG_TOKEN.split(":")[0],
        slug="blt-telegram",
        api_base=fake_api.url,
        # The receipt (code + secret link) is tested in tests/test_receipts.py; off here so
        # that other tests count only the messages they are about.
        config={"reporter_receipt": False},
        credentials={"bot_token": TG_TOKEN, "secret_token": TG_SECRET},
    )


@pytest.fixture
def instagram_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.INSTAGRAM,
        external_id=IG_ACCOUNT_ID,
        slug="blt-instagram",
        api_base=fake_api.url + "/v23.0",
        # The receipt (code + secret link) is tested in tests/test_receipts.py; off here so
        # that other tests count only the messages they are about.
        config={"reporter_receipt": False},
        credentials={
            "app_secret": APP_SECRET,
            "verify_token": VERIFY_TOKEN,
            "access_token": "IGAA-uji-token",
        },
    )


@pytest.fixture
def facebook_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.FACEBOOK,
        external_id=FB_PAGE_ID,
        slug="blt-facebook",
        api_base=fake_api.url + "/v23.0",
        # The receipt (code + secret link) is tested in tests/test_receipts.py; off here so
        # that other tests count only the messages they are about.
        config={"reporter_receipt": False},
        credentials={
            "app_secret": APP_SECRET,
            "verify_token": VERIFY_TOKEN,
            "access_token": "EAAP-uji-page-token",
        },
    )
