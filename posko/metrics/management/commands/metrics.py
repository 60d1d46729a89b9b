"""``posko metrics rebuild``: recompute the metrics layer from scratch."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from posko.metrics.actions.refresh import do_rebuild_metrics


class Command(BaseCommand):
    help = "Metrik: 'rebuild' menghitung ulang seluruh baris metrik dari data aduan."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        rows, aduan = do_rebuild_metrics()
        self.stdout.write(f"{rows} baris metrik dari {aduan} aduan")
