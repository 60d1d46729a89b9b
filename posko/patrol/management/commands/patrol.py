"""`posko patrol import-posts FILE` and `posko patrol import-registry FILE` (database).

`posko patrol match|eval|calibrate` run offline without Django (see posko/cli.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from posko.org.models import Unit, UnitKind
from posko.patrol.actions.claims import do_import_registry
from posko.patrol.actions.posts import PostImportError, do_import_posts


class Command(BaseCommand):
    help = "Patroli siber: impor unggahan publik dan register hoaks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import-posts", "import-registry"])
        parser.add_argument("file")
        parser.add_argument(
            "--polres", default=None, help="Polres code prefix (default: the only one)"
        )

    def _polres(self, prefix: str | None) -> Unit:
        qs = Unit.objects.filter(kind=UnitKind.POLRES)
        if prefix:
            qs = qs.filter(code_prefix=prefix)
        units = list(qs[:2])
        if len(units) != 1:
            raise CommandError("choose the Polres with --polres PREFIX")
        return units[0]

    def handle(self, *args: Any, **opts: Any) -> None:
        polres = self._polres(opts["polres"])
        try:
            if opts["action"] == "import-posts":
                created, dup = do_import_posts(opts["file"], polres=polres)
                self.stdout.write(f"{created} posts imported, {dup} duplicates skipped")
            else:
                n = do_import_registry(opts["file"], acting_user=None, polres=polres)
                self.stdout.write(f"{n} claims imported as drafts")
        except (OSError, PostImportError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
