import pytest

from posko.core.pytest_workers import worker_redis_url


def test_each_worker_gets_its_own_redis_database_below_the_given_one() -> None:
    url = "redis://127.0.0.1:6379/15"
    found = {worker_redis_url(url, f"gw{n}") for n in range(4)}
    assert found == {f"redis://127.0.0.1:6379/{d}" for d in (15, 14, 13, 12)}


def test_a_url_without_database_starts_at_zero_and_refuses_a_second_worker() -> None:
    assert worker_redis_url("redis://localhost:6379", "gw0") == "redis://localhost:6379/0"
    with pytest.raises(RuntimeError, match="no Redis database for worker gw1"):
        worker_redis_url("redis://localhost:6379/", "gw1")
