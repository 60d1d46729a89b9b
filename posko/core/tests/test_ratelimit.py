from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from posko.core.ratelimit import client_address, hit, is_limited, parse_rate


def test_parse_rate() -> None:
    assert parse_rate("5/10m") == (5, 600)
    assert parse_rate("30/m") == (30, 60)
    with pytest.raises(ValueError):
        parse_rate("lima per menit")


def test_limit_counts_per_key() -> None:
    assert not any(hit("t", "a", "2/m") for _ in range(2))
    assert is_limited("t", "a", "2/m")
    assert hit("t", "a", "2/m")
    assert not is_limited("t", "b", "2/m")


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
