from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.actions import do_submit_aduan
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit


@pytest.mark.django_db
def test_indonesian_even_for_english_browsers(polres: Unit) -> None:
    response = Client().get("/lacak/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Lacak laporan" in response.content.decode()


@pytest.mark.django_db
def test_console_durations_in_indonesian(polres: Unit, officers: dict[str, Officer]) -> None:
    do_submit_aduan(
        polres,
        text="Kebakaran rumah di desa Kurnia Jaya, api masih besar",
        channel="web",
        received_at=timezone.now() - timedelta(hours=3),
    )
    client = Client()
    client.login(username="operator", password=PASSWORD)
    html = client.get("/posko/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "terlambat 2\xa0jam" in html or "terlambat 2 jam" in html
    assert "hours" not in html
