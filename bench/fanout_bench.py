"""Fan-out benchmark: one security warning to N WhatsApp subscribers of one desa, on the
task backend (django-tasks database backend, the real ``db_worker`` in batch mode), against
a local fake WhatsApp Cloud API.

    .venv/bin/python bench/fanout_bench.py [--subscribers 10000] [--rate 80]
        [--database-url postgres://…/db]   # default: SQLite in a temporary data directory

Prints: time to create the alert (deliveries rows), time until the last message reached the
fake API, messages per second overall, the most messages the fake received in any one-second
window (must stay ≤ ``--rate``, WhatsApp's 80 msg/s per number), and the delivery counts.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=80)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    os.environ["POSKO_DATA_DIR"] = tempfile.mkdtemp(prefix="posko-fanout-")
    if args.database_url:
        os.environ["POSKO_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("POSKO_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posko.config.settings")
    os.environ.setdefault("POSKO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    run(args.subscribers, args.rate)


def run(count: int, rate: int) -> None:
    from django.db import connection

    from posko.channels.actions.accounts import do_save_account
    from posko.channels.testing import FakeApi, Recorded, Reply
    from posko.core.testing import run_tasks
    from posko.org.actions.setup import ensure_polres
    from posko.publishing.actions.alerts import alert_counts, do_create_alert
    from posko.publishing.models import Alert, Subscriber
    from posko.regions.models import Region

    fake = FakeApi().start()
    stamps: list[float] = []
    lock = threading.Lock()
    ids = itertools.count(1)

    def accept(request: Recorded) -> Reply:
        with lock:
            stamps.append(time.monotonic())
        return Reply(json={"messages": [{"id": f"wamid.B{next(ids)}"}]})

    fake.route("POST", r"/v23.0/106540352242922/messages", accept)
    polres = ensure_polres(
        "19.06", "BLT", "Polres Belitung Timur", "Polda Kepulauan Bangka Belitung"
    )
    account = do_save_account(
        polres,
        "whatsapp",
        external_id="106540352242922",
        api_base=fake.url + "/v23.0",
        credentials={"access_token": "bench-token"},
        config={"alert_template": {"name": "peringatan_keamanan"}, "max_per_second": rate},
    )
    desa = Region.objects.get(code="19.06.02.2001")
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                polres=polres,
                channel="whatsapp",
                address=f"+62812{i:08d}",
                desa=desa,
                kecamatan=desa.parent,
                state="active",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    print(f"database: {connection.vendor}; subscribers: {count:,}; rate cap: {rate}/s per number")
    t0 = time.monotonic()
    alert = do_create_alert(
        polres, account, text="Peringatan uji fan-out.", desa=[desa], acting_user=None
    )
    t_created = time.monotonic()
    while not Alert.objects.filter(pk=alert.pk, finished_at__isnull=False).exists():
        run_tasks()
        time.sleep(0.02)
        if time.monotonic() - t0 > 3600:
            raise SystemExit("gave up after an hour")
    t_done = time.monotonic()
    fake.stop()
    window_max = max_in_window(stamps, 1.0)
    total = t_done - t0
    print(f"alert created (delivery rows): {t_created - t0:.2f} s")
    print(f"fan-out finished: {total:.1f} s ({total / 60:.1f} min) for {len(stamps):,} messages")
    print(f"throughput: {len(stamps) / total:.1f} msg/s overall")
    print(f"most messages in any 1-second window: {window_max} (cap {rate})")
    print(f"delivery counts: {alert_counts(alert)}")


def max_in_window(stamps: list[float], width: float) -> int:
    stamps = sorted(stamps)
    best, start = 0, 0
    for end, moment in enumerate(stamps):
        while moment - stamps[start] >= width:
            start += 1
        best = max(best, end - start + 1)
    return best


if __name__ == "__main__":
    main()
