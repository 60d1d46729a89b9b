"""Polisi Virtual warnings: an officer drafts the first warning to the account behind a post
(from the template), a pimpinan approves it and it goes out; after 24 h a task checks
whether the content is still up (its url answers) and sends the second warning; 24 h later,
if it still stays, the case goes to the cyber unit (Satreskrim). Every step is one audit row
and keeps its evidence (text, url, screenshot, time).

Sending: each warning is one delivery of the channels' outbound machinery
(``channels.dispatch.queue_post_message``: the platform's own rule for answering a post, the
Polres's official account, the send task enqueued with the step's transaction), marked
``at_most_once`` — an unknown outcome is *unconfirmed*, never sent again automatically; a
failure is shown on the warning page and retried through the channels' delivery retry. A post
Posko cannot answer (RSS, an import without an official account) keeps a note: the officer
sends that warning by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.models import Notification
from posko.channels.actions.outbound import RETRYABLE_BY_HAND, do_retry_delivery
from posko.channels.dispatch import ReplyNotAllowed, queue_post_message
from posko.channels.http import client
from posko.channels.models import OutboundDelivery
from posko.org.models import Officer, Role, Satuan, Unit
from posko.patrol.actions.claims import (
    APPROVER_ROLES,
    AUTHOR_ROLES,
    PatrolPermissionDenied,
    polres_for,
    record_patrol_audit,
)
from posko.patrol.models import PatrolWarning, PublicPost, WarningEvidence, WarningStatus

STEP_DELAY = timedelta(hours=24)
FIRST_TEMPLATE = (
    "Peringatan Polisi Virtual {polres}: unggahan Anda ({url}) berpotensi melanggar hukum "
    "(UU ITE). Mohon segera dihapus atau diperbaiki. Terima kasih."
)
SECOND_TEMPLATE = (
    "Peringatan kedua Polisi Virtual {polres}: unggahan Anda ({url}) masih tayang setelah 1×24 "
    "jam. Bila tidak dihapus, kasus diteruskan ke unit siber Satreskrim."
)
MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024


class WarningError(ValueError):
    pass


def _target(w: PatrolWarning) -> dict[str, Any]:
    return {"warning": w.pk, "post": w.post_id}


def _evidence(
    w: PatrolWarning, step: str, *, user: User | None, screenshot: UploadedFile | None = None
) -> WarningEvidence:
    if screenshot is not None and screenshot.size and screenshot.size > MAX_SCREENSHOT_BYTES:
        raise WarningError(_("Tangkapan layar terlalu besar (maksimal 5 MB)."))
    if screenshot is not None:
        try:
            forms.ImageField().clean(screenshot)  # Pillow opens and verifies it
        except ValidationError:
            raise WarningError(_("Tangkapan layar harus berupa gambar (PNG/JPEG).")) from None
        screenshot.seek(0)
    ev = WarningEvidence(warning=w, step=step, text=w.post.text, url=w.post.url, added_by=user)
    if screenshot is not None:
        ev.screenshot = screenshot
    ev.save()
    return ev


def _send(w: PatrolWarning, text: str) -> tuple[OutboundDelivery | None, str]:
    """Inside the step's transaction: the delivery to the post's author, or why there is none."""
    post = w.post
    try:
        delivery = queue_post_message(w.polres_id, post.source, post.source_id, post.author, text)
    except ReplyNotAllowed as exc:
        return None, f"{exc} " + _("Kirim peringatan ini secara manual.")
    return delivery, ""


def do_start_warning(
    post: PublicPost,
    *,
    acting_user: User,
    message: str = "",
    screenshot: UploadedFile | None = None,
) -> PatrolWarning:
    """Draft the first warning (waits for a pimpinan); the post's evidence is kept now."""
    polres = polres_for(acting_user, AUTHOR_ROLES)
    if post.polres_id != polres.pk:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    if not post.author:
        raise WarningError(_("Unggahan ini tidak punya akun yang bisa diperingatkan."))
    if post.warnings.exclude(status=WarningStatus.RESOLVED).exists():
        raise WarningError(_("Unggahan ini sudah dalam proses peringatan."))
    text = message.strip() or FIRST_TEMPLATE.format(polres=polres.name, url=post.url or "-")
    with transaction.atomic():
        w = PatrolWarning.objects.create(
            polres=polres, post=post, account=post.author, message=text, created_by=acting_user
        )
        _evidence(w, "draft", user=acting_user, screenshot=screenshot)
        record_patrol_audit(polres, "warning_drafted", actor=acting_user, **_target(w))
    return w


def do_approve_warning(w: PatrolWarning, *, acting_user: User) -> PatrolWarning:
    """A pimpinan approves: the first warning is sent; the 24-h check is scheduled."""
    polres = polres_for(acting_user, APPROVER_ROLES)
    if w.polres_id != polres.pk:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    with transaction.atomic():
        locked = (
            PatrolWarning.objects.select_for_update(of=("self",))
            .select_related("post")
            .get(pk=w.pk)
        )
        if locked.status != WarningStatus.DRAFT:
            raise WarningError(_("Peringatan ini sudah disetujui."))
        locked.status = WarningStatus.FIRST
        locked.approved_by = acting_user
        locked.first_sent_at = timezone.now()
        locked.first_delivery, locked.first_note = _send(locked, locked.message)
        locked.save(
            update_fields=["status", "approved_by", "first_sent_at", "first_delivery", "first_note"]
        )
        _evidence(locked, "first", user=acting_user)
        record_patrol_audit(
            polres,
            "warning_first_sent",
            actor=acting_user,
            message=locked.message,
            **_target(locked),
        )
        due = locked.first_sent_at + STEP_DELAY
        pk = locked.pk
        transaction.on_commit(lambda: _schedule_check(pk, due))
    return locked


def do_add_evidence(
    w: PatrolWarning, *, acting_user: User, screenshot: UploadedFile
) -> WarningEvidence:
    polres = polres_for(acting_user, AUTHOR_ROLES | APPROVER_ROLES)
    if w.polres_id != polres.pk:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    with transaction.atomic():
        ev = _evidence(w, "evidence", user=acting_user, screenshot=screenshot)
        record_patrol_audit(polres, "warning_evidence_added", actor=acting_user, **_target(w))
    return ev


def _schedule_check(warning_id: int, due: datetime) -> None:
    from posko.patrol.tasks import check_warning

    check_warning.using(run_after=due).enqueue(warning_id)


def content_stays(url: str) -> bool:
    """The post is still up when its url answers 2xx (404/410: taken down). Unknown (no url,
    network failure) counts as staying: the officer checks the evidence."""
    if not url:
        return True
    try:
        with client() as http:
            r = http.get(url)
    except httpx.HTTPError:
        return True
    return r.status_code not in (404, 410)


def _cyber_unit(polres: Unit) -> list[Officer]:
    return list(
        Officer.objects.filter(unit__parent=polres, unit__satuan=Satuan.SATRESKRIM).select_related(
            "user"
        )
        | Officer.objects.filter(unit=polres, role=Role.PIMPINAN).select_related("user")
    )


def do_check_warning(warning_id: int) -> str:
    """The scheduled step (system actor): resolved, second warning, or escalation."""
    now = timezone.now()
    with transaction.atomic():
        w = (
            PatrolWarning.objects.select_for_update(of=("self",))
            .select_related("post", "polres")
            .filter(pk=warning_id)
            .first()
        )
        if w is None or w.status not in (WarningStatus.FIRST, WarningStatus.SECOND):
            return "nothing to do"
        last = w.second_sent_at or w.first_sent_at
        if last is None or now < last + STEP_DELAY:
            return "not due"
        if not content_stays(w.post.url):
            w.status, w.resolved_at = WarningStatus.RESOLVED, now
            w.save(update_fields=["status", "resolved_at"])
            _evidence(w, "resolved", user=None)
            record_patrol_audit(w.polres, "warning_resolved", actor=None, **_target(w))
            return "resolved"
        if w.status == WarningStatus.FIRST:
            w.status, w.second_sent_at = WarningStatus.SECOND, now
            msg = SECOND_TEMPLATE.format(polres=w.polres.name, url=w.post.url or "-")
            w.second_delivery, w.second_note = _send(w, msg)
            w.save(update_fields=["status", "second_sent_at", "second_delivery", "second_note"])
            _evidence(w, "second", user=None)
            record_patrol_audit(
                w.polres, "warning_second_sent", actor=None, message=msg, **_target(w)
            )
            pk, due = w.pk, now + STEP_DELAY
            transaction.on_commit(lambda: _schedule_check(pk, due))
            return "second"
        w.status, w.escalated_at = WarningStatus.ESCALATED, now
        w.save(update_fields=["status", "escalated_at"])
        _evidence(w, "escalated", user=None)
        link = f"{reverse('patrol:warnings')}#peringatan-{w.pk}"
        text = f"Peringatan virtual ke {w.account} diabaikan 2×24 jam: dilimpahkan ke unit siber."
        Notification.objects.bulk_create(
            [Notification(recipient=o, text=text[:300], link=link) for o in _cyber_unit(w.polres)]
        )
        record_patrol_audit(w.polres, "warning_escalated", actor=None, **_target(w))
        return "escalated"


def do_resend_warning(w: PatrolWarning, *, step: str, acting_user: User) -> OutboundDelivery:
    """Send a warning step's failed or unconfirmed delivery again (an officer decided so after
    checking the platform): the channels' delivery retry, audited on the warning."""
    polres = polres_for(acting_user, AUTHOR_ROLES | APPROVER_ROLES)
    if w.polres_id != polres.pk:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    field = {"first": "first_delivery", "second": "second_delivery"}.get(step)
    with transaction.atomic():
        locked = PatrolWarning.objects.select_for_update(of=("self",)).get(pk=w.pk)
        delivery = getattr(locked, field) if field else None
        if delivery is None or delivery.state not in RETRYABLE_BY_HAND:
            raise WarningError(
                _("Hanya pengiriman yang gagal atau belum terkonfirmasi yang dapat dikirim ulang.")
            )
        do_retry_delivery(delivery, acting_user=acting_user)
        record_patrol_audit(
            polres, "warning_resent", actor=acting_user, step=step, **_target(locked)
        )
    delivery.refresh_from_db()
    return delivery
