"""``posko channels …``: manage official accounts, register the Telegram webhook, replay raw
events, retry failed deliveries, start X, e-mail and Instagram/Facebook tag polling."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from posko.channels.actions.accounts import do_save_account
from posko.channels.actions.outbound import do_retry_delivery
from posko.channels.base import SendError
from posko.channels.models import (
    ChannelAccount,
    DeliveryState,
    EventState,
    InboundEvent,
    OutboundDelivery,
    Platform,
)
from posko.org.models import Unit, UnitKind


def _pairs(values: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep:
            raise CommandError(f"harus kunci=nilai: {item}")
        try:
            result[key] = json.loads(value)
        except ValueError:
            result[key] = value
    return result


class Command(BaseCommand):
    help = "Kelola kanal: akun resmi, webhook Telegram, replay peristiwa, kirim ulang."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="daftar akun resmi")
        add = sub.add_parser("add", help="tambah/ubah akun resmi")
        add.add_argument("polres", help="prefiks kode Polres, mis. BLT")
        add.add_argument("platform", choices=Platform.values)
        add.add_argument("external_id", help="ID akun di platform")
        add.add_argument("--name", default="")
        add.add_argument("--slug", default="")
        add.add_argument("--api-base", default=None)
        add.add_argument("--credential", action="append", default=[], metavar="KUNCI=NILAI")
        add.add_argument("--config", action="append", default=[], metavar="KUNCI=JSON")
        add.add_argument("--inactive", action="store_true")
        tg = sub.add_parser("telegram-set-webhook", help="daftarkan webhook bot Telegram")
        tg.add_argument("slug")
        tg.add_argument("--base-url", required=True, help="alamat publik Posko, https://…")
        replay = sub.add_parser("replay", help="proses ulang peristiwa mentah")
        replay.add_argument("event_ids", nargs="*", type=int)
        replay.add_argument("--failed", action="store_true", help="semua yang gagal")
        replay.add_argument("--now", action="store_true", help="jalankan langsung, tanpa worker")
        retry = sub.add_parser("retry", help="kirim ulang pengiriman yang gagal")
        retry.add_argument("delivery_ids", nargs="*", type=int)
        retry.add_argument("--all-failed", action="store_true")
        poll = sub.add_parser("poll-x", help="mulai jadwal polling sebutan X")
        poll.add_argument("slug")
        poll_tags = sub.add_parser(
            "poll-tags", help="mulai jadwal polling tag Instagram / Halaman Facebook"
        )
        poll_tags.add_argument("slug")
        poll_tags.add_argument("--now", action="store_true", help="ambil sekali sekarang saja")
        poll_mail = sub.add_parser("poll-email", help="mulai jadwal polling kotak masuk e-mail")
        poll_mail.add_argument("slug")
        poll_mail.add_argument("--now", action="store_true", help="ambil sekali sekarang saja")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    def do_list(self, options: dict[str, Any]) -> None:
        for a in ChannelAccount.objects.select_related("polres").order_by("polres_id", "platform"):
            state = "aktif" if a.is_active else "nonaktif"
            self.stdout.write(
                f"{a.slug:30} {a.platform:10} {a.external_id:25} {a.polres.code_prefix} {state}"
            )

    def do_add(self, options: dict[str, Any]) -> None:
        polres = Unit.objects.filter(
            kind=UnitKind.POLRES, code_prefix=options["polres"].upper()
        ).first()
        if polres is None:
            raise CommandError("Polres tidak dikenal.")
        try:
            account = do_save_account(
                polres,
                options["platform"],
                external_id=options["external_id"],
                name=options["name"],
                slug=options["slug"],
                api_base=options["api_base"],
                credentials=_pairs(options["credential"]),
                config=_pairs(options["config"]),
                is_active=False if options["inactive"] else None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Akun tersimpan: {account.slug}")

    def do_telegram_set_webhook(self, options: dict[str, Any]) -> None:
        from django.urls import reverse

        from posko.channels.telegram.adapter import set_webhook

        account = ChannelAccount.objects.filter(
            slug=options["slug"], platform=Platform.TELEGRAM
        ).first()
        if account is None:
            raise CommandError("Akun Telegram tidak dikenal.")
        if not account.credentials.get("secret_token"):
            raise CommandError("Isi secret_token dulu (--credential secret_token=…).")
        url = options["base_url"].rstrip("/") + reverse("hooks:telegram", args=[account.slug])
        try:
            result = set_webhook(account, url)
        except SendError as exc:
            raise CommandError(exc.reason) from exc
        self.stdout.write(f"Webhook Telegram: {url} → {result.get('description', 'ok')}")

    def do_replay(self, options: dict[str, Any]) -> None:
        from posko.channels.actions.inbound import do_process_event
        from posko.channels.tasks import process_inbound_event

        events = InboundEvent.objects.all()
        if options["failed"]:
            events = events.filter(state=EventState.FAILED)
        elif options["event_ids"]:
            events = events.filter(pk__in=options["event_ids"])
        else:
            raise CommandError("Sebutkan id peristiwa atau --failed.")
        for event in events.order_by("pk"):
            InboundEvent.objects.filter(pk=event.pk).update(state=EventState.RECEIVED, attempts=0)
            if options["now"]:
                self.stdout.write(f"#{event.pk}: {do_process_event(event.pk)}")
            else:
                process_inbound_event.enqueue(event.pk)
                self.stdout.write(f"#{event.pk}: dijadwalkan")

    def do_retry(self, options: dict[str, Any]) -> None:
        deliveries = OutboundDelivery.objects.filter(state=DeliveryState.FAILED)
        if not options["all_failed"]:
            deliveries = deliveries.filter(pk__in=options["delivery_ids"])
        for delivery in deliveries:
            do_retry_delivery(delivery, acting_user=None)
            self.stdout.write(f"#{delivery.pk}: dijadwalkan ulang")

    def do_poll_x(self, options: dict[str, Any]) -> None:
        from posko.channels.tasks import poll_x_mentions

        account = ChannelAccount.objects.filter(slug=options["slug"], platform=Platform.X).first()
        if account is None:
            raise CommandError("Akun X tidak dikenal.")
        poll_x_mentions.enqueue(account.pk)
        self.stdout.write("Polling X dimulai (berulang sendiri sesuai poll_seconds).")

    def do_poll_tags(self, options: dict[str, Any]) -> None:
        from posko.channels.actions.polling import do_poll_tagged
        from posko.channels.tasks import poll_tagged

        account = ChannelAccount.objects.filter(
            slug=options["slug"], platform__in=[Platform.INSTAGRAM, Platform.FACEBOOK]
        ).first()
        if account is None:
            raise CommandError("Akun Instagram/Facebook tidak dikenal.")
        if options["now"]:
            self.stdout.write(do_poll_tagged(account.pk, reschedule=False))
            return
        poll_tagged.enqueue(account.pk)
        self.stdout.write("Polling tag dimulai (berulang sendiri sesuai poll_seconds).")

    def do_poll_email(self, options: dict[str, Any]) -> None:
        from posko.channels.actions.polling import do_poll_email
        from posko.channels.tasks import poll_email

        account = ChannelAccount.objects.filter(
            slug=options["slug"], platform=Platform.EMAIL
        ).first()
        if account is None:
            raise CommandError("Akun e-mail tidak dikenal.")
        if options["now"]:
            self.stdout.write(do_poll_email(account.pk, reschedule=False))
            return
        poll_email.enqueue(account.pk)
        self.stdout.write("Polling e-mail dimulai (berulang sendiri sesuai poll_seconds).")
