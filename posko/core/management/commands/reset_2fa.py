from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from posko.core.actions.two_factor import do_reset_two_factor


class Command(BaseCommand):
    help = (
        "Hapus perangkat verifikasi dua langkah seorang pengguna (ponsel hilang): ia mendaftar "
        "ulang saat masuk berikutnya."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", default="", help="alasan (dicatat di jejak keamanan)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['username']!r} tidak ditemukan.")
        removed = do_reset_two_factor(user, reason=options["reason"])
        self.stdout.write(f"{removed} perangkat/kode dihapus untuk {user.username}.")
