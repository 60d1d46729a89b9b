"""``posko publishing sweep``: re-enqueue publishing jobs left behind past their time (run it
from cron, e.g. hourly; harmless when nothing is overdue)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from posko.publishing.actions.publish import do_sweep_overdue


class Command(BaseCommand):
    help = "Publikasi: sweep = jadwalkan ulang tugas terbit yang tertinggal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sweep"])

    def handle(self, *args: Any, **options: Any) -> None:
        count = do_sweep_overdue()
        self.stdout.write(f"{count} tugas terbit dijadwalkan ulang.")
