"""Where a dashboard page spends its time: every query of one cold request (cache emptied),
slowest first, with EXPLAIN ANALYZE of the slowest ones, and the time outside SQL.

    .venv/bin/python bench/profile_page.py --database-url postgres://postgres@127.0.0.1:5432
        --db-name posko_dash_bench [--user kapolres] [--top 5] /posko/komando/ [/transparansi/ …]

Runs against a database left by ``bench/dashboard_bench.py --keep``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def python_profile(client: object, path: str, rows: int, dump: str = "") -> None:
    """Where the Python time of 10 cold requests goes (cProfile; the figures cache emptied
    before each, as the cold figures of bench/dashboard_bench.py)."""
    import cProfile
    import pstats

    from django.core.cache import cache

    profiler = cProfile.Profile()
    for _ in range(10):
        cache.clear()
        profiler.enable()
        client.get(path)  # type: ignore[attr-defined]
        profiler.disable()
    if dump:
        profiler.dump_stats(dump)  # for pstats (print_callees, ...)
    print(f"\n-- cProfile of 10 cold requests to {path}, by internal time")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(rows)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(rows)


def profile(path: str, username: str, top: int, cprofile: int = 0, dump: str = "") -> None:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(path)  # warm-up (imports, templates)
    cache.clear()
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    # Read before any other request: each request empties the connection's query log.
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
    if cprofile:
        python_profile(client, path, cprofile, dump)
    sql_ms = sum(t for t, _ in queries)
    print(f"== {path}: {elapsed:.1f} ms, {len(queries)} queries, {sql_ms:.1f} ms in SQL")
    for ms, sql in sorted(queries, reverse=True):
        print(f"  {ms:7.1f} ms  {sql[:160]}")
    for ms, sql in sorted(queries, reverse=True)[:top]:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        print(f"\n-- EXPLAIN ANALYZE ({ms:.1f} ms): {sql[:300]}")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            for (line,) in cursor.fetchall():
                print(f"   {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db-name", required=True)
    parser.add_argument("--user", default="kapolres")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--cprofile", type=int, default=0, help="rows of a Python profile")
    parser.add_argument("--dump", default="", help="write the cProfile stats to this file")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    os.environ["POSKO_DATABASE_URL"] = f"{args.database_url.rstrip('/')}/{args.db_name}"
    os.environ.setdefault("POSKO_DATA_DIR", tempfile.mkdtemp(prefix="posko-profile-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posko.config.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.POSKO_2FA_ROLES = []  # the page is profiled, not the login steps
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    for path in args.paths:
        profile(path, args.user, args.top, args.cprofile, args.dump)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
