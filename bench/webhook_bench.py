"""Webhook benchmark: signed WhatsApp webhooks against a running Posko, SQLite and PostgreSQL.

    .venv/bin/python bench/webhook_bench.py [--database-url postgres://…] [--no-sqlite]
        [--seconds 5] [--rounds 3] [--connections 16] [--workers 2] [--threads 8]
        [--client auto|wrk|python]

For each database (SQLite always unless ``--no-sqlite``; PostgreSQL when ``--database-url``
names a server, on which a temporary database is created and dropped): a temporary
POSKO_DATA_DIR, migrate, ``seed_demo`` with the WhatsApp channel variables, then
``posko serve --no-worker`` on 127.0.0.1 only (gunicorn; ``--threads`` > 1 = gthread workers
with keep-alive). After a warm-up, three endpoints are measured in turn, ``--rounds`` ×
``--seconds`` each, so that all see the same machine (other processes on the box shift them
alike): the bare Django endpoint ``/hooks/ping/`` (a view doing nothing, full middleware
stack: the target's baseline), ``/hooks/ping/lean/`` (doing nothing through the webhooks' fast
path: gunicorn + Django's handler, the floor) and ``/hooks/whatsapp/`` (a distinct, validly
signed text message per request). Printed per database: req/s of both baselines, accepted
webhook messages/s, p50/p99 acknowledgement latency (p50: median of the rounds, p99: the worst
round), the webhook/bare ratios; then every accepted message is checked to be stored exactly
once and covered by a queued drain (one per burst, ``posko/channels/actions/drain.py``).

Load generator: ``wrk`` when installed (``apt-get install wrk``; C, one thread, a Lua script
sending pre-signed distinct bodies and counting "ok" vs "duplicate" answers), else an asyncio
raw-socket client in this process (works anywhere, costs more CPU on the same cores, so it
understates the server a little). Everything is bounded: request counts (``--max-rate`` ×
seconds pre-signed bodies per round), durations, and the servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECRET = "bench-app-secret"
PHONE_ID = "106540352242922"
HOST = "127.0.0.1"
TARGET_RATE, TARGET_P99_MS, TARGET_RATIO = 500.0, 100.0, 0.5

LUA = r"""
-- args: <file of "signature body" lines, or "-" for the bare endpoint> <ok status>
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  ok_status = tonumber(args[2])
  reqs = {}
  if args[1] == "-" then
    reqs[1] = wrk.format("POST", nil, {["Content-Length"] = "0"}, "")
  else
    for line in io.lines(args[1]) do
      local sp = line:find(" ")
      reqs[#reqs + 1] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["X-Hub-Signature-256"] = "sha256=" .. line:sub(1, sp - 1),
      }, line:sub(sp + 1))
    end
  end
  idx = 0; ok = 0; dup = 0; bad = 0
end
function request()
  idx = idx + 1
  if idx > #reqs then idx = 1 end  -- only when out of bodies: counted as duplicates
  return reqs[idx]
end
function response(status, headers, body)
  if status == ok_status and (ok_status == 204 or body:find('"ok"', 1, true)) then
    ok = ok + 1
  elseif status == 200 then dup = dup + 1
  else bad = bad + 1 end
end
function done(summary, latency, requests)
  local o, d, b = 0, 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); d = d + t:get("dup"); b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", o, d, b, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Round:
    ok: int
    duplicates: int
    refused: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float


@dataclass
class Summary:
    rounds: list[Round] = field(default_factory=list)

    @property
    def rate(self) -> float:
        seconds = sum(r.seconds for r in self.rounds)
        return sum(r.ok for r in self.rounds) / seconds if seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(r.p50_ms for r in self.rounds)

    @property
    def p99_ms(self) -> float:
        return max(r.p99_ms for r in self.rounds)

    def count(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rounds)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def maintenance_url(url: str) -> str:
    """The server's ``postgres`` database, to create and drop the bench database."""
    return url.rsplit("/", 1)[0] + "/postgres"


def body_for(tag: str, n: int) -> bytes:
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
                                    "id": f"wamid.BENCH{tag}x{n}",
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


def signature(body: bytes) -> str:
    return hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


class Bodies:
    """Distinct signed bodies, handed out in disjoint slices (never the same message twice)."""

    def __init__(self) -> None:
        self.tag = f"{os.getpid()}t{int(time.time())}"
        self.next = 0

    def take(self, count: int) -> list[tuple[str, bytes]]:
        start, self.next = self.next, self.next + count
        return [
            (signature(b), b) for b in (body_for(self.tag, n) for n in range(start, start + count))
        ]


# --- load generators ---------------------------------------------------------------------


def run_wrk(port: int, path: str, seconds: float, connections: int, bodies: Path | None) -> Round:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    try:
        out = subprocess.run(
            [
                "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s",
                "-s", script.name, f"http://{HOST}:{port}{path}",
                "--", str(bodies) if bodies else "-", "200" if bodies else "204",
            ],
            capture_output=True, text=True, timeout=seconds + 30, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    ok, dup, bad, duration_us, p50, p99, errors = (int(v) for v in line.split()[1:])
    return Round(ok, dup, bad, errors, duration_us / 1e6, p50 / 1000, p99 / 1000)


async def _python_load(
    port: int, path: str, seconds: float, connections: int, bodies: list[tuple[str, bytes]]
) -> Round:
    head = f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
    if bodies:
        requests = [
            (
                head + "Content-Type: application/json\r\n"
                f"X-Hub-Signature-256: sha256={sig}\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body
            for sig, body in bodies
        ]
    else:
        requests = [(head + "Content-Length: 0\r\n\r\n").encode()]
    latencies: list[float] = []
    counts = {"ok": 0, "dup": 0, "bad": 0, "errors": 0}
    position = 0
    start = time.perf_counter()
    deadline = start + seconds

    async def one_connection() -> None:
        nonlocal position
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < deadline:
                request = requests[position % len(requests)]
                position += 1
                sent = time.perf_counter()
                writer.write(request)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = await reader.readexactly(length) if length else b""
                latencies.append(time.perf_counter() - sent)
                status = int(status_line.split()[1]) if status_line else 0
                if status == (200 if bodies else 204) and (not bodies or b'"ok"' in body):
                    counts["ok"] += 1
                elif status == 200:
                    counts["dup"] += 1
                else:
                    counts["bad"] += 1
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            counts["errors"] += 1
        finally:
            writer.close()

    await asyncio.gather(*(one_connection() for _ in range(connections)))
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return Round(
        counts["ok"], counts["dup"], counts["bad"], counts["errors"], elapsed,
        q[49] * 1000, q[98] * 1000,
    )  # fmt: skip


def run_python(
    port: int, path: str, seconds: float, connections: int, bodies: list[tuple[str, bytes]]
) -> Round:
    return asyncio.run(_python_load(port, path, seconds, connections, bodies))


# --- one database ------------------------------------------------------------------------


def post(port: int, path: str, body: bytes = b"", sig: str = "") -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if sig:
        headers["X-Hub-Signature-256"] = "sha256=" + sig
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def warm_up(port: int, args: argparse.Namespace, bodies: Bodies) -> int:
    """Every gunicorn worker and thread loads the URLconf, opens its database connection and
    fills the account cache; returns the number of webhook messages accepted meanwhile."""
    accepted = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the first request of a worker imports everything
        try:
            if post(port, "/hooks/ping/") == 204:
                break
        except OSError:
            time.sleep(0.2)
    for _ in range(3):
        warm = run_python(port, "/hooks/ping/", 1.0, args.connections, [])
        hooks = run_python(port, "/hooks/whatsapp/", 1.5, args.connections, bodies.take(4000))
        accepted += hooks.ok
        if warm.p99_ms < 200 and hooks.p99_ms < 500 and not hooks.errors:
            break
    return accepted


def measure(label: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    posko = [sys.executable, "-m", "posko"]
    subprocess.run([*posko, "migrate", "-v0"], env=env, check=True, cwd=REPO)
    subprocess.run([*posko, "seed_demo"], env=env, check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [
            *posko, "serve", "--host", HOST, "--port", str(port), "--no-worker",
            "--workers", str(args.workers), "--threads", str(args.threads),
        ],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    bodies = Bodies()
    bare, lean, hook = Summary(), Summary(), Summary()
    try:
        accepted = warm_up(port, args, bodies)
        workdir = Path(env["POSKO_DATA_DIR"])
        for _ in range(args.rounds):
            bare.rounds.append(load(port, "/hooks/ping/", args, None, workdir))
            lean.rounds.append(load(port, "/hooks/ping/lean/", args, None, workdir))
            hook.rounds.append(load(port, "/hooks/whatsapp/", args, bodies, workdir))
        accepted += hook.count("ok")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    check = subprocess.run(
        [*posko, "shell", "-c", VERIFY], env=env, cwd=REPO, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    events, distinct, tasks, linked = (int(v) for v in check.stdout.split()[-4:])
    # wrk drops the requests still in flight when a round ends (at most one per connection):
    # stored, never acknowledged: a platform would redeliver them and get "duplicate".
    in_flight = args.connections * args.rounds if args.client == "wrk" else 0
    return {
        "label": label,
        "bare": bare,
        "lean": lean,
        "hook": hook,
        "accepted": accepted,
        "stored": (events, distinct, tasks, linked),
        "in_flight": in_flight,
        "ok": events == distinct == linked and tasks >= 1 and 0 <= events - accepted <= in_flight,
    }


# Rows for every accepted message: events, distinct dedupe keys, queued drains (the webhook
# arms one drain per burst, not one task per event: actions/drain.py), and events covered by
# a queued drain that has not started (all of them when the arm is set and its drain queued).
VERIFY = """
from django_tasks_db.models import DBTaskResult
from posko.channels.models import DrainArm, InboundEvent
events = InboundEvent.objects.filter(platform="whatsapp")
drains = DBTaskResult.objects.filter(
    task_path="posko.channels.tasks.drain_inbound_events", status="READY"
).count()
armed = DrainArm.objects.filter(armed_at__isnull=False).exists()
waiting = events.filter(state="received").count()
print(events.count(), events.values("dedupe_key").distinct().count(), drains,
      waiting if armed and drains else 0)
"""


def load(
    port: int, path: str, args: argparse.Namespace, bodies: Bodies | None, workdir: Path
) -> Round:
    batch = bodies.take(int(args.max_rate * args.seconds)) if bodies else []
    if args.client == "python":
        return run_python(port, path, args.seconds, args.connections, batch)
    file = None
    if batch:
        file = workdir / "bodies.txt"
        file.write_bytes(b"".join(sig.encode() + b" " + body + b"\n" for sig, body in batch))
    return run_wrk(port, path, args.seconds, args.connections, file)


# --- report ------------------------------------------------------------------------------


def report(result: dict[str, object]) -> None:
    bare, lean, hook = result["bare"], result["lean"], result["hook"]
    assert isinstance(bare, Summary) and isinstance(lean, Summary) and isinstance(hook, Summary)
    ratio = hook.rate / bare.rate if bare.rate else 0.0
    lean_ratio = hook.rate / lean.rate if lean.rate else 0.0
    label = str(result["label"])
    print(
        f"{label:11} bare Django         {bare.rate:7.0f} req/s   "
        f"p50 {bare.p50_ms:6.1f} ms   p99 {bare.p99_ms:6.1f} ms   (/hooks/ping/, full middleware)"
    )
    print(
        f"{'':11} bare fast path      {lean.rate:7.0f} req/s   "
        f"p50 {lean.p50_ms:6.1f} ms   p99 {lean.p99_ms:6.1f} ms   (/hooks/ping/lean/)"
    )
    print(
        f"{'':11} signed webhooks     {hook.rate:7.0f} msg/s   "
        f"p50 {hook.p50_ms:6.1f} ms   p99 {hook.p99_ms:6.1f} ms   "
        f"webhook/bare {ratio:.0%} (/fast path {lean_ratio:.0%})"
    )
    rounds = ", ".join(f"{r.ok / r.seconds:.0f}" for r in hook.rounds)
    print(
        f"{'':11} rounds (msg/s): {rounds}; duplicates {hook.count('duplicates')}, "
        f"refused {sum(x.count('refused') for x in (bare, lean, hook))}, "
        f"socket errors {sum(x.count('errors') for x in (bare, lean, hook))}"
    )
    events, distinct, tasks, linked = result["stored"]  # type: ignore[misc]
    verdict = "OK" if result["ok"] else "MISMATCH"
    accepted = int(result["accepted"])  # type: ignore[call-overload]
    print(
        f"{'':11} stored: {events} events = {distinct} distinct messages = {linked} covered "
        f"by {tasks} queued drain(s); {accepted} acknowledged, {events - accepted} unacknowledged "
        f"(in flight at a round's end, ≤ {result['in_flight']}) → {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="postgres://… server to also bench")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--seconds", type=float, default=5.0, help="per round and endpoint")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--max-rate", type=float, default=4000, help="bodies signed per second of a round"
    )
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"
        if args.client == "python":
            print("wrk not found (apt-get install wrk): using the Python client")

    base_env = {
        **os.environ,
        "POSKO_META_APP_SECRET": SECRET,
        "POSKO_META_VERIFY_TOKEN": "bench",
        "POSKO_WHATSAPP_ACCESS_TOKEN": "bench-token",
        "POSKO_WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
        "POSKO_GRAPH_API_BASE": "http://127.0.0.1:9",
        "POSKO_DEMO_PASSWORD": "bench-password-123",
        "POSKO_LOG_LEVEL": "WARNING",
    }
    base_env.pop("POSKO_DATABASE_URL", None)
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Posko webhook bench — {os.cpu_count()} CPUs (load {load_avg}), client {args.client} "
        f"({args.connections} connections), gunicorn {args.workers} workers × "
        f"{args.threads} threads, {args.rounds} rounds × {args.seconds:.0f} s per endpoint"
    )
    results = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="posko-bench-") as data_dir:
            env = {**base_env, "POSKO_DATA_DIR": data_dir}
            results.append(measure("SQLite", env, args))
            report(results[-1])
    if args.database_url:
        import psycopg

        dbname = f"posko_bench_{os.getpid()}"
        with psycopg.connect(maintenance_url(args.database_url), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {dbname}")
        try:
            with tempfile.TemporaryDirectory(prefix="posko-bench-") as data_dir:
                url = args.database_url.rsplit("/", 1)[0] + "/" + dbname
                env = {**base_env, "POSKO_DATA_DIR": data_dir, "POSKO_DATABASE_URL": url}
                results.append(measure("PostgreSQL", env, args))
                report(results[-1])
        finally:
            with psycopg.connect(maintenance_url(args.database_url), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        pg = results[-1]
        bare, hook = pg["bare"], pg["hook"]
        assert isinstance(bare, Summary) and isinstance(hook, Summary)
        checks = [
            (f"≥ {TARGET_RATE:.0f} msg/s", hook.rate >= TARGET_RATE),
            (f"p99 < {TARGET_P99_MS:.0f} ms", hook.p99_ms < TARGET_P99_MS),
            (f"≥ {TARGET_RATIO:.0%} of bare", hook.rate >= TARGET_RATIO * bare.rate),
            ("stored exactly once", bool(pg["ok"])),
        ]
        print(
            "PostgreSQL target: " + "; ".join(f"{n}: {'yes' if ok else 'NO'}" for n, ok in checks)
        )
    return 0 if all(bool(r["ok"]) for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
