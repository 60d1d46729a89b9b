"""``posko report monthly --polres BLT --month 2026-11 [--output FILE.pdf]`` (``--polres`` may
also name a Polda: ``--polda "Polda Kepulauan Bangka Belitung"``); ``posko report schedule``
arms the scheduled generation (the 1st of each month, 01:00 local time), unless its chain is
alive already (``posko.core.chains``; ``posko chains ensure``, run by ``posko serve``, keeps
every chain alive)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from posko.metrics.report import monthly_report_pdf, parse_month
from posko.org.lookup import get_polres_by_prefix
from posko.org.models import Unit, UnitKind


class Command(BaseCommand):
    help = "Laporan: 'monthly' membuat PDF laporan bulanan Polres (atau Polda)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        monthly = sub.add_parser("monthly", help="laporan bulanan (PDF)")
        monthly.add_argument("--polres", default="", help="prefiks Polres, mis. BLT")
        monthly.add_argument("--polda", default="", help="nama Polda (laporan gabungan)")
        monthly.add_argument("--month", required=True, help="YYYY-MM")
        monthly.add_argument("--output", default="", help="berkas PDF tujuan")
        sub.add_parser("schedule", help="jadwalkan laporan bulanan otomatis (tanggal 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "schedule":
            self._schedule()
            return
        try:
            month = parse_month(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["polda"]:
            polda = Unit.objects.filter(kind=UnitKind.POLDA, name=options["polda"]).first()
            if polda is None:
                raise CommandError(f"Polda tidak dikenal: {options['polda']}")
            scope, tag = polda, "polda"
        else:
            polres = get_polres_by_prefix(options["polres"] or "BLT")
            if polres is None:
                raise CommandError(f"Polres tidak dikenal: {options['polres']}")
            scope, tag = polres, polres.code_prefix
        output = Path(options["output"] or f"laporan-{tag}-{month.label}.pdf")
        output.write_bytes(monthly_report_pdf(scope, month))
        self.stdout.write(str(output))

    def _schedule(self) -> None:
        from posko.core.chains import ensure_chain
        from posko.core.models import TaskChain
        from posko.metrics.tasks import monthly_chain

        spec = monthly_chain()
        started = ensure_chain(spec)
        row = TaskChain.objects.get(key=spec.key)
        when = f"{timezone.localtime(row.next_run_at):%Y-%m-%d %H:%M}" if row.next_run_at else "-"
        if started:
            self.stdout.write(f"Laporan bulanan otomatis dijadwalkan: {when}.")
        else:
            self.stdout.write(f"Laporan bulanan otomatis sudah terjadwal: {when}.")
