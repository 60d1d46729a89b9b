"""Proof under faults: nothing acknowledged is lost, nothing is processed twice.

    .venv/bin/python bench/crash_test.py [--events 10000] [--threads 16] [--drain-timeout 1800]

Starts a private PostgreSQL (``pg_ctl initdb`` in a temporary folder, a free port on
127.0.0.1; never the system server), migrates, seeds Polres Belitung Timur with its WhatsApp
account, starts the web server (gunicorn, 2 workers × 8 threads) and two task workers
(``posko db_worker``, restarted when they die, as ``posko serve`` does). Then sends
``--events`` distinct, validly signed WhatsApp messages from distinct senders with
``--threads`` concurrent clients (httpx). During the run one worker is killed with SIGKILL at
25 % and the other at 75 %, and the private PostgreSQL is restarted with
``pg_ctl restart -m immediate`` (a crash: no checkpoint, WAL recovery) at 50 %. Every message
not answered 200 is sent again, as Meta does, until all are acknowledged. After the drain it
prints: acknowledged, aduan created, lost (acknowledged without an aduan), duplicated (a
message with more than one aduan, or aduan beyond the messages). Target: 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import hashlib
import hmac
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psycopg

REPO = Path(__file__).resolve().parent.parent
SECRET = "crash-app-secret"
PHONE_ID = "106540352242922"
HOST = "127.0.0.1"
TEXTS = (
    "Motor saya dicuri di depan pasar Manggar tadi malam",
    "Ada kecelakaan di jalan raya Gantung, mohon bantuan",
    "Tetangga ribut besar, ada yang dipukul, tolong datang",
    "Jalan rusak parah dan lampu lalu lintas mati di simpang",
    "Ada orang mencurigakan mondar-mandir di dekat sekolah",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} not found under /usr/lib/postgresql/*/bin")
    return found[-1]


def body_for(n: int) -> bytes:
    sender = f"62815{n:08d}"
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281912345678", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": f"Warga {n}"}, "wa_id": sender}],
        "messages": [
            {
                "from": sender,
                "id": f"wamid.CRASH{n}",
                "timestamp": str(int(time.time())),
                "type": "text",
                "text": {"body": f"{TEXTS[n % len(TEXTS)]} (laporan {n})"},
            }
        ],
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload, separators=(",", ":")).encode()


class PrivatePostgres:
    def __init__(self, folder: Path) -> None:
        self.data = folder / "pgdata"
        self.port = free_port()
        self.log = folder / "postgres.log"
        self.socket_dir = folder

    def options(self) -> str:
        return f"-p {self.port} -k {self.socket_dir} -c listen_addresses={HOST} -c fsync=on"

    def as_owner(self) -> list[str]:
        """PostgreSQL refuses to run as root: run it as the unprivileged ``postgres`` user
        (its own folder and port; the system server is not touched)."""
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.socket_dir, "postgres")
        subprocess.run(
            [*self.as_owner(), pg_bin("initdb"), "-D", str(self.data), "-U", "postgres",
             "-A", "trust"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.ctl("start", "-w", "-o", self.options())

    def ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_owner(), pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log),
             *args],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def restart_immediate(self) -> None:
        self.ctl("restart", "-m", "immediate", "-w", "-o", self.options())

    def stop(self) -> None:
        self.ctl("stop", "-m", "fast")

    def url(self, db: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{db}"


class Workers:
    """Two task workers, each started again when it dies (as ``posko serve`` does)."""

    def __init__(self, env: dict[str, str], count: int, log: Path) -> None:
        self.env, self.log = env, log.open("ab")
        self.procs: list[subprocess.Popen[bytes]] = [self._start() for _ in range(count)]
        self.restarts = 0
        self.stopping = False
        self.lock = threading.Lock()
        threading.Thread(target=self._watch, daemon=True).start()

    def _start(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "posko", "db_worker", "--queue-name", "*"]
        command += ["--interval", "0.5", "--no-reload", "--no-startup-delay"]
        return subprocess.Popen(command, env=self.env, cwd=REPO, stdout=self.log, stderr=self.log)

    def _watch(self) -> None:
        while not self.stopping:
            with self.lock:
                for i, p in enumerate(self.procs):
                    if p.poll() is not None and not self.stopping:
                        self.procs[i] = self._start()
                        self.restarts += 1
            time.sleep(0.5)

    def kill(self, index: int) -> None:
        with self.lock:
            self.procs[index].send_signal(signal.SIGKILL)

    def stop(self) -> None:
        self.stopping = True
        with self.lock:
            for p in self.procs:
                p.terminate()
            for p in self.procs:
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()


def send_all(port: int, numbers: list[int], threads: int) -> tuple[set[int], int]:
    """One pass: POST every message once; (acknowledged numbers, answers other than 200)."""
    todo: queue.Queue[int] = queue.Queue()
    for n in numbers:
        todo.put(n)
    acked: set[int] = set()
    failures = [0]
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as http:
            while True:
                try:
                    n = todo.get_nowait()
                except queue.Empty:
                    return
                body = body_for(n)
                sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                try:
                    r = http.post(
                        "/hooks/whatsapp/",
                        content=body,
                        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sig},
                    )
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    if ok:
                        acked.add(n)
                    else:
                        failures[0] += 1

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return acked, failures[0]


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    for _ in range(30):
        try:
            with psycopg.connect(
                url.replace("postgres://", "postgresql://"), connect_timeout=5
            ) as c:
                return c.execute(sql).fetchall()  # type: ignore[arg-type]
        except psycopg.OperationalError:
            time.sleep(1)
    raise RuntimeError("private PostgreSQL unreachable")


def run(args: argparse.Namespace, folder: Path) -> int:
    pg = PrivatePostgres(folder)
    pg.start()
    try:
        with psycopg.connect(
            pg.url("postgres").replace("postgres://", "postgresql://"), autocommit=True
        ) as c:
            c.execute("CREATE DATABASE posko")
        url = pg.url("posko")
        env = {
            **os.environ,
            "POSKO_DATABASE_URL": url,
            "POSKO_DATA_DIR": str(folder / "var"),
            "POSKO_META_APP_SECRET": SECRET,
            "POSKO_META_VERIFY_TOKEN": "crash",
            "POSKO_WHATSAPP_ACCESS_TOKEN": "crash-token",
            "POSKO_WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
            "POSKO_GRAPH_API_BASE": "http://127.0.0.1:9",
            "POSKO_DEMO_PASSWORD": "crash-password-123",
            "POSKO_LOG_LEVEL": "WARNING",
            "POSKO_DRAIN_LEASE_SECONDS": str(args.lease),
        }
        posko = [sys.executable, "-m", "posko"]
        subprocess.run([*posko, "migrate", "-v0"], env=env, check=True, cwd=REPO)
        subprocess.run(
            [*posko, "seed_demo"], env=env, check=True, cwd=REPO, stdout=subprocess.DEVNULL
        )
        port = free_port()
        log = (folder / "web.log").open("ab")
        web = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "posko.config.wsgi:application",
                "--bind", f"{HOST}:{port}", "--workers", "2", "--threads", "8",
                "--no-control-socket",
            ],
            env=env, cwd=REPO, stdout=log, stderr=log,
        )  # fmt: skip
        for _ in range(60):
            try:
                httpx.get(f"http://{HOST}:{port}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        workers = Workers(env, 2, folder / "workers.log")
        began = time.time()
        numbers = list(range(args.events))
        faults: list[str] = []

        def inject() -> None:
            marks = [(0.25, "kill worker 1"), (0.5, "restart PostgreSQL"), (0.75, "kill worker 2")]
            total = args.events
            for fraction, what in marks:
                while True:
                    done = query(url, "SELECT count(*) FROM channels_inboundevent")[0][0]
                    if int(done) >= fraction * total:  # type: ignore[call-overload]
                        break
                    time.sleep(0.2)
                if what == "restart PostgreSQL":
                    pg.restart_immediate()
                else:
                    workers.kill(0 if what.endswith("1") else 1)
                faults.append(f"{what} at {time.time() - began:.0f} s")

        injector = threading.Thread(target=inject, daemon=True)
        injector.start()
        acked, refused = send_all(port, numbers, args.threads)
        resent_rounds = 0
        resends = 0
        while len(acked) < len(numbers) and resent_rounds < 50:
            resent_rounds += 1
            missing = [n for n in numbers if n not in acked]
            resends += len(missing)
            time.sleep(1)
            more, refused_again = send_all(port, missing, args.threads)
            acked |= more
            refused += refused_again
        injector.join(timeout=120)
        sent_s = time.time() - began
        print(
            f"sent {args.events} messages in {sent_s:.0f} s ({args.events / sent_s:.0f}/s): "
            f"{refused} answers other than 200 (resent {resends} in {resent_rounds} rounds)"
        )
        print("faults: " + "; ".join(faults))

        deadline = time.time() + args.drain_timeout
        while time.time() < deadline:
            waiting = query(
                url, "SELECT count(*) FROM channels_inboundevent WHERE state = 'received'"
            )[0][0]
            if waiting == 0:
                break
            time.sleep(2)
        drain_s = time.time() - began
        workers.stop()
        web.terminate()
        web.wait(timeout=30)

        linked = query(
            url,
            "SELECT m.external_id, count(DISTINCT m.aduan_id) FROM channels_channelmessage m "
            "WHERE m.aduan_id IS NOT NULL GROUP BY m.external_id",
        )
        with_aduan = {str(r[0]) for r in linked}
        aduan = int(query(url, "SELECT count(*) FROM aduan_aduan WHERE channel = 'whatsapp'")[0][0])  # type: ignore[call-overload]
        states = dict(
            query(url, "SELECT state, count(*) FROM channels_inboundevent GROUP BY state")
        )
        texts_twice = int(
            query(
                url,
                "SELECT count(*) FROM (SELECT text FROM aduan_aduan WHERE channel = 'whatsapp' "
                "GROUP BY text HAVING count(*) > 1) t",
            )[0][0]  # type: ignore[call-overload]
        )
        lost = sum(1 for n in acked if f"wamid.CRASH{n}" not in with_aduan)
        duplicated = max(0, aduan - len(with_aduan)) + texts_twice
        print(f"events: {states}; worker restarts {workers.restarts}; drained at {drain_s:.0f} s")
        print(
            f"acknowledged {len(acked)}, aduan created {aduan}, lost {lost}, "
            f"duplicated {duplicated}"
        )
        return 0 if lost == 0 and duplicated == 0 and len(acked) == args.events else 1
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            pg.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--lease", type=int, default=20, help="POSKO_DRAIN_LEASE_SECONDS")
    parser.add_argument("--drain-timeout", type=float, default=1800)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="posko-crash-"))
    try:
        return run(args, folder)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
