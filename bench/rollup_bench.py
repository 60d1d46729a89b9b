"""Polda roll-up benchmark: a Polda of 30 Polres with 100 k aduan each (a year), on PostgreSQL;
p50/p95 of the Kapolda's command view (/posko/komando/, the comparison table of Polres) and of
``/api/v1/metrics/polres`` and ``/summary``.

    .venv/bin/python bench/rollup_bench.py --database-url postgres://postgres@127.0.0.1:5432
        [--polres 30] [--aduan 100000] [--requests 40] [--db-name NAME --keep] [--reuse]

Building 3 M aduan rows and rebuilding the metrics from them would take far longer than the
measurement on this machine, so the aggregate rows are built directly: 100 k synthetic aduan
(a year of random categories, channels, desa, Polsek, satuan, officers, statuses, response and
resolution times) go through the metrics layer's own ``contribution`` (what one aduan adds to
which rows) and are summed in memory once; the resulting rows are then written for each of
the 30 Polres with its own Polsek and satuan ids (COPY), so every Polres has exactly the rows
100 k aduan produce. There are no aduan rows: the command view's live part (open aduan past
their SLA now, one grouped query over the open backlog) reads an empty table here; its cost at
volume is ``bench/dashboard_bench.py``'s. A temporary database is created and dropped
(``--db-name NAME --keep`` keeps it; ``--reuse`` then measures it again without rebuilding).
Target: p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 300.0
N_POLSEK, N_SATUAN, N_OFFICER, N_DESA = 8, 8, 30, 40  # 8 satuan: one of each kind


def setup_django(server: str, name: str, *, reuse: bool) -> bool:
    """Create (or, with ``reuse``, keep an existing) database; True when it must be built."""
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        build = not (reuse and exists)
        if build:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["POSKO_DATABASE_URL"] = f"{server.rstrip('/')}/{name}"
    os.environ["POSKO_DATA_DIR"] = tempfile.mkdtemp(prefix="posko-rollup-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posko.config.settings")
    os.environ["POSKO_2FA_ROLES"] = ""  # the page itself is measured, not the login steps
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return build


def drop_database(server: str, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def synthetic_aduan(rng: random.Random, now: datetime) -> dict[str, Any]:
    """One aduan as the metrics layer reads it; unit ids are indexes (mapped per Polres)."""
    from posko.aduan.models.choices import Category, Channel

    received = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
    age = now - received
    responded = received + timedelta(minutes=rng.expovariate(1 / 90))
    resolved = responded + timedelta(minutes=rng.expovariate(1 / 2000))
    status = "baru"
    if responded < now:
        status = "ditangani"
        if resolved < now and (rng.random() < 0.9 or age > timedelta(days=14)):
            status = rng.choice(["selesai"] * 8 + ["ditolak", "dialihkan"])
            resolved = min(resolved, now)
    officer = rng.randrange(N_OFFICER + 1)
    return {
        "pk": 0,
        "polres_id": 0,
        "received_at": received,
        "category": rng.choice(Category.values),
        "channel": rng.choice(Channel.values),
        "polsek_id": rng.randrange(N_POLSEK),
        "handling_unit_id": rng.randrange(N_SATUAN),
        "desa_id": rng.randrange(N_DESA),
        "assigned_officer_id": officer if officer < N_OFFICER else None,
        "status": status,
        "first_response_due": received + timedelta(minutes=120),
        "resolution_due": received + timedelta(days=3),
        "first_responded_at": responded if status != "baru" else None,
        "resolved_at": resolved if status == "selesai" else None,
        "escalated_at": None,
        "subject_unit_id": None,
        "subject_officer_id": None,
    }


def base_rows(n: int) -> dict[tuple[str, str, str, str, bool], tuple[Counter[str], int]]:
    """The aggregate rows of ``n`` aduan of one Polres: {(grain, day, dimension, value,
    restricted): measures}, summed from the metrics layer's per-aduan contributions."""
    from django.utils import timezone

    from posko.metrics.contributions import contribution, parse_key

    rng = random.Random(1902)
    now = timezone.now()
    rows: dict[tuple[str, str, str, str, bool], Counter[str]] = {}
    for _ in range(n):
        row = synthetic_aduan(rng, now)
        c = contribution(
            row,
            reopened=int(rng.random() < 0.02),
            corrections=int(rng.random() < 0.05),
            rating=rng.choice([None, None, None, 3, 4, 5]) if row["status"] == "selesai" else None,
            solved=True,
        )
        for key in c.keys:
            grain, _polres, day, dimension, value, restricted = parse_key(key)
            target = rows.setdefault(
                (grain, day.isoformat(), dimension, value, restricted), Counter()
            )
            target.update(c.measures)
    return rows  # type: ignore[return-value]


def make_units(count: int) -> tuple[Any, list[dict[str, list[str]]]]:
    """A Polda with ``count`` Polres, each with its own Polsek and satuan (bulk)."""
    from posko.org.models import Satuan, Unit, UnitKind

    mabes, _ = Unit.objects.get_or_create(kind=UnitKind.MABES, name="Mabes Polri")
    polda = Unit.objects.create(kind=UnitKind.POLDA, name="Polda Uji Beban", parent=mabes)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    polres = Unit.objects.bulk_create(
        Unit(
            kind=UnitKind.POLRES,
            name=f"Polres Uji {i + 1:02d}",
            code_prefix=f"U{letters[i // 26]}{letters[i % 26]}",
            parent=polda,
        )
        for i in range(count)
    )
    satuan_codes = list(Satuan.values)
    children = Unit.objects.bulk_create(
        [
            Unit(kind=UnitKind.POLSEK, name=f"Polsek {p.name[-2:]}-{j}", parent=p)
            for p in polres
            for j in range(N_POLSEK)
        ]
        + [
            Unit(
                kind=UnitKind.SATUAN,
                name=f"Satuan {j}",
                parent=p,
                satuan=satuan_codes[j % len(satuan_codes)],
            )
            for p in polres
            for j in range(N_SATUAN)
        ]
    )
    ids: list[dict[str, list[str]]] = []
    for index, p in enumerate(polres):
        polsek = children[index * N_POLSEK : (index + 1) * N_POLSEK]
        start = count * N_POLSEK + index * N_SATUAN
        satuan = children[start : start + N_SATUAN]
        ids.append(
            {
                "polres": [str(p.pk)],
                "polsek": [str(u.pk) for u in polsek],
                "satuan": [str(u.pk) for u in satuan],
                "officer": [str(900_000 + index * N_OFFICER + k) for k in range(N_OFFICER)],
                "desa": [f"99.{index:02d}.01.{k + 2001}" for k in range(N_DESA)],
            }
        )
    return polda, ids


def copy_rows(
    base: dict[Any, Counter[str]], units: list[dict[str, list[str]]], polda_id: int
) -> int:
    """Write the base rows once per Polres (its own unit ids) with COPY, and the Polda's
    own rows of the shared dimensions (``ROLLUP_DIMENSIONS``: every Polres's sum, here the
    base rows times the number of Polres)."""
    from django.db import connection

    from posko.metrics.buckets import encode_mapping
    from posko.metrics.contributions import row_key
    from posko.metrics.models import COUNT_FIELDS, HIST_FIELDS, ROLLUP_DIMENSIONS, MetricRow

    def stored(hist: dict[str, dict[int, int]], times: int = 1) -> str:
        """The histogram columns in COPY's text form (bytea as an escaped hex literal)."""
        return "\t".join(
            "\\\\x" + encode_mapping({b: times * n for b, n in hist.get(g, {}).items()}).hex()
            for g in HIST_FIELDS
        )

    columns = ["key", "polres_id", "grain", "day", "dimension", "value", "restricted"]
    columns += [*COUNT_FIELDS, *HIST_FIELDS]
    table = MetricRow._meta.db_table
    written = 0
    prepared = []
    polda_rows = io.StringIO()
    for (grain, day, dimension, value, restricted), measures in base.items():
        hist: dict[str, dict[int, int]] = {}
        for name, n in measures.items():
            if ":" in name:
                group, bucket = name.split(":", 1)
                hist.setdefault(group, {})[int(bucket)] = n
        counts = "\t".join(str(measures.get(f, 0)) for f in COUNT_FIELDS)
        prepared.append((grain, day, dimension, value, restricted, counts, stored(hist)))
        if dimension in ROLLUP_DIMENSIONS:
            n = len(units)
            key = row_key(
                grain, polda_id, datetime.fromisoformat(day).date(), dimension, value, restricted
            )
            total = "\t".join(str(n * measures.get(f, 0)) for f in COUNT_FIELDS)
            polda_rows.write(
                f"{key}\t{polda_id}\t{grain}\t{day}\t{dimension}\t{value}\t"
                f"{'t' if restricted else 'f'}\t{total}\t{stored(hist, n)}\n"
            )
            written += 1
    with connection.cursor() as cursor:
        with cursor.cursor.copy(  # type: ignore[attr-defined]
            f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            copy.write(polda_rows.getvalue())
        for ids in units:
            polres_id = int(ids["polres"][0])
            buffer = io.StringIO()
            for grain, day, dimension, value, restricted, counts, hist in prepared:
                real = ids[dimension][int(value)] if value and dimension in ids else value
                key = row_key(
                    grain,
                    polres_id,
                    datetime.fromisoformat(day).date(),
                    dimension,
                    real,
                    restricted,
                )
                buffer.write(
                    f"{key}\t{polres_id}\t{grain}\t{day}\t{dimension}\t{real}\t"
                    f"{'t' if restricted else 'f'}\t{counts}\t{hist}\n"
                )
                written += 1
            buffer.seek(0)
            with cursor.cursor.copy(  # type: ignore[attr-defined]
                f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            ) as copy:
                copy.write(buffer.getvalue())
    return written


def measure(
    client: Any, path: str, requests: int, *, cold: bool, **headers: str
) -> tuple[float, float, float]:
    """p50 and p95 in ms, and the median CPU ms of this (the Django) process per request."""
    from django.core.cache import cache

    for _ in range(3):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
    times, cpu = [], []
    for _ in range(requests):
        if cold:
            cache.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--polres", type=int, default=30)
    parser.add_argument("--aduan", type=int, default=100_000, help="per Polres")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--db-name", default=f"posko_rollup_bench_{os.getpid()}")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a run with --keep left (migrated first, not rebuilt)",
    )
    args = parser.parse_args()
    name = args.db_name
    build = setup_django(args.database_url, name, reuse=args.reuse)
    try:
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from posko.api.actions import do_create_api_token
        from posko.conftest import make_officer
        from posko.org.models import Role

        setup_test_environment()
        settings.ALLOWED_HOSTS = ["*"]
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        if build:
            t0 = time.perf_counter()
            base = base_rows(args.aduan)
            t1 = time.perf_counter()
            polda, units = make_units(args.polres)
            written = copy_rows(base, units, polda.pk)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would: visibility map set
            t2 = time.perf_counter()
            print(
                f"{args.polres} Polres x {args.aduan} aduan: {len(base)} metric rows per Polres "
                f"summed in {t1 - t0:.1f} s; {written} rows written (COPY) in {t2 - t1:.1f} s"
            )
            kapolda = make_officer("kapolda", Role.PIMPINAN, polda)
        else:
            from posko.metrics.models import MetricRow
            from posko.org.models import Officer

            kapolda = Officer.objects.get(user__username="kapolda")
            print(f"reusing {name}: {MetricRow.objects.count()} metric rows")
        console = Client()
        console.force_login(kapolda.user)
        token = do_create_api_token(kapolda.user)
        bearer = {"Authorization": f"Bearer {token}"}
        api = Client()
        html = console.get("/posko/komando/").content.decode()
        assert html.count("Polres Uji ") >= args.polres, "comparison table incomplete"
        pages = [
            ("/posko/komando/", console, {}),
            ("/api/v1/metrics/polres", api, bearer),
            ("/api/v1/metrics/summary", api, bearer),
        ]
        missed = False
        for path, client, headers in pages:
            for kind in ("cold", "cached"):
                p50, p95, cpu = measure(client, path, args.requests, cold=kind == "cold", **headers)
                ok = p95 < TARGET_P95_MS
                missed |= not ok and kind == "cold"
                print(
                    f"{path:<26} {kind:<6} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                    f"CPU {cpu:6.1f} ms  "
                    f"(target p95 < {TARGET_P95_MS:.0f}) {'OK' if ok else 'MISSED'}",
                    flush=True,
                )
    finally:
        if not args.keep:
            drop_database(args.database_url, name)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
