"""Webhook benchmark: signed WhatsApp webhooks against a running Posko (gunicorn, no worker).

    .venv/bin/python bench/webhook_bench.py [--database-url postgres://…] [--seconds 10]

Starts ``posko serve --port N --no-worker`` on 127.0.0.1 with a temporary POSKO_DATA_DIR
(and, for PostgreSQL, a temporary database that is dropped afterwards), seeds the demo with
the channel variables, then measures for a fixed time with a fixed number of client threads:
1. the bare endpoint ``/hooks/ping/`` (Django doing nothing), 2. ``/hooks/whatsapp/`` with a
distinct signed text message per request. Prints accepted messages/s and p50/p99 latency of
the acknowledgement, and checks that every accepted message is stored exactly once.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECRET = "bench-app-secret"
PHONE_ID = "106540352242922"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def maintenance_url(url: str) -> str:
    """The server's ``postgres`` database, to create and drop the bench database."""
    return url.rsplit("/", 1)[0] + "/postgres"


def body_for(n: int) -> bytes:
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6281912345678",
                                "phone_number_id": PHONE_ID,
                            },
                            "contacts": [
                                {"profile": {"name": "Warga Bench"}, "wa_id": f"62812{n:08d}"}
                            ],
                            "messages": [
                                {
                                    "from": f"62812{n:08d}",
                                    "id": f"wamid.BENCH{os.getpid()}x{n}",
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": f"Motor saya dicuri di pasar Manggar ({n})"},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def run_load(
    port: int, path: str, seconds: float, threads: int, signed: bool
) -> tuple[int, list[float], int]:
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = 0
    counter = iter(range(10**9))
    lock = threading.Lock()

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        local: list[float] = []
        local_errors = 0
        while time.monotonic() < deadline:
            with lock:
                n = next(counter)
            body = body_for(n) if signed else b""
            headers = {"Content-Type": "application/json"}
            if signed:
                digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                headers["X-Hub-Signature-256"] = "sha256=" + digest
            start = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 204)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - start
            if ok:
                local.append(elapsed)
            else:
                local_errors += 1
        with lock:
            latencies.extend(local)
            errors += local_errors

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return len(latencies), latencies, errors


def report(label: str, seconds: float, accepted: int, latencies: list[float], errors: int) -> float:
    rate = accepted / seconds
    if latencies:
        q = statistics.quantiles(latencies, n=100)
        p50, p99 = q[49] * 1000, q[98] * 1000
    else:
        p50 = p99 = float("nan")
    print(f"{label:28} {rate:8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   errors {errors}")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="posko-bench-")
    env = {
        **os.environ,
        "POSKO_DATA_DIR": data_dir,
        "POSKO_META_APP_SECRET": SECRET,
        "POSKO_META_VERIFY_TOKEN": "bench",
        "POSKO_WHATSAPP_ACCESS_TOKEN": "bench-token",
        "POSKO_WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
        "POSKO_GRAPH_API_BASE": "http://127.0.0.1:9",
        "POSKO_DEMO_PASSWORD": "bench-password-123",
        "POSKO_LOG_LEVEL": "WARNING",
    }
    dbname = ""
    if args.database_url:
        import psycopg

        dbname = f"posko_bench_{os.getpid()}"
        with psycopg.connect(maintenance_url(args.database_url), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {dbname}")
        env["POSKO_DATABASE_URL"] = args.database_url.rsplit("/", 1)[0] + "/" + dbname
    posko = [sys.executable, "-m", "posko"]
    server = None
    try:
        subprocess.run([*posko, "migrate", "-v0"], env=env, check=True, cwd=REPO)
        subprocess.run(
            [*posko, "seed_demo"], env=env, check=True, cwd=REPO, stdout=subprocess.DEVNULL
        )
        port = free_port()
        server = subprocess.Popen(
            [*posko, "serve", "--port", str(port), "--no-worker", "--workers", str(args.workers)],
            env={**env, "POSKO_WEB_WORKERS": str(args.workers)},
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.0)
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"Posko webhook bench — {engine}, {args.workers} gunicorn workers, "
            f"{args.threads} client threads, {args.seconds:.0f} s each, {os.cpu_count()} CPUs"
        )
        run_load(port, "/hooks/ping/", 1.0, args.threads, signed=False)  # warm-up
        bare = report(
            "bare endpoint /hooks/ping/",
            args.seconds,
            *run_load(port, "/hooks/ping/", args.seconds, args.threads, signed=False),
        )
        hook = report(
            "signed WhatsApp webhook",
            args.seconds,
            *run_load(port, "/hooks/whatsapp/", args.seconds, args.threads, signed=True),
        )
        print(f"webhook / bare throughput: {hook / bare:.0%}" if bare else "bare: no answers")
        check = subprocess.run(
            [
                *posko,
                "shell",
                "-c",
                "from posko.channels.models import InboundEvent as E;"
                "from django_tasks_db.models import DBTaskResult as T;"
                "print(E.objects.count(), T.objects.count())",
            ],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        print(f"stored events / queued tasks: {check.stdout.strip()}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if dbname:
            import psycopg

            with psycopg.connect(maintenance_url(args.database_url), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
