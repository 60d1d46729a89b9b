from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import RequestFactory, override_settings

from posko.core.ratelimit import client_address, hit, is_limited

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_limit_counts_per_client_address() -> None:
    factory = RequestFactory()
    a = factory.get("/", REMOTE_ADDR="192.0.2.1")
    b = factory.get("/", REMOTE_ADDR="192.0.2.2")
    with time_machine.travel(START, tick=False):
        assert not any(hit(a, "t", "2/m") for _ in range(2))
        assert is_limited(a, "t", "2/m")
        assert hit(a, "t", "2/m")
        assert not is_limited(b, "t", "2/m")
        assert not is_limited(a, "other-scope", "2/m")
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        assert not is_limited(a, "t", "2/m")


def test_peeking_does_not_count() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            assert not is_limited(request, "peek", "1/m")
        assert not hit(request, "peek", "1/m")
        assert is_limited(request, "peek", "1/m")


def test_limits_follow_the_proxy_hops(settings: object) -> None:
    factory = RequestFactory()
    with override_settings(POSKO_PROXY_HOPS=1), time_machine.travel(START, tick=False):
        first = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
        second = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
        assert not hit(first, "p", "1/m")
        assert is_limited(first, "p", "1/m")
        assert not is_limited(second, "p", "1/m")  # same proxy, another client


def test_client_address_behind_proxy() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_address(request) == "10.0.0.1"
    with override_settings(POSKO_PROXY_HOPS=1):
        # the right-most entry was written by our proxy; the left one by the client
        assert client_address(request) == "203.0.113.7"
    with override_settings(POSKO_PROXY_HOPS=3):
        assert client_address(request) == "10.0.0.1"
