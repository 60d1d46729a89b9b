"""Inbox benchmark at volume on PostgreSQL: first page, counts and filters.

    .venv/bin/python bench/inbox_bench.py --database-url postgres://postgres@127.0.0.1:5432
        [--sizes 10000,1000000] [--repeat 30] [--keep]

For each size a temporary database ``posko_inbox_bench_<size>`` is created on the server
(dropped afterwards unless ``--keep``; kept databases are reused when they already hold the
rows), migrated and seeded with the demo Polres (``seed_demo``, no sample aduan), then filled
in bulk with a realistic mix: ~8 % open (baru 3 %, diverifikasi 2 %, ditangani 3 %), the rest
selesai/ditolak/dialihkan; priorities 5/20/50/25 % darurat/tinggi/sedang/rendah; every
category (restricted ones included), every desa and channel; received over the past years.
Then, per page, ``--repeat`` timed requests after 3 warm-ups through Django's test client (the
whole middleware, view, queries and template), printing p50/p95 in ms, the milliseconds spent
in SQL by one more request ("sql"), and the largest/smallest p95 ratio against the targets
(p95 < 100 ms at the largest size, ratio ≤ 1.5). On a loaded machine the absolute figures move
with the load; the ratio and the SQL share show whether a page grows with the table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_P95_MS, TARGET_RATIO = 100.0, 1.5
PAGES = {
    "operator: kotak masuk": ("operator", "/posko/"),
    "operator: status semua": ("operator", "/posko/?status=semua"),
    "operator: teks bebas": ("operator", "/posko/?status=semua&q=jalan+rusak"),
    "operator: lewat SLA": ("operator", "/posko/?overdue=on"),
    "bhabinkamtibmas": ("bhabin.gantung", "/posko/"),
    "API daftar aduan": ("operator", "/api/v1/aduan"),
    "API status semua": ("operator", "/api/v1/aduan?status=semua"),
    "perubahan (poll)": ("operator", "/posko/perubahan/"),
}
TEXTS = [
    "Jalan rusak berlubang di depan sekolah, sering terjadi kecelakaan motor",
    "Motor saya dicuri di parkiran pasar tadi malam",
    "Ada balap liar setiap malam minggu di jalan lintas",
    "Tetangga ribut dan memukul istrinya, mohon dibantu",
    "Penipuan online jual beli HP, uang sudah ditransfer",
    "Tambang timah ilegal di dekat sungai merusak lingkungan",
    "Lampu lalu lintas di simpang mati sejak kemarin",
    "Mohon info syarat perpanjangan SIM C",
    "Terima kasih pak polisi atas pelayanannya yang cepat",
    "Anak saya belum pulang sejak kemarin sore",
    "Ada orang mabuk membuat keributan di warung",
    "Oknum anggota meminta uang saat razia",
    "Pencurian kabel listrik di kebun warga",
    "Judi sabung ayam di belakang balai desa",
    "Kecelakaan tunggal, korban masih di jalan",
]
STATUS_MIX = [
    ("baru", 3),
    ("diverifikasi", 2),
    ("ditangani", 3),
    ("selesai", 85),
    ("ditolak", 5),
    ("dialihkan", 2),
]
PRIORITY_MIX = [("darurat", 5), ("tinggi", 20), ("sedang", 50), ("rendah", 25)]


def pick(rng: random.Random, mix: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- inside the Django process (one per size) ---------------------------------------------


def build(size: int) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from posko.aduan.codes import ALPHABET
    from posko.aduan.models import Aduan
    from posko.aduan.models.choices import CLOSED_STATUSES, PRIORITY_RANK, Category, Channel
    from posko.aduan.routing import route
    from posko.aduan.sla import sla_targets
    from posko.demo.seed import seed_demo
    from posko.regions.models import Region, RegionLevel

    polres = seed_demo("bench-password", with_sample_aduan=False)
    have = Aduan.objects.filter(polres=polres).count()
    if have >= size:
        return
    rng = random.Random(size)
    assert polres.region is not None
    desa = list(Region.objects.filter(level=RegionLevel.DESA, parent__parent=polres.region))
    routes = {
        (cat, prio, d.pk): route(polres, cat, prio, d.parent)
        for cat in Category.values
        for prio in PRIORITY_RANK
        for d in desa
    }
    targets = {p: sla_targets(polres, p) for p in PRIORITY_RANK}
    now = timezone.now()
    span = timedelta(days=3 * 365).total_seconds()
    channels = Channel.values
    categories = Category.values
    batch: list[Aduan] = []
    started = time.monotonic()
    for i in range(have, size):
        status = pick(rng, STATUS_MIX)
        priority = pick(rng, PRIORITY_MIX)
        category = rng.choice(categories)
        place = rng.choice(desa)
        closed = status in CLOSED_STATUSES
        # Open aduan are recent; closed ones spread over the years.
        age = rng.random() * (span if closed else 14 * 86400)
        received = now - timedelta(seconds=age)
        t = targets[priority]
        unit, polsek = routes[(category, priority, place.pk)]
        responded = closed or rng.random() < 0.6
        code, n = "", i
        for _ in range(6):
            n, r = divmod(n, len(ALPHABET))
            code += ALPHABET[r]
        batch.append(
            Aduan(
                polres=polres,
                code=f"{polres.code_prefix}-{code}",
                channel=rng.choice(channels),
                received_at=received,
                anonymous=rng.random() < 0.3,
                reporter_name="Warga",
                text=f"{rng.choice(TEXTS)} ({i})",
                kecamatan=place.parent,
                desa=place,
                category=category,
                priority=priority,
                priority_rank=PRIORITY_RANK[priority],
                tone="netral",
                handling_unit=unit,
                polsek=polsek,
                status=status,
                first_response_due=received + t.first_response,
                resolution_due=received + t.resolution,
                first_responded_at=received + t.first_response / 2 if responded else None,
                resolved_at=received + t.resolution / 2 if closed else None,
                created_at=received,
                updated_at=received + t.resolution / 2 if closed else received,
            )
        )
        if len(batch) == 10_000:
            Aduan.objects.bulk_create(batch)
            batch = []
            if (i + 1) % 100_000 == 0:
                print(f"  {i + 1:,} rows, {time.monotonic() - started:.0f} s", file=sys.stderr)
    Aduan.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE aduan_aduan")


def measure(repeat: int) -> dict[str, list[float]]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from posko.api.models import ApiToken, hash_token

    clients: dict[str, Client] = {}
    raw = ApiToken.generate()
    operator = User.objects.get(username="operator")
    ApiToken.objects.create(user=operator, key_hash=hash_token(raw), label="bench")
    results: dict[str, list[float]] = {}
    for name, (username, url) in PAGES.items():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        headers = {"Authorization": f"Bearer {raw}"} if url.startswith("/api/") else {}
        timings = []
        for n in range(repeat + 3):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if n >= 3:
                timings.append(elapsed)
        results[name] = timings
        # The database's share: the queries of one more request, as Django timed them.
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, headers=headers)
        results[f"{name} [sql]"] = [sum(float(q["time"]) for q in ctx.captured_queries) * 1000]
    return results


def worker(size: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posko.config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    build(size)
    built = time.monotonic() - started
    print(json.dumps({"built_s": built, "timings": measure(repeat)}))


# --- the driver -----------------------------------------------------------------------


def run_size(base_url: str, size: int, repeat: int, keep: bool) -> dict:
    import psycopg

    name = f"posko_inbox_bench_{size}"
    admin = base_url.replace("postgres://", "postgresql://", 1).rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = dict(
        os.environ,
        POSKO_DATABASE_URL=f"{base_url.rstrip('/')}/{name}",
        POSKO_DATA_DIR=tempfile.mkdtemp(prefix="posko-bench-"),
    )
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(size), "--repeat", str(repeat)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=3 * 3600,
        )
        sys.stderr.write(out.stderr)
        out.check_returncode()
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.repeat)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for size in sizes:
        print(f"== {size:,} aduan", file=sys.stderr)
        results[size] = run_size(args.database_url, size, args.repeat, args.keep)
        print(f"   built in {results[size]['built_s']:.0f} s", file=sys.stderr)
    small, large = sizes[0], sizes[-1]
    head = " ".join(f"{f'{s:,} p50/p95 ms':>22} {'sql':>6}" for s in sizes)
    print(f"{'page':28} {head}   ratio")
    ok = True
    for page in PAGES:
        cells, p95 = [], {}
        for size in sizes:
            t = results[size]["timings"][page]
            p95[size] = percentile(t, 0.95)
            sql = results[size]["timings"][f"{page} [sql]"][0]
            cells.append(f"{statistics.median(t):>10.1f} / {p95[size]:>7.1f} {sql:>6.1f}")
        ratio = p95[large] / p95[small] if p95[small] else 0.0
        good = p95[large] < TARGET_P95_MS and (len(sizes) == 1 or ratio <= TARGET_RATIO)
        ok &= good
        print(
            f"{page:28} "
            + " ".join(f"{c:>22}" for c in cells)
            + f"   {ratio:4.2f}"
            + ("" if good else "  (over target)")
        )
    print(
        f"targets: p95 < {TARGET_P95_MS:.0f} ms at {large:,}, ratio ≤ {TARGET_RATIO}: "
        + ("met" if ok else "NOT met")
    )


if __name__ == "__main__":
    main()
