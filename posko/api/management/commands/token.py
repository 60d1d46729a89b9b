from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from posko.api.actions import do_create_api_token


class Command(BaseCommand):
    help = "Token API: `posko token create <username>` mencetak token bearer baru."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="buat token baru untuk pengguna")
        create.add_argument("username")
        create.add_argument("--label", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"Pengguna '{options['username']}' tidak ditemukan.") from exc
        if not hasattr(user, "officer"):
            raise CommandError(f"Pengguna '{user.username}' bukan personel Posko.")
        self.stdout.write(do_create_api_token(user, label=options["label"]))
