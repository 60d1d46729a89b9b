"""Ronda malam (siskamling) rosters: shifts at a pos ronda, the reminder the day before on the
resident's WhatsApp (approved template ``ronda_template``: name, pos, start time), check-in by
scanning the pos's QR code, the end-of-shift report with a photo, and a monthly summary."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.channels.http import client
from posko.channels.models import ChannelAccount
from posko.org.lookup import is_desa_of_polres
from posko.org.models import Officer, Unit
from posko.publishing.access import can_compose
from posko.publishing.actions.common import PostError
from posko.publishing.actions.compose import clean_image
from posko.publishing.actions.subscribers import normalize_phone
from posko.publishing.calls import OutcomeUnknown, PublishRejected
from posko.publishing.models import RondaMember, RondaPost, RondaShift
from posko.publishing.publishers.publish_whatsapp import send_template
from posko.regions.models import Region

REMINDER_BEFORE = timedelta(hours=24)
CHECK_IN_EARLY = timedelta(hours=1)


def _may_manage(user: User) -> bool:
    from posko.aduan.access import officer_of
    from posko.org.models import Role

    officer = officer_of(user)
    return can_compose(user) or (officer is not None and officer.role == Role.BHABINKAMTIBMAS)


def do_create_ronda_post(polres: Unit, desa: Region, name: str, *, acting_user: User) -> RondaPost:
    if not _may_manage(acting_user):
        raise PostError(_("Anda tidak berwenang mengatur ronda."))
    if not is_desa_of_polres(polres, desa) or not name.strip():
        raise PostError(_("Isi nama pos dan desa di wilayah Polres ini."))
    return RondaPost.objects.create(
        polres=polres, desa=desa, name=name.strip()[:120], token=secrets.token_urlsafe(18)
    )


def do_create_shift(
    post: RondaPost,
    *,
    starts_at: datetime,
    ends_at: datetime,
    members: list[tuple[str, str]],
    coordinator: Officer | None,
    acting_user: User,
) -> RondaShift:
    """A shift with its residents (name, phone); the reminder goes out a day before."""
    from posko.publishing.tasks import send_ronda_reminders

    if not _may_manage(acting_user):
        raise PostError(_("Anda tidak berwenang mengatur ronda."))
    if ends_at <= starts_at:
        raise PostError(_("Jam selesai jaga harus setelah jam mulai."))
    if not members:
        raise PostError(_("Isi minimal satu warga yang berjaga."))
    cleaned = [(name.strip()[:120], normalize_phone(phone)) for name, phone in members]
    with transaction.atomic():
        shift = RondaShift.objects.create(
            post=post, starts_at=starts_at, ends_at=ends_at, coordinator=coordinator
        )
        RondaMember.objects.bulk_create(
            [RondaMember(shift=shift, name=n, phone=p) for n, p in cleaned]
        )
        pk, when = shift.pk, max(starts_at - REMINDER_BEFORE, timezone.now())
        transaction.on_commit(lambda: send_ronda_reminders.using(run_after=when).enqueue(pk))
    return shift


def do_send_ronda_reminders(shift_id: int) -> str:
    shift = RondaShift.objects.select_related("post").filter(pk=shift_id).first()
    if shift is None or shift.reminded_at is not None:
        return "done"
    account = next(
        (
            a
            for a in ChannelAccount.objects.filter(
                polres_id=shift.post.polres_id, platform="whatsapp", is_active=True
            )
            if isinstance(a.config.get("ronda_template"), dict)
        ),
        None,
    )
    if account is None:
        return "no template"
    RondaShift.objects.filter(pk=shift.pk).update(reminded_at=timezone.now())  # once only
    start = timezone.localtime(shift.starts_at)
    sent = 0
    with client() as http:
        for member in shift.members.all():
            params = [member.name, shift.post.name, f"{start:%d-%m-%Y %H:%M}"]
            try:
                send_template(http, account, member.phone, account.config["ronda_template"], params)
                sent += 1
            except (PublishRejected, OutcomeUnknown):
                continue
    return f"sent {sent}"


def do_check_in(token: str, phone: str) -> RondaMember:
    """The resident scanned the pos's QR code during (or up to an hour before) the shift."""
    address = normalize_phone(phone)
    now = timezone.now()
    with transaction.atomic():
        member = (
            RondaMember.objects.select_for_update()
            .select_related("shift__post")
            .filter(
                shift__post__token=token,
                phone=address,
                shift__starts_at__lte=now + CHECK_IN_EARLY,
                shift__ends_at__gte=now,
            )
            .first()
        )
        if member is None:
            raise PostError(_("Nomor ini tidak terjadwal jaga di pos ini sekarang."))
        if member.checked_in_at is None:
            member.checked_in_at = now
            member.save(update_fields=["checked_in_at"])
    return member


def do_report_shift(token: str, phone: str, text: str, photo: UploadedFile | None) -> RondaShift:
    """End-of-shift report (with a photo) by a resident who checked in on the shift."""
    address = normalize_phone(phone)
    if not text.strip():
        raise PostError(_("Tulis laporan singkat akhir jaga."))
    image = clean_image(photo) if photo is not None else None
    now = timezone.now()
    with transaction.atomic():
        member = (
            RondaMember.objects.select_related("shift")
            .filter(
                shift__post__token=token,
                phone=address,
                checked_in_at__isnull=False,
                shift__starts_at__lte=now,
                shift__ends_at__gte=now - timedelta(hours=6),
            )
            .first()
        )
        if member is None:
            raise PostError(_("Laporan hanya dari warga yang sudah absen di jaga ini."))
        shift = RondaShift.objects.select_for_update().get(pk=member.shift_id)
        shift.report = f"{shift.report}\n{member.name}: {text.strip()}".strip()[:5000]
        shift.reported_at = now
        if image is not None:
            shift.report_photo.save(
                f"{secrets.token_urlsafe(12)}.{image.extension}",
                ContentFile(image.data),
                save=False,
            )
        shift.save()
    return shift


@dataclass(frozen=True)
class DesaSummary:
    desa: str
    shifts: int
    members: int
    checked_in: int
    reports: int


def monthly_summary(polres: Unit, year: int, month: int) -> list[DesaSummary]:
    rows = (
        RondaShift.objects.filter(post__polres=polres, starts_at__year=year, starts_at__month=month)
        .values("post__desa__name")
        .annotate(
            n_shifts=Count("pk", distinct=True),
            n_members=Count("members", distinct=True),
            n_checked=Count(
                "members", filter=Q(members__checked_in_at__isnull=False), distinct=True
            ),
            n_reports=Count("pk", filter=Q(reported_at__isnull=False), distinct=True),
        )
        .order_by("post__desa__name")
    )
    return [
        DesaSummary(
            r["post__desa__name"], r["n_shifts"], r["n_members"], r["n_checked"], r["n_reports"]
        )
        for r in rows
    ]
