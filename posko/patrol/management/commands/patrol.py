"""`posko patrol import-posts FILE`, `posko patrol import-registry FILE`, `posko patrol poll`
(every enabled feed once, no chain) and `posko patrol detect-spikes` (alerts now) — database.

`posko patrol match|eval|calibrate` run offline without Django (see posko/cli.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from posko.org.models import Unit, UnitKind
from posko.patrol.actions.claims import do_import_registry
from posko.patrol.actions.feeds import do_poll_feed
from posko.patrol.actions.posts import PostImportError, do_import_posts
from posko.patrol.actions.spikes import do_detect_spikes
from posko.patrol.models import Feed


class Command(BaseCommand):
    help = "Patroli siber: impor unggahan publik dan register hoaks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["import-posts", "import-registry", "poll", "detect-spikes"]
        )
        parser.add_argument("file", nargs="?", default="")
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
        action = opts["action"]
        if action in ("import-posts", "import-registry") and not opts["file"]:
            raise CommandError(f"{action} needs a FILE")
        if action == "poll":
            for feed in Feed.objects.filter(polres=polres, enabled=True):
                self.stdout.write(f"{feed.name}: {do_poll_feed(feed.pk)}")
            return
        if action == "detect-spikes":
            alerts = do_detect_spikes(polres)
            for a in alerts:
                self.stdout.write(f"{a.started_at:%Y-%m-%d %H:%M} {a.topic} @ {a.place}: {a.count}")
            self.stdout.write(f"{len(alerts)} new alerts")
            return
        try:
            if action == "import-posts":
                created, dup = do_import_posts(opts["file"], polres=polres)
                self.stdout.write(f"{created} posts imported, {dup} duplicates skipped")
            else:
                n = do_import_registry(opts["file"], acting_user=None, polres=polres)
                self.stdout.write(f"{n} claims imported as drafts")
        except (OSError, PostImportError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
