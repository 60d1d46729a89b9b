from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from posko.org.lookup import get_polres_by_prefix
from posko.org.models import Unit
from posko.triage_store.actions.training import do_activate_triage_model, do_retrain_triage_model
from posko.triage_store.models import TriageModelVersion


class Command(BaseCommand):
    help = (
        "Model triase per Polres: `retrain` (latih ulang dari set dasar + koreksi operator), "
        "`versions` (daftar versi), `rollback VERSI|--shipped` (aktifkan versi lain). "
        "`posko triage` tanpa subperintah ini menjalankan triase luring (JSON Lines)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("retrain", "versions", "rollback"):
            p = sub.add_parser(name)
            p.add_argument("--polres", default=settings.POSKO_DEFAULT_POLRES, help="prefiks Polres")
            if name == "retrain":
                p.add_argument("--force", action="store_true", help="aktifkan walau lebih buruk")
            if name == "rollback":
                p.add_argument("version", nargs="?", type=int, help="nomor versi")
                p.add_argument("--shipped", action="store_true", help="kembali ke model bawaan")

    def handle(self, *args: Any, **options: Any) -> None:
        polres = get_polres_by_prefix(options["polres"])
        if polres is None:
            raise CommandError(f"Polres dengan prefiks '{options['polres']}' tidak ditemukan.")
        getattr(self, f"_{options['action']}")(polres, options)

    def _retrain(self, polres: Unit, options: dict[str, Any]) -> None:
        result = do_retrain_triage_model(polres, force=options["force"])
        v = result.version
        self.stdout.write(
            f"{polres.name}: versi {v.version} dilatih dari {v.examples} contoh "
            f"({v.corrections} koreksi operator)."
        )
        self.stdout.write(
            f"Skor data uji (rata-rata macro-F1 kategori/prioritas/nada): "
            f"sekarang {result.current_score:.3f}, baru {result.new_score:.3f}."
        )
        if result.corrections_right is not None:
            self.stdout.write(f"Koreksi operator yang kini tepat: {result.corrections_right:.0%}.")
        if result.activated:
            self.stdout.write(f"Versi {v.version} AKTIF.")
        else:
            self.stdout.write(
                f"Versi {v.version} TIDAK diaktifkan karena lebih buruk dari versi sekarang "
                "(gunakan --force untuk tetap mengaktifkan)."
            )

    def _versions(self, polres: Unit, options: dict[str, Any]) -> None:
        rows = TriageModelVersion.objects.filter(polres=polres).order_by("version")
        if not rows:
            self.stdout.write(f"{polres.name}: belum ada versi terlatih; model bawaan aktif.")
            return
        any_active = False
        for row in rows:
            any_active |= row.is_active
            mark = "*" if row.is_active else " "
            self.stdout.write(
                f"{mark} v{row.version}  {row.created_at:%Y-%m-%d %H:%M}  contoh={row.examples} "
                f"koreksi={row.corrections}  skor={row.metrics.get('score_new', 0):.3f} {row.note}"
            )
        if not any_active:
            self.stdout.write("  (model bawaan aktif)")

    def _rollback(self, polres: Unit, options: dict[str, Any]) -> None:
        if options["shipped"] == (options["version"] is not None):
            raise CommandError("Sebutkan satu nomor versi, atau --shipped.")
        try:
            version = do_activate_triage_model(polres, options["version"])
        except TriageModelVersion.DoesNotExist as exc:
            raise CommandError(f"Versi {options['version']} tidak ada.") from exc
        self.stdout.write(
            f"Versi {version.version} aktif." if version else "Model bawaan Posko aktif."
        )
