"""Citizen satisfaction after selesai: asked once on the tracking page, one reminder, "not
solved" reopens the aduan, answers show in the metrics."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from posko.aduan.actions import do_change_status, do_submit_aduan
from posko.aduan.models import Aduan, StatusChange
from posko.aduan.models.choices import Status
from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi
from posko.channels.tests.test_notices import sent_texts, whatsapp_in
from posko.core.testing import run_tasks
from posko.metrics.actions.satisfaction import do_remind_satisfaction
from posko.metrics.models import MetricRow, Satisfaction
from posko.org.models import Officer, Unit

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks


def resolve(aduan: Aduan, officer: Officer) -> None:
    do_change_status(aduan, Status.DITANGANI, acting_user=officer.user)
    do_change_status(aduan, Status.SELESAI, acting_user=officer.user)


@pytest.mark.django_db(transaction=True)
def test_not_solved_reopens_and_feeds_the_metrics(
    client: Client, polres: Unit, officers: dict[str, Officer], settings: Any
) -> None:
    settings.POSKO_CSAT_REMIND_HOURS = 0  # the reminder is due at once
    aduan = do_submit_aduan(polres, text="Lampu jalan mati, sering ada pencurian", channel="web")
    page = client.get(f"/lacak/{aduan.code}/").content.decode()
    assert "kepuasan" not in page  # not asked before selesai
    resolve(aduan, officers["operator"])
    run_tasks()
    run_tasks()
    survey = Satisfaction.objects.get(aduan=aduan)
    assert survey.reminded_at is not None  # the single reminder ran
    page = client.get(f"/lacak/{aduan.code}/").content.decode()
    assert f"/lacak/{aduan.code}/kepuasan/" in page

    bad = client.post(f"/lacak/{aduan.code}/kepuasan/", {"solved": "tidak", "rating": "9"})
    assert bad.status_code == 400 and "Pilih" in bad.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None

    response = client.post(
        f"/lacak/{aduan.code}/kepuasan/",
        {"solved": "tidak", "rating": "2", "comment": "Lampunya mati lagi"},
    )
    assert response.status_code == 302
    aduan.refresh_from_db()
    assert aduan.status == Status.DITANGANI
    change = StatusChange.objects.filter(aduan=aduan).latest("pk")
    assert change.actor is None and "Lampunya mati lagi" in change.reason
    again = client.post(f"/lacak/{aduan.code}/kepuasan/", {"solved": "ya", "rating": "5"})
    assert again.status_code == 400 and "sudah diterima" in again.content.decode()

    run_tasks()
    total = MetricRow.objects.get(polres=polres, grain="m", dimension="all")
    assert (total.csat_count, total.csat_solved, total.csat_rating_sum) == (1, 0, 2)
    assert total.reopened == 1 and total.open == 1
    assert "Terima kasih" in client.get(f"/lacak/{aduan.code}/").content.decode()
    # Closing again does not ask a second time.
    do_change_status(aduan, Status.SELESAI, acting_user=officers["operator"].user)
    run_tasks()
    assert Satisfaction.objects.filter(aduan=aduan).count() == 1


@pytest.mark.django_db
def test_reminder_only_once_and_never_after_an_answer(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = do_submit_aduan(polres, text="Parkir liar di depan pasar", channel="web")
    assert do_remind_satisfaction(aduan.pk) == "missing"
    survey = Satisfaction.objects.create(aduan=aduan)
    assert do_remind_satisfaction(aduan.pk) == "reminded (tracking page)"
    assert do_remind_satisfaction(aduan.pk) == "already_reminded"
    survey.answered_at = survey.asked_at
    survey.save()
    assert do_remind_satisfaction(aduan.pk) == "answered"


@pytest.mark.django_db
def test_unknown_code(client: Client, polres: Unit) -> None:
    response = client.post("/lacak/BLT-ZZZZZZ/kepuasan/", {"solved": "ya", "rating": "5"})
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_whatsapp_reporter_is_asked_on_whatsapp_and_the_answer_shows_in_the_metrics(
    client: Client,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
    polres: Unit,
) -> None:
    aduan = whatsapp_in(client, fake_api)
    resolve(aduan, officers["operator"])
    run_tasks()
    run_tasks()
    texts = sent_texts(fake_api)
    question = [t for t in texts if "Apakah masalah Anda sudah terselesaikan" in t]
    assert len(question) == 1 and aduan.code in question[0]
    response = client.post(f"/lacak/{aduan.code}/kepuasan/", {"solved": "ya", "rating": "5"})
    assert response.status_code == 302
    run_tasks()
    total = MetricRow.objects.get(polres=polres, grain="m", dimension="channel", value="whatsapp")
    assert (total.csat_count, total.csat_solved, total.csat_rating_sum) == (1, 1, 5)
    aduan.refresh_from_db()
    assert aduan.status == Status.SELESAI
