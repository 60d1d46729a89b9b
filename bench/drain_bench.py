"""Drain benchmark: how fast the task workers turn waiting WhatsApp events into triaged aduan.

    .venv/bin/python bench/drain_bench.py [--database-url postgres://postgres@127.0.0.1:5432/x]
        [--sizes 0,25000,100000] [--workers 2] [--limit 300] [--database-name posko_drain_bench]

On the PostgreSQL server of ``--database-url`` a database ``--database-name`` is created
(dropped first when a previous run left it; never any other database), migrated and seeded
(Polres Belitung Timur with its WhatsApp account). For each backlog size N: N distinct,
validly signed WhatsApp text messages from N different senders are stored through the real
store path (``store_event``, the webhook's own function; it arms the drain), the claim cost
is measured at that backlog (Posko's batch claim ``claim_batch`` and, for comparison, one
claim of django-tasks-db's worker, both inside a rolled-back transaction), then ``--workers``
processes of ``posko db_worker`` run until every event is processed (or ``--limit`` seconds
have passed: then the rate measured so far is printed and the run says so). Printed per size:
messages/s (events processed and aduan created per second of draining), the claim costs, the
CPU time the worker processes used per aduan (the figure a shared machine distorts least) and
the tasks they ran, and a check that every event became exactly one aduan.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECRET = "bench-app-secret"
PHONE_ID = "106540352242922"
DBNAME = "posko_drain_bench"
TARGET = 200.0


# A realistic mix rather than one message 25,000 times (which would make one incident of 25,000
# reports): kinds of report × places × details, so that the stream holds many small incidents.
REPORTS = (
    "Motor saya dicuri di pasar {place} tadi malam, Honda Beat plat BN {n4} XY",
    "Ada kecelakaan motor dan truk di jalan raya {place}, korban masih di jalan, tolong cepat",
    "Balap liar tiap malam di {place}, bising dan bahaya untuk warga",
    "Pak tolong, ada orang mabuk bikin ribut di warung dekat {place}",
    "Lampu lalu lintas di simpang {place} mati sejak pagi, macet",
    "Rumah tetangga kami di {place} dibobol maling, TV dan HP hilang",
    "Terima kasih bapak polisi sudah cepat membantu warga {place}",
    "Ada pohon tumbang menutup jalan di {place}, kendaraan tidak bisa lewat",
    "Anak saya hilang sejak sore di sekitar {place}, pakai baju merah, umur {age} tahun",
    "Saya mau tanya cara bikin SKCK di Polres, saya tinggal di {place}",
    "Ada penipuan online mengatasnamakan toko di {place}, saya rugi {n4} ribu",
    "Kebakaran rumah di {place} sekarang, api besar, mohon bantuan",
)
PLACES = (
    "Manggar",
    "Gantung",
    "Kelapa Kampit",
    "Dendang",
    "Damar",
    "Simpang Pesak",
    "Simpang Renggiang",
    "Lalang",
    "Mentawak",
    "Lilangan",
    "Padang",
    "Baru",
    "Kurnia Jaya",
    "Selinsing",
    "Jangkang",
    "Buding",
)


def report_text(n: int) -> str:
    template = REPORTS[n % len(REPORTS)]
    place = PLACES[(n // len(REPORTS)) % len(PLACES)]
    return template.format(place=place, n4=1000 + n % 9000, age=4 + n % 9) + f" ({n})"


def body_for(n: int) -> bytes:
    sender = f"62813{n:08d}"
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281912345678", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": f"Warga {n}"}, "wa_id": sender}],
        "messages": [
            {
                "from": sender,
                "id": f"wamid.DRAINBENCH{n}",
                "timestamp": str(int(time.time())),
                "type": "text",
                "text": {"body": report_text(n)},
            }
        ],
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def fill(start: int, count: int) -> float:
    """Store ``count`` signed events as the webhook does; seconds taken."""
    from django.db import transaction

    from posko.channels.actions.store import body_key, store_event

    began = time.perf_counter()
    for chunk in range(start, start + count, 500):
        with transaction.atomic():
            for n in range(chunk, min(chunk + 500, start + count)):
                body = body_for(n)
                sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                stored = store_event(
                    "whatsapp",
                    body,
                    {"Content-Type": "application/json", "X-Hub-Signature-256": sig},
                    dedupe_key=body_key(body),
                )
                assert stored is not None
    return time.perf_counter() - began


class Rollback(Exception):
    pass


def claim_costs(repeat: int = 5) -> tuple[float, float]:
    """Median ms of one batch claim of Posko's drain and of one django-tasks-db claim."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from posko.channels.actions.drain import batch_size, claim_batch

    ours, theirs = [], []
    for _ in range(repeat):
        try:
            with transaction.atomic():
                began = time.perf_counter()
                claim_batch(batch_size())
                ours.append((time.perf_counter() - began) * 1000)
                raise Rollback
        except Rollback:
            pass
        try:
            with transaction.atomic():
                began = time.perf_counter()
                DBTaskResult.objects.ready().get_locked()
                theirs.append((time.perf_counter() - began) * 1000)
                raise Rollback
        except Rollback:
            pass
    return statistics.median(ours), statistics.median(theirs)


def counts() -> tuple[int, int]:
    from posko.aduan.models import Aduan
    from posko.channels.models import InboundEvent

    return InboundEvent.objects.filter(state="received").count(), Aduan.objects.count()


def drain(workers: int, limit: float, expected_aduan: int) -> tuple[float, int, float, bool, float]:
    """Run the workers until nothing waits; (seconds, aduan created, peak 10-s rate, done,
    CPU seconds the worker processes used)."""
    from django.db import connections

    connections.close_all()
    _, aduan_before = counts()
    command = [sys.executable, "-m", "posko", "db_worker", "--queue-name", "*"]
    command += ["--interval", "0.2", "--no-reload", "--no-startup-delay"]
    cpu_before = os.times()
    procs = [
        subprocess.Popen(command, env=os.environ, cwd=REPO, stdout=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    began = time.perf_counter()
    samples: list[tuple[float, int]] = []
    done = False
    try:
        while time.perf_counter() - began < limit:
            time.sleep(1.0)
            waiting, aduan = counts()
            samples.append((time.perf_counter() - began, aduan - aduan_before))
            if waiting == 0 and aduan >= expected_aduan:
                done = True
                break
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    cpu_after = os.times()
    cpu = (cpu_after.children_user - cpu_before.children_user) + (
        cpu_after.children_system - cpu_before.children_system
    )
    seconds, created = samples[-1]
    peak = max(
        ((b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(samples, samples[10:], strict=False)),
        default=created / seconds,
    )
    return seconds, created, peak, done, cpu


def tasks_run(since: object) -> str:
    """The tasks the workers finished since ``since``, by kind (how much else they ran)."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(finished_at__gte=since)
        .values_list("task_path")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return ", ".join(f"{path.rsplit('.', 1)[-1]} {n}" for path, n in rows) or "none"


def fresh_demo_database(database_url: str, dbname: str, prefix: str) -> str:
    """A new PostgreSQL database, migrated and seeded with the demo, with the environment of the
    benches (fake Cloud API address, bench secrets) set for this process and its children;
    returns the data folder."""
    import psycopg

    server = database_url.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {dbname}")
    data_dir = tempfile.mkdtemp(prefix=prefix)
    os.environ.update(
        {
            "POSKO_DATABASE_URL": f"{server}/{dbname}",
            "POSKO_DATA_DIR": data_dir,
            "POSKO_META_APP_SECRET": SECRET,
            "POSKO_META_VERIFY_TOKEN": "bench",
            "POSKO_WHATSAPP_ACCESS_TOKEN": "bench-token",
            "POSKO_WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
            "POSKO_GRAPH_API_BASE": "http://127.0.0.1:9",
            "POSKO_DEMO_PASSWORD": "bench-password-123",
            "POSKO_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "posko.config.settings",
        }
    )
    posko = [sys.executable, "-m", "posko"]
    subprocess.run([*posko, "migrate", "-v0"], check=True, cwd=REPO)
    subprocess.run([*posko, "seed_demo"], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    return data_dir


def drop_database(database_url: str, dbname: str) -> None:
    """Drop the bench's database (its connections are closed first by the caller)."""
    import psycopg

    server = database_url.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sizes", default="0,25000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=float, default=300.0, help="seconds of draining per size")
    parser.add_argument("--database-name", default=DBNAME, help="created and dropped by the run")
    args = parser.parse_args()
    dbname = args.database_name
    fresh_demo_database(args.database_url, dbname, "posko-drain-")
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    print(
        f"Posko drain bench — {os.cpu_count()} CPUs (load "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}), PostgreSQL, {args.workers} "
        f"db_worker processes, batch {settings.POSKO_DRAIN_BATCH}"
    )
    verdicts = []
    filled = 0
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            fill_s = fill(filled, size) if size else 0.0
            filled += size
            ours, theirs = claim_costs()
            line = (
                f"backlog {size:>7}: claim {ours:6.1f} ms per batch of "
                f"{settings.POSKO_DRAIN_BATCH} ({ours / settings.POSKO_DRAIN_BATCH:.2f} ms/event),"
                f" django-tasks-db claim {theirs:5.1f} ms"
            )
            if not size:
                print(line + "; nothing to drain")
                continue
            _, aduan_total = counts()
            since = timezone.now()
            seconds, created, peak, done, cpu = drain(args.workers, args.limit, aduan_total + size)
            rate = created / seconds
            status = "drained" if done else f"NOT drained within {args.limit:.0f} s (partial)"
            print(
                f"{line}\n{'':17}stored in {fill_s:.0f} s; {created} aduan in {seconds:.0f} s "
                f"= {rate:.0f} messages/s (best 10 s: {peak:.0f}/s), {status}\n"
                f"{'':17}workers' CPU {cpu / max(created, 1) * 1000:.1f} ms per aduan "
                f"(load {', '.join(f'{x:.1f}' for x in os.getloadavg())}); tasks run: "
                f"{tasks_run(since)}"
            )
            if size >= 25000:
                verdicts.append((size, rate))
        from posko.aduan.models import Aduan
        from posko.channels.models import ChannelMessage, InboundEvent

        events = InboundEvent.objects.filter(platform="whatsapp")
        processed = events.filter(state="processed").count()
        messages = ChannelMessage.objects.count()
        linked = ChannelMessage.objects.filter(aduan__isnull=False).count()
        channel_aduan = Aduan.objects.filter(channel="whatsapp").count()
        # A message claimed but not yet linked when a partial run stopped its workers is
        # resumed by the lease of its batch; it is not counted as a mismatch.
        ok = linked == channel_aduan == processed and messages - linked <= args.workers
        print(
            f"check: {events.count()} events, {processed} processed, {messages} channel "
            f"messages, {linked} linked to {channel_aduan} WhatsApp aduan "
            f"→ {'OK (each processed event is one aduan)' if ok else 'MISMATCH'}"
        )
        for size, rate in verdicts:
            print(
                f"target ≥ {TARGET:.0f} messages/s at {size}: {'yes' if rate >= TARGET else 'NO'}"
            )
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(args.database_url, dbname)
    return 0


if __name__ == "__main__":
    sys.exit(main())
