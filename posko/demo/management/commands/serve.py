from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError

WORKER_COMMANDS = {
    # django-tasks-db: polls Posko's database; scheduled tasks are rows with ``run_after``.
    "database": ["db_worker", "--queue-name", "*", "--interval", "1", "--no-reload"],
    # django-tasks-rq: RQ's worker on Redis; its scheduler moves due scheduled tasks to the
    # queue (one worker at a time holds the scheduler's lock, so every worker may carry it).
    "rq": ["rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"],
}


def worker_command() -> list[str]:
    return [sys.executable, "-m", "posko", *WORKER_COMMANDS[settings.POSKO_TASK_BACKEND]]


class Command(BaseCommand):
    help = (
        "Jalankan Posko: server web produksi (gunicorn) dan worker tugas latar belakang. "
        "Dengan --demo: migrasi dan isi data demo lebih dahulu."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--demo", action="store_true", help="migrasi + data demo")
        parser.add_argument("--host", default=os.environ.get("POSKO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("POSKO_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("POSKO_WEB_WORKERS", "3"))
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("POSKO_WEB_THREADS", "1")),
            help="thread per worker gunicorn; >1 memakai worker gthread (keep-alive, cocok untuk "
            "webhook bervolume tinggi)",
        )
        parser.add_argument("--no-worker", action="store_true", help="tanpa worker tugas")
        parser.add_argument(
            "--task-workers",
            type=int,
            default=int(os.environ.get("POSKO_TASK_WORKERS", "1")),
            help="jumlah proses worker tugas (dijalankan ulang bila mati)",
        )

    def _supervise(
        self, web: subprocess.Popen[bytes], workers: list[subprocess.Popen[bytes] | None]
    ) -> int:
        """Run until the web server stops. A task worker that dies (killed, out of memory) is
        started again; it never takes the web server down with it. Its unfinished work is
        resumed by the leases of the tasks themselves."""
        while web.poll() is None:
            for index, worker in enumerate(workers):
                if worker is None or worker.poll() is not None:
                    if worker is not None:
                        self.stderr.write(
                            f"Worker tugas berhenti (kode {worker.returncode}); menjalankan ulang."
                        )
                    workers[index] = subprocess.Popen(worker_command())  # noqa: S603
            time.sleep(0.5)
        self.stderr.write("Server web berhenti; menghentikan worker.")
        return 1

    def _arm_schedules(self) -> None:
        """Every task chain alive (feed polls, monthly reports, the periodic check): a chain
        lost while Posko was down is restarted once (``posko chains ensure``, idempotent)."""
        try:
            call_command("chains", "ensure", stdout=self.stdout)
        except DatabaseError as exc:  # not migrated yet: the next start arms them
            self.stderr.write(f"Rantai tugas belum dijadwalkan: {exc}")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"]:
            # The demo's shared accounts log in with a password only, unless the deployer asks
            # for two-factor with POSKO_2FA_ROLES (read by the web server started below).
            os.environ.setdefault("POSKO_2FA_ROLES", "")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("seed_demo", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        self._arm_schedules()

        bind = f"{options['host']}:{options['port']}"
        web = subprocess.Popen(  # noqa: S603 - fixed argument list
            [
                sys.executable,
                "-m",
                "gunicorn",
                "posko.config.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(options["workers"]),
                # gunicorn switches to its gthread worker when threads > 1.
                "--threads",
                str(options["threads"]),
                "--no-control-socket",
                "--access-logfile",
                "-",
                # No client address or user agent in the access log: /info/ takes anonymous
                # tips, and the other pages do not need them either (django-axes and the rate
                # limits read the address from the request, not from this log).
                "--access-logformat",
                '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
                "--graceful-timeout",
                "10",
            ]
        )
        count = 0 if options["no_worker"] else options["task_workers"]
        workers: list[subprocess.Popen[bytes] | None] = [None] * count
        self.stdout.write(f"Posko berjalan di http://{bind}/  (Ctrl+C untuk berhenti)")

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            exit_code = self._supervise(web, workers)
        except KeyboardInterrupt:
            pass
        finally:
            processes: list[subprocess.Popen[bytes]] = [web, *filter(None, workers)]
            for p in processes:
                if p.poll() is None:
                    p.terminate()
            for p in processes:
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()
        if exit_code:
            raise SystemExit(exit_code)
