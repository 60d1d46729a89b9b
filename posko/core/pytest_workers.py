"""A pytest plugin (loaded with `-p`) that gives each pytest-xdist worker its own Redis database.

The RQ stage of scripts/test empties its Redis database before every test (posko/conftest.py);
parallel workers sharing one database would empty each other's queues in mid-test. Each worker
`gwN` therefore moves POSKO_REDIS_URL from database D to D - N. This runs when the plugin is
imported, before pytest-django imports the settings that read the variable.
"""

from __future__ import annotations

import os
import re

_DB_AT_END = re.compile(r"/(\d+)$")


def worker_redis_url(url: str, worker: str) -> str:
    """The Redis URL of xdist worker `worker` ("gw0", "gw1", …): database D becomes D - N."""
    index = int(worker.removeprefix("gw"))
    match = _DB_AT_END.search(url)
    base = int(match.group(1)) if match else 0
    if index > base:
        raise RuntimeError(
            f"POSKO_REDIS_URL {url} leaves no Redis database for worker {worker}: "
            f"point it at database {index} or higher, or run fewer workers."
        )
    stem = url[: match.start()] if match else url.rstrip("/")
    return f"{stem}/{base - index}"


def _move_redis_database() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("POSKO_REDIS_URL")
    if worker and url:
        os.environ["POSKO_REDIS_URL"] = worker_redis_url(url, worker)


_move_redis_database()
