from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from posko.demo.seed import DEMO_USERS, demo_password, seed_demo


class Command(BaseCommand):
    help = "Isi data demo Polres Belitung Timur (aman dijalankan berulang kali)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-sample", action="store_true", help="tanpa contoh aduan")

    def handle(self, *args: Any, **options: Any) -> None:
        password, generated = demo_password()
        polres = seed_demo(password, with_sample_aduan=not options["no_sample"])
        self.stdout.write(f"Data demo {polres.name} siap.")
        users = ", ".join(u.username for u in DEMO_USERS)
        self.stdout.write(f"Login demo: {users}, bhabin.<desa> (mis. bhabin.gantung)")
        if generated:
            self.stdout.write(
                f"Kata sandi demo: {password}  (set POSKO_DEMO_PASSWORD untuk memilih)"
            )
        else:
            self.stdout.write("Kata sandi demo: nilai POSKO_DEMO_PASSWORD")
