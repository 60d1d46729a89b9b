"""``posko report monthly --polres BLT --month 2026-11 [--output FILE.pdf]`` (``--polres`` may
also name a Polda: ``--polda "Polda Kepulauan Bangka Belitung"``); ``posko report schedule``
arms the scheduled generation (the 1st of each month, 01:00 local time), unless it is armed
already; ``posko serve`` runs it."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from posko.metrics.report import monthly_report_pdf, parse_month
from posko.org.lookup import get_polres_by_prefix, polres_units
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
            units, tag = polres_units(polda), "polda"
        else:
            polres = get_polres_by_prefix(options["polres"] or "BLT")
            if polres is None:
                raise CommandError(f"Polres tidak dikenal: {options['polres']}")
            units, tag = [polres], polres.code_prefix
        output = Path(options["output"] or f"laporan-{tag}-{month.label}.pdf")
        output.write_bytes(monthly_report_pdf(units, month))
        self.stdout.write(str(output))

    def _schedule(self) -> None:
        from posko.metrics.actions.reports import next_run
        from posko.metrics.tasks import generate_monthly_reports, monthly_reports_armed

        if monthly_reports_armed():
            self.stdout.write("Laporan bulanan otomatis sudah terjadwal.")
            return
        when = next_run()
        generate_monthly_reports.using(run_after=when).enqueue()
        self.stdout.write(f"Laporan bulanan otomatis dijadwalkan: {when.isoformat()}")
