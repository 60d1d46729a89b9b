"""``posko chains ensure`` restarts every lost task chain (feed polls, monthly reports, the
periodic check itself) exactly once; ``posko chains list`` shows each chain's row. Run at
worker start by ``posko serve`` (and by a systemd unit's ``ExecStartPre`` when the worker runs
on its own); idempotent and safe to run from several hosts at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from posko.core.chains import ensure_chains
from posko.core.models import TaskChain


class Command(BaseCommand):
    help = "Rantai tugas berulang: 'ensure' memulai ulang yang hilang, 'list' menampilkannya."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("ensure", help="mulai ulang rantai yang hilang (idempoten)")
        sub.add_parser("list", help="tampilkan setiap rantai")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "ensure":
            restarted = ensure_chains()
            self.stdout.write(
                f"{len(restarted)} rantai tugas dimulai: {', '.join(restarted) or '-'}"
            )
            return
        for row in TaskChain.objects.order_by("key"):
            due = (
                f"{timezone.localtime(row.next_run_at):%Y-%m-%d %H:%M:%S}"
                if row.next_run_at
                else "berhenti"
            )
            self.stdout.write(f"{row.key}\t{due}\t{row.last_result}\t{row.task_id}")
