"""In-process profile of the drain's per-message path: CPU ms, wall ms and queries per message.

    .venv/bin/python bench/drain_profile.py [--database-url postgres://postgres@127.0.0.1:5432/x]
        [--database-name posko_drain_profile] [--messages 400] [--warm 100] [--profile]
        [--sites]

Creates (dropping a previous run's) database ``--database-name`` on the server of
``--database-url`` (never any other database), migrates, seeds the demo, stores ``--warm`` +
``--messages`` signed WhatsApp events through the webhook's store path (the same mix as
``drain_bench.py``), drains the ``--warm`` events first (caches, triager, a history of recent
aduan for incident matching), then claims and runs the rest batch by batch in this process, as
a ``db_worker`` does, and prints per message: CPU ms (``time.process_time``, which a loaded
machine distorts less than wall time), wall ms and queries. ``--profile`` adds a cProfile in
CPU time of the measured batches (top functions by cumulative and by own time); ``--sites``
the queries counted by the first Posko frame that issued them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import drain_bench  # noqa: E402


class QueryCounter:
    def __init__(self, sites: bool) -> None:
        self.count = 0
        self.sites: Counter[str] = Counter()
        self.want_sites = sites

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any):
        self.count += 1
        if self.want_sites:
            self.sites[self._site(sql)] += 1
        return execute(sql, params, many, ctx)

    @staticmethod
    def _site(sql: str) -> str:
        frames = [
            f
            for f in traceback.extract_stack()[:-3]
            if "/posko/" in f.filename and "/bench/" not in f.filename
        ]
        where = "?"
        if frames:
            f = frames[-1]
            where = f"{f.filename.split('/posko/', 1)[1]}:{f.lineno} {f.name}"
        verb = sql.split(None, 1)[0].upper() if sql.strip() else "?"
        table = ""
        for word in ("FROM", "INTO", "UPDATE"):
            if f"{word} " in sql.upper():
                rest = sql.upper().split(f"{word} ", 1)[1].split(None, 1)[0]
                table = rest.strip('"').lower()
                break
        return f"{where} [{verb} {table}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database-name", default="posko_drain_profile")
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--warm", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sites", action="store_true")
    args = parser.parse_args()
    drain_bench.fresh_demo_database(args.database_url, args.database_name, "posko-drain-profile-")
    import django

    django.setup()
    from django.db import connection

    from posko.aduan.models import Aduan
    from posko.channels.actions.drain import batch_size, claim_batch
    from posko.channels.actions.inbound import run_batch

    try:
        drain_bench.fill(0, args.warm + args.messages)
        size = batch_size()

        def drain(limit: int) -> int:
            done = 0
            while done < limit:
                batch = claim_batch(min(size, limit - done))
                if not batch:
                    break
                run_batch(batch)
                done += len(batch)
            return done

        drain(args.warm)
        aduan_before = Aduan.objects.count()
        counter = QueryCounter(args.sites)
        # CPU time, not wall: on a loaded machine waits for the database would swamp the profile
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        with connection.execute_wrapper(counter):
            cpu, wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            done = drain(args.messages)
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        created = Aduan.objects.count() - aduan_before
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"drain in-process, PostgreSQL, batch {size}, {done} messages ({created} aduan), "
            f"load {load}:\n  {cpu / done * 1000:.2f} ms CPU, {wall / done * 1000:.2f} ms wall, "
            f"{counter.count / done:.1f} queries per message "
            f"(CPU-bound ceiling of one process: {done / cpu:.0f} messages/s)"
        )
        if args.sites:
            print("queries per message by call site:")
            for site, n in counter.sites.most_common(60):
                print(f"  {n / done:6.2f}  {site}")
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(70)
            stats.sort_stats("tottime").print_stats(40)
            print(out.getvalue())
    finally:
        from django.db import connections

        connections.close_all()
        drain_bench.drop_database(args.database_url, args.database_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
