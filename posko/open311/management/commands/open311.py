"""Open311 commands: ``services load FILE.json [--polres BLT]`` and ``key create NAME``."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from posko.open311.actions.catalogue import CatalogueError, do_create_key, do_load_services
from posko.org.lookup import get_polres_by_prefix


class Command(BaseCommand):
    help = "Open311: muat katalog layanan, buat api_key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="group", required=True)
        services = sub.add_parser("services").add_subparsers(dest="action", required=True)
        load = services.add_parser("load", help="ganti katalog layanan dari berkas JSON")
        load.add_argument("file")
        load.add_argument("--polres", default=settings.POSKO_DEFAULT_POLRES)
        key = sub.add_parser("key").add_subparsers(dest="action", required=True)
        create = key.add_parser("create", help="buat api_key baru (dicetak sekali)")
        create.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["group"] == "key":
                _key, raw = do_create_key(options["name"])
                self.stdout.write(raw)
                return
            polres = get_polres_by_prefix(options["polres"])
            if polres is None:
                raise CommandError(f"Polres tidak dikenal: {options['polres']}")
            try:
                items = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"berkas tidak terbaca: {exc}") from exc
            count = do_load_services(polres, items)
            self.stdout.write(f"{count} layanan dimuat untuk {polres.name}")
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
