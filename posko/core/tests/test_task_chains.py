"""Self-re-enqueueing task chains (feed polls, monthly reports, the periodic check) kept by
Posko's own rows: a lost chain is restarted exactly once — ensure run twice or concurrently
starts one chain, and the lost link, should it turn up, is stale and stops. Runs the real
worker on the database backend and on RQ; nothing reads the task backend's tables."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from posko.channels.actions.accounts import do_save_account
from posko.channels.conftest import fake_api as fake_api
from posko.channels.models import ChannelAccount, Platform
from posko.channels.testing import FakeApi
from posko.core.chains import ENSURE_KEY, ensure_chains
from posko.core.models import TaskChain
from posko.core.testing import run_tasks
from posko.metrics.tasks import MONTHLY_KEY, generate_monthly_reports
from posko.org.models import Officer, Unit
from posko.patrol.actions.feeds import do_poll_feed
from posko.patrol.actions.watch_admin import do_save_feed
from posko.patrol.models import Feed, FeedKind, Watchlist

pytestmark = [pytest.mark.tasks, pytest.mark.django_db(transaction=True)]
SEARCH = r"/2/tweets/search/recent"
EMPTY = {"data": [], "meta": {"result_count": 0}}


@pytest.fixture
def x_account(polres: Unit, fake_api: FakeApi) -> ChannelAccount:
    return do_save_account(
        polres,
        Platform.X,
        external_id="999000111",
        slug="blt-x",
        api_base=fake_api.url,
        credentials={"bearer_token": "x-app-bearer"},
    )


def _feed(x_account: ChannelAccount, officers: dict[str, Officer]) -> Feed:
    w = Watchlist.objects.create(polres=x_account.polres, name="W", keywords=["begal"])
    return do_save_feed(
        None,
        acting_user=officers["operator"].user,
        fields={"kind": FeedKind.X_SEARCH, "name": "X", "watchlist": w, "account": x_account},
    )


def _key(feed: Feed) -> str:
    return f"patrol.poll_feed:{feed.pk}"


def _lose(key: str, *, ago: timedelta = timedelta(hours=1)) -> str:
    """The chain's waiting link never ran (lost): its row says it was due long ago."""
    row = TaskChain.objects.get(key=key)
    TaskChain.objects.filter(pk=row.pk).update(next_run_at=timezone.now() - ago)
    return row.token


def test_a_lost_feed_chain_is_restarted_exactly_once(
    officers: dict[str, Officer], x_account: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route("GET", SEARCH, json=EMPTY)
    feed = _feed(x_account, officers)
    run_tasks()  # the first link polls and enqueues the next one (due in poll_seconds)
    assert len(fake_api.calls("GET", SEARCH)) == 1
    row = TaskChain.objects.get(key=_key(feed))
    assert row.next_run_at is not None and row.next_run_at > timezone.now()
    assert row.last_run_at is not None and row.last_result == "0 dibaca, 0 baru"
    assert row.task_id  # the waiting link's id, as the backend gave it

    assert ensure_chains("patrol.") == []  # alive: nothing to do
    lost = _lose(_key(feed))
    assert ensure_chains("patrol.") == [_key(feed)]
    assert ensure_chains("patrol.") == []  # idempotent
    call_command("chains", "ensure", stdout=StringIO())  # worker start: nothing more
    run_tasks()
    assert len(fake_api.calls("GET", SEARCH)) == 2  # one restarted chain polled once
    assert TaskChain.objects.get(key=_key(feed)).restarts == 1
    # The lost link, should it turn up after all, stops: no second chain.
    assert do_poll_feed(feed.pk, lost) == "stale chain link"
    assert len(fake_api.calls("GET", SEARCH)) == 2


def test_concurrent_ensure_starts_one_chain(
    officers: dict[str, Officer], x_account: ChannelAccount, fake_api: FakeApi
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database (SQLite serialises them)")
    fake_api.route("GET", SEARCH, json=EMPTY)
    feed = _feed(x_account, officers)
    run_tasks()
    _lose(_key(feed))
    barrier = threading.Barrier(4)
    started: list[list[str]] = []

    def ensure() -> None:
        try:
            barrier.wait()
            started.append(ensure_chains("patrol."))
        finally:
            connection.close()

    threads = [threading.Thread(target=ensure) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(s) for s in started) == [0, 0, 0, 1]
    run_tasks()
    assert len(fake_api.calls("GET", SEARCH)) == 2


def test_a_feed_switched_off_stops_its_chain_and_ensure_leaves_it(
    officers: dict[str, Officer], x_account: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route("GET", SEARCH, json=EMPTY)
    feed = _feed(x_account, officers)
    token = TaskChain.objects.get(key=_key(feed)).token
    Feed.objects.filter(pk=feed.pk).update(enabled=False)
    assert do_poll_feed(feed.pk, token) == "inactive"
    row = TaskChain.objects.get(key=_key(feed))
    assert row.next_run_at is None and not row.token
    assert ensure_chains("patrol.") == []
    assert not fake_api.calls("GET", SEARCH)


def test_the_periodic_check_restarts_lost_chains_and_comes_back(
    officers: dict[str, Officer], x_account: ChannelAccount, fake_api: FakeApi
) -> None:
    fake_api.route("GET", SEARCH, json=EMPTY)
    feed = _feed(x_account, officers)
    run_tasks()
    _lose(_key(feed))
    assert ENSURE_KEY in ensure_chains("core.")  # worker start arms the periodic check
    run_tasks()  # its first link: restarts the feed's chain …
    run_tasks()  # … whose link polls (on RQ a job scheduled during a burst waits for the next)
    check = TaskChain.objects.get(key=ENSURE_KEY)
    # the feed's lost chain and the monthly reports' (never armed in this test)
    assert check.last_result == f"2 rantai dimulai: {MONTHLY_KEY}, {_key(feed)}"
    assert check.next_run_at is not None and check.next_run_at > timezone.now()
    assert len(fake_api.calls("GET", SEARCH)) == 2


def test_monthly_reports_chain_is_armed_once_and_restarted_once(
    polres: Unit, settings: Any
) -> None:
    out = StringIO()
    call_command("report", "schedule", stdout=out)
    call_command("report", "schedule", stdout=out)
    assert "dijadwalkan" in out.getvalue() and "sudah terjadwal" in out.getvalue()
    row = TaskChain.objects.get(key=MONTHLY_KEY)
    assert row.next_run_at is not None and row.next_run_at > timezone.now()
    first = row.token

    # Lost (e.g. a Redis flush) two hours after its 1st: restarted once, due at the next 1st.
    lost = _lose(MONTHLY_KEY, ago=timedelta(hours=2))
    assert ensure_chains("metrics.") == [MONTHLY_KEY]
    assert ensure_chains("metrics.") == []
    row.refresh_from_db()
    assert row.token != first and row.restarts == 1
    # The old link runs after all: it generates nothing and does not re-arm.
    assert generate_monthly_reports.call("", lost) == 0
    row2 = TaskChain.objects.get(key=MONTHLY_KEY)
    assert (row2.token, row2.next_run_at) == (row.token, row.next_run_at)
