"""Inbox benchmark at volume on PostgreSQL: first page, counts and filters.

    .venv/bin/python bench/inbox_bench.py --database-url postgres://postgres@127.0.0.1:5432
        [--sizes 10000,1000000] [--repeat 30] [--keep] [--db-prefix posko_inbox_bench]
        [--profile 25] [--explain] [--pages "operator: teks bebas,bhabinkamtibmas"]

For each size a temporary database ``<db-prefix>_<size>`` is created on the server
(dropped afterwards unless ``--keep``; kept databases are reused when they already hold the
rows), migrated and seeded with the demo Polres (``seed_demo``, no sample aduan), then filled
in bulk with a realistic mix: ~8 % open (baru 3 %, diverifikasi 2 %, ditangani 3 %), the rest
selesai/ditolak/dialihkan; priorities 5/20/50/25 % darurat/tinggi/sedang/rendah; every
category (restricted ones included), every desa and channel; received over the past years
(in SQL: a million rows in minutes, where building them in Python took hours on a loaded box).
Then, per page, ``--repeat`` timed requests after 3 warm-ups through Django's test client (the
whole middleware, view, queries and template), printing p50/p95 in ms, the milliseconds spent
in SQL by one more request ("sql"), and the largest/smallest p95 ratio against the targets
(p95 < 100 ms at the largest size, ratio ≤ 1.5). On a loaded machine the absolute figures move
with the load; the ratio and the SQL share show whether a page grows with the table.

``--profile N`` prints (to stderr), per page and size, where the Django process's CPU goes
(cProfile of 10 requests, the top N functions by internal and by cumulative time);
``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of each page's two slowest queries.
``--pages`` limits the run to some of the pages (names as printed, comma-separated).
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


def _cumulative(mix: list[tuple[str, int]]) -> list[tuple[str, float]]:
    """[(value, upper bound of its share of [0, 1))] for a CASE over random()."""
    total, bounds, acc = sum(w for _, w in mix), [], 0
    for value, weight in mix:
        acc += weight
        bounds.append((value, acc / total))
    return bounds


def _case(column: str, mix: list[tuple[str, int]]) -> str:
    whens = " ".join(f"WHEN {column} < {b!r} THEN '{v}'" for v, b in _cumulative(mix)[:-1])
    return f"CASE {whens} ELSE '{mix[-1][0]}' END"


FILL_SQL = """
WITH g AS (
    SELECT i, random() AS r_status, random() AS r_prio, random() AS r_age, random() AS r_resp,
           random() AS r_anon, floor(random() * %(ncat)s)::int AS cat_i,
           floor(random() * %(ndesa)s)::int AS desa_i, floor(random() * %(nchan)s)::int AS chan_i,
           floor(random() * %(ntext)s)::int AS text_i
    FROM generate_series(%(lo)s, %(hi)s - 1) AS i
), s AS (
    SELECT g.*, {status} AS status, {priority} AS priority,
           (%(categories)s::text[])[cat_i + 1] AS category
    FROM g
), t AS (
    SELECT s.*, s.status = ANY(%(closed)s::text[]) AS closed FROM s
), u AS (
    -- Open aduan are recent; closed ones spread over the years.
    SELECT t.*, now() - r_age * CASE WHEN closed THEN interval '1095 days'
                                     ELSE interval '14 days' END AS received
    FROM t
)
INSERT INTO aduan_aduan (
    polres_id, code, channel, received_at, anonymous, confidential, reporter_name,
    reporter_phone, reporter_email, reporter_key_hash, text, kecamatan_id, desa_id, category,
    priority, priority_rank, tone, handling_unit_id, polsek_id, status, first_response_due,
    resolution_due, first_responded_at, resolved_at, created_at, updated_at)
SELECT %(polres)s, %(prefix)s || {code}, (%(channels)s::text[])[chan_i + 1], received, r_anon < 0.3,
       false, 'Warga', '', '', '', (%(texts)s::text[])[text_i + 1] || ' (' || i || ')',
       d.kecamatan, d.code, u.category, u.priority, tg.rank, 'netral', r.unit, r.polsek,
       u.status, received + tg.first_response, received + tg.resolution,
       CASE WHEN closed OR r_resp < 0.6 THEN received + tg.first_response / 2 END,
       CASE WHEN closed THEN received + tg.resolution / 2 END,
       received,
       CASE WHEN closed THEN received + tg.resolution / 2 ELSE received END
FROM u
JOIN bench_desa d ON d.n = u.desa_i
JOIN bench_target tg ON tg.priority = u.priority
JOIN bench_route r ON r.category = u.category AND r.priority = u.priority AND r.desa = d.code
"""


def _code_sql(alphabet: str) -> str:
    """The 6-character code of row ``i`` (its digits in base len(alphabet), low first)."""
    n = len(alphabet)
    return " || ".join(f"substr('{alphabet}', ((i / {n**k}) %% {n})::int + 1, 1)" for k in range(6))


def build(size: int) -> None:
    """Fill the table in SQL (``INSERT … SELECT`` over ``generate_series``, 100 k rows per
    statement): the realistic mix of the module's docstring, routed like intake would."""
    from django.db import connection, transaction

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
    assert polres.region is not None
    desa = list(Region.objects.filter(level=RegionLevel.DESA, parent__parent=polres.region))
    sql = FILL_SQL.format(
        status=_case("r_status", STATUS_MIX),
        priority=_case("r_prio", PRIORITY_MIX),
        code=_code_sql(ALPHABET),
    )
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_desa (n int, code text, kecamatan text)")
        cursor.executemany(
            "INSERT INTO bench_desa VALUES (%s, %s, %s)",
            [(n, d.pk, d.parent_id) for n, d in enumerate(desa)],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_target (priority text, rank int,"
            " first_response interval, resolution interval)"
        )
        cursor.executemany(
            "INSERT INTO bench_target VALUES (%s, %s, %s, %s)",
            [
                (p, rank, t.first_response, t.resolution)
                for p, rank in PRIORITY_RANK.items()
                for t in [sla_targets(polres, p)]
            ],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_route (category text, priority text, desa text,"
            " unit bigint, polsek bigint)"
        )
        rows = []
        for cat in Category.values:
            for prio in PRIORITY_RANK:
                for d in desa:
                    unit, polsek = route(polres, cat, prio, d.parent)
                    rows.append((cat, prio, d.pk, unit and unit.pk, polsek and polsek.pk))
        cursor.executemany("INSERT INTO bench_route VALUES (%s, %s, %s, %s, %s)", rows)
        cursor.execute("CREATE UNIQUE INDEX ON bench_route (category, priority, desa)")
        cursor.execute("ANALYZE bench_desa, bench_target, bench_route")
        params = {
            "polres": polres.pk,
            "prefix": f"{polres.code_prefix}-",
            "ncat": len(Category.values),
            "categories": list(Category.values),
            "ndesa": len(desa),
            "nchan": len(Channel.values),
            "channels": list(Channel.values),
            "ntext": len(TEXTS),
            "texts": TEXTS,
            "closed": sorted(CLOSED_STATUSES),
        }
        for lo in range(have, size, 100_000):
            with transaction.atomic():
                cursor.execute(sql, {**params, "lo": lo, "hi": min(size, lo + 100_000)})
            print(
                f"  {min(size, lo + 100_000):,} rows, {time.monotonic() - started:.0f} s",
                file=sys.stderr,
            )
        cursor.execute("VACUUM ANALYZE aduan_aduan")


class SqlTimer:
    """``connection.execute_wrapper``: wall time and number of the queries of one request."""

    def __init__(self) -> None:
        self.ms, self.count = 0.0, 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - started) * 1000
            self.count += 1


def timed(call, repeat: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """``repeat`` timed calls after 3 warm-ups: wall ms, SQL ms (as the client waited for
    it), this process's CPU ms (Django, template, driver; the server's share is in SQL) and
    the number of queries, per call."""
    from django.db import connection

    out: dict[str, list[float]] = {"wall": [], "sql": [], "cpu": [], "queries": []}
    for n in range(repeat + 3):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            cpu, started = time.process_time(), time.perf_counter()
            call()
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
        if n >= 3:
            out["wall"].append(elapsed)
            out["sql"].append(timer.ms)
            out["cpu"].append(cpu)
            out["queries"].append(timer.count)
    return out


def python_profile(call, rows: int, title: str) -> None:  # type: ignore[no-untyped-def]
    """Where the CPU of 10 calls goes (cProfile: by internal, then by cumulative time)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        call()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(rows)
        print(f"\n-- {title}: cProfile of 10 requests, by {order}", file=sys.stderr)
        print(out.getvalue(), file=sys.stderr)


def explain(call, top: int, title: str) -> None:  # type: ignore[no-untyped-def]
    """EXPLAIN (ANALYZE, BUFFERS) of the ``top`` slowest SELECTs of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    queries = sorted(
        ((float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries), reverse=True
    )
    print(f"\n== {title}: {len(queries)} queries", file=sys.stderr)
    for ms, sql in queries:
        print(f"  {ms:7.1f} ms  {sql[:150]}", file=sys.stderr)
    for ms, sql in [q for q in queries if q[1].lstrip().upper().startswith("SELECT")][:top]:
        print(f"\n-- EXPLAIN ANALYZE ({ms:.1f} ms): {sql[:2000]}", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            for (line,) in cursor.fetchall():
                print(f"   {line}", file=sys.stderr)


def measure(
    repeat: int, pages: list[str] | None = None, profile_rows: int = 0, explain_top: int = 0
) -> dict[str, dict[str, list[float]]]:
    from django.contrib.auth.models import User
    from django.test import Client

    from posko.aduan.inbox import inbox_counts
    from posko.api.models import ApiToken, hash_token

    clients: dict[str, Client] = {}
    raw = ApiToken.generate()
    operator = User.objects.get(username="operator")
    ApiToken.objects.create(user=operator, key_hash=hash_token(raw), label="bench")
    results: dict[str, dict[str, list[float]]] = {}
    for name, (username, url) in PAGES.items():
        if pages and name not in pages:
            continue
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        headers = {"Authorization": f"Bearer {raw}"} if url.startswith("/api/") else {}

        def get(client: Client = client, url: str = url, headers: dict = headers) -> None:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)

        results[name] = timed(get, repeat)
        if profile_rows:
            python_profile(get, profile_rows, name)
        if explain_top:
            explain(get, explain_top, name)
    if pages:
        return results
    # The header's counts alone (part of every inbox page above).
    for who in ("operator", "bhabin.gantung"):
        user = User.objects.get(username=who)
        results[f"hitungan: {who}"] = timed(lambda user=user: inbox_counts(user), repeat)
    return results


def worker(size: int, repeat: int, pages: list[str], profile_rows: int, explain_top: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posko.config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    build(size)
    built = time.monotonic() - started
    timings = measure(repeat, pages, profile_rows, explain_top)
    print(json.dumps({"built_s": built, "timings": timings}))


# --- the driver -----------------------------------------------------------------------


def run_size(
    base_url: str, size: int, repeat: int, keep: bool, prefix: str, extra: list[str]
) -> dict:
    import psycopg

    name = f"{prefix}_{size}"
    admin = base_url.replace("postgres://", "postgresql://", 1).rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = dict(
        os.environ,
        POSKO_DATABASE_URL=f"{base_url.rstrip('/')}/{name}",
        POSKO_DATA_DIR=tempfile.mkdtemp(prefix="posko-bench-"),
        POSKO_2FA_ROLES="",  # the page itself is measured, not the login steps
    )
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(size), "--repeat", str(repeat), *extra],
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
    parser.add_argument("--db-prefix", default="posko_inbox_bench")
    parser.add_argument("--profile", type=int, default=0, help="rows of a cProfile per page")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slow queries")
    parser.add_argument("--pages", default="", help="only these pages (comma-separated)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {sorted(unknown)}; known: {list(PAGES)}")
    if args.worker:
        worker(args.worker, args.repeat, pages, args.profile, 2 if args.explain else 0)
        return
    extra = ["--profile", str(args.profile), "--pages", args.pages]
    extra += ["--explain"] if args.explain else []
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for size in sizes:
        print(f"== {size:,} aduan", file=sys.stderr)
        results[size] = run_size(
            args.database_url, size, args.repeat, args.keep, args.db_prefix, extra
        )
        print(f"   built in {results[size]['built_s']:.0f} s", file=sys.stderr)
    small, large = sizes[0], sizes[-1]
    head = " ".join(f"{f'{s:,}: p50/p95':>16} {'sql':>5} {'cpu':>5} {'q':>3}" for s in sizes)
    print(f"{'page (ms)':28} {head}   ratio")
    ok = True
    for page in results[small]["timings"]:
        cells, p95 = [], {}
        for size in sizes:
            t = results[size]["timings"][page]
            p95[size] = percentile(t["wall"], 0.95)
            cells.append(
                f"{statistics.median(t['wall']):>7.1f} /{p95[size]:>7.1f} "
                f"{statistics.median(t['sql']):>5.1f} {statistics.median(t['cpu']):>5.1f} "
                f"{max(t['queries']):>3.0f}"
            )
        ratio = p95[large] / p95[small] if p95[small] else 0.0
        good = p95[large] < TARGET_P95_MS and (len(sizes) == 1 or ratio <= TARGET_RATIO)
        ok &= good
        print(f"{page:28} " + " ".join(cells) + f"   {ratio:4.2f}" + ("" if good else "  (over)"))
    print(
        "sql: median ms in queries; cpu: median CPU ms of the Django process (view, template,"
        " driver); q: queries per request"
    )
    print(
        f"targets: p95 < {TARGET_P95_MS:.0f} ms at {large:,}, ratio ≤ {TARGET_RATIO}: "
        + ("met" if ok else "NOT met")
    )
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
