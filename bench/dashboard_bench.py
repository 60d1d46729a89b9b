"""Dashboard benchmark: /transparansi/ and the command view (/posko/komando/) at growing
aduan volumes on PostgreSQL.

    .venv/bin/python bench/dashboard_bench.py --database-url postgres://postgres@127.0.0.1:5432
        [--sizes 10000,100000,1000000] [--requests 40]

A temporary database is created on the server (and dropped at the end); migrate; Polres
Belitung Timur with its units and a Kapolres. For each size the aduan table is grown in bulk
to that many rows (a year of random categories, channels, desa, Polsek, satuan, officers,
statuses, response and resolution times), then ``do_rebuild_metrics`` (the real rebuild) builds
the metrics layer, and both pages are requested ``--requests`` times in-process through
Django's test client (full middleware stack, no HTTP server) after a warm-up, "cold" (the
figures cache emptied before each request: every figure read from the metrics rows) and
"cached" (``POSKO_METRICS_CACHE_SECONDS``). Printed per size: rebuild time, metric rows, p50/p95
of each, and at the end p95(largest)/p95(smallest).
Targets: p95 < 200 ms at 1 M aduan and a ratio ≤ 1.5.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET_P95_MS, TARGET_RATIO = 200.0, 1.5
BATCH = 5000


def setup_django(server: str) -> str:
    import psycopg

    name = f"posko_dash_bench_{os.getpid()}"
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["POSKO_DATABASE_URL"] = f"{server.rstrip('/')}/{name}"
    os.environ["POSKO_DATA_DIR"] = tempfile.mkdtemp(prefix="posko-dash-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posko.config.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return name


def drop_database(server: str, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Builder:
    """Random aduan rows written with bulk_create (bypassing the actions on purpose: this
    builds volume; the metrics come from the real rebuild)."""

    def __init__(self) -> None:
        from posko.aduan.models.choices import Category, Channel, Priority
        from posko.conftest import make_officer
        from posko.org.actions.setup import ensure_polres
        from posko.org.models import Role, Unit, UnitKind
        from posko.regions.models import Region, RegionLevel

        self.rng = random.Random(1906)
        self.polres = ensure_polres(
            "19.06", "BLT", "Polres Belitung Timur", "Polda Kepulauan Bangka Belitung"
        )
        self.kapolres = make_officer("kapolres", Role.PIMPINAN, self.polres)
        self.polsek = list(Unit.objects.filter(parent=self.polres, kind=UnitKind.POLSEK))
        self.satuan = list(Unit.objects.filter(parent=self.polres, kind=UnitKind.SATUAN))
        self.officers = [
            make_officer(f"petugas{i}", Role.PETUGAS, self.rng.choice(self.satuan))
            for i in range(30)
        ]
        self.desa = list(
            Region.objects.filter(
                level=RegionLevel.DESA,
                code__startswith=self.polres.region.code + ".",  # type: ignore[union-attr]
            )
        )
        self.categories = Category.values
        self.channels = Channel.values
        self.priorities = Priority.values
        self.count = 0

    def row(self, now: Any) -> Any:
        from posko.aduan.models import Aduan
        from posko.aduan.models.choices import PRIORITY_RANK

        rng = self.rng
        received = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        age = now - received
        priority = rng.choice(self.priorities)
        responded = received + timedelta(minutes=rng.expovariate(1 / 90))
        resolved = responded + timedelta(minutes=rng.expovariate(1 / 2000))
        status = "baru"
        if responded < now:
            status = "ditangani"
            # A realistic backlog: what is older than two weeks has been closed.
            if resolved < now and (rng.random() < 0.9 or age > timedelta(days=14)):
                status = rng.choice(["selesai"] * 8 + ["ditolak", "dialihkan"])
                resolved = min(resolved, now)
        desa = rng.choice(self.desa)
        self.count += 1
        return Aduan(
            polres=self.polres,
            code=f"BLT-{self.count:09d}"[-13:],
            channel=rng.choice(self.channels),
            received_at=received,
            text="bench",
            desa=desa,
            kecamatan_id=desa.parent_id,
            category=rng.choice(self.categories),
            priority=priority,
            priority_rank=PRIORITY_RANK[priority],
            tone="netral",
            handling_unit=rng.choice(self.satuan),
            polsek=rng.choice(self.polsek),
            assigned_officer=rng.choice([None, *self.officers]),
            status=status,
            first_response_due=received + timedelta(minutes=120),
            resolution_due=received + timedelta(days=3),
            first_responded_at=responded if status != "baru" else None,
            resolved_at=resolved if status == "selesai" else None,
            created_at=received,
            updated_at=min(now, resolved) if age > timedelta(0) else received,
        )

    def grow(self, target: int) -> None:
        from django.utils import timezone

        from posko.aduan.models import Aduan

        now = timezone.now()
        while self.count < target:
            n = min(BATCH, target - self.count)
            Aduan.objects.bulk_create([self.row(now) for _ in range(n)], batch_size=BATCH)


def measure(client: Any, path: str, requests: int, *, cold: bool) -> tuple[float, float]:
    """p50/p95 in ms; ``cold``: the figures cache is emptied before every request."""
    from django.core.cache import cache

    for _ in range(3):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(requests):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    name = setup_django(args.database_url)
    try:
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from posko.conftest import PASSWORD
        from posko.metrics.actions.refresh import do_rebuild_metrics

        setup_test_environment()
        settings.ALLOWED_HOSTS = ["*"]
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        builder = Builder()
        public = Client()
        command = Client()
        assert command.login(username="kapolres", password=PASSWORD)
        results: dict[int, dict[str, tuple[float, float]]] = {}
        print(f"{'aduan':>9} {'build s':>8} {'rebuild s':>9} {'rows':>7}  page: p50 / p95 ms")
        for size in sizes:
            t0 = time.perf_counter()
            builder.grow(size)
            t1 = time.perf_counter()
            rows, _ = do_rebuild_metrics()
            t2 = time.perf_counter()
            with connection.cursor() as cursor:  # what autovacuum does after a bulk load
                cursor.execute("ANALYZE")
            results[size] = {
                f"{page} {kind}": measure(client, page, args.requests, cold=kind == "cold")
                for page, client in (("/transparansi/", public), ("/posko/komando/", command))
                for kind in ("cold", "cached")
            }
            figures = "  ".join(
                f"{page} {p50:.1f} / {p95:.1f}" for page, (p50, p95) in results[size].items()
            )
            print(f"{size:>9} {t1 - t0:>8.1f} {t2 - t1:>9.1f} {rows:>7}  {figures}", flush=True)
        small, large = results[sizes[0]], results[sizes[-1]]
        for page in small:
            ratio = large[page][1] / small[page][1]
            ok = large[page][1] < TARGET_P95_MS and ratio <= TARGET_RATIO
            print(
                f"{page}: p95 {large[page][1]:.1f} ms at {sizes[-1]} "
                f"(target < {TARGET_P95_MS:.0f}), ratio {ratio:.2f} "
                f"(target ≤ {TARGET_RATIO}) {'OK' if ok else 'MISSED'}"
            )
    finally:
        drop_database(args.database_url, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
