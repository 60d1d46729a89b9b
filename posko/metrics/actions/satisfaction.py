"""Citizen satisfaction: after an aduan is closed as selesai the reporter is asked once on the
tracking page (one reminder is scheduled); "not solved" reopens the aduan through aduan's
status action; answers feed the metrics layer."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan import events
from posko.aduan.actions.status import StatusTransitionError, do_reopen_for_reporter
from posko.aduan.models import Aduan
from posko.aduan.models.choices import Status
from posko.core.outbox import enqueue_with_transaction
from posko.metrics.models import Satisfaction

MAX_COMMENT = 1000


class SatisfactionError(ValueError):
    pass


@dataclass(frozen=True)
class Answer:
    solved: bool
    rating: int
    comment: str = ""


def do_ask_satisfaction(aduan_id: int) -> str:
    """Open the question for a selesai aduan (once per aduan) and schedule one reminder."""
    with transaction.atomic():
        aduan = Aduan.objects.select_for_update().filter(pk=aduan_id).first()
        if aduan is None or aduan.status != Status.SELESAI:
            return "not_selesai"
        survey, created = Satisfaction.objects.get_or_create(aduan=aduan)
        if not created:
            return "already_asked"
        remind_at = survey.asked_at + timedelta(hours=settings.POSKO_CSAT_REMIND_HOURS)

        def enqueue() -> None:
            from posko.metrics.tasks import remind_satisfaction

            remind_satisfaction.using(run_after=remind_at).enqueue(aduan_id)

        enqueue_with_transaction(enqueue)
    return "asked " + ask_on_channel(aduan_id, reminder=False)


def do_remind_satisfaction(aduan_id: int) -> str:
    """The single reminder: recorded once, only while the question is unanswered."""
    with transaction.atomic():
        survey = Satisfaction.objects.select_for_update().filter(aduan_id=aduan_id).first()
        if survey is None or survey.answered_at is not None:
            return "answered" if survey else "missing"
        if survey.reminded_at is not None:
            return "already_reminded"
        survey.reminded_at = timezone.now()
        survey.save(update_fields=["reminded_at"])
    return "reminded " + ask_on_channel(aduan_id, reminder=True)


QUESTION = (
    "Laporan Anda ({code}) telah selesai ditangani. Apakah masalah Anda sudah terselesaikan? "
    "Mohon beri penilaian 1–5 di halaman Lacak laporan dengan kode {code}."
)
REMINDER = (
    "Pengingat: mohon beri penilaian atas penanganan laporan {code} (1–5, dan apakah masalah "
    "sudah terselesaikan) di halaman Lacak laporan. Terima kasih."
)


def ask_on_channel(aduan_id: int, *, reminder: bool) -> str:
    """Put the question (or the reminder) to the citizen on the channel the aduan came from,
    through aduan's public reply action (sent by the channel's outbound machinery). Web, phone
    and walk-in reporters see it on the tracking page only."""
    from posko.aduan.actions.replies import SELF_SERVED_CHANNELS
    from posko.aduan.actions.system import do_send_system_reply

    aduan = Aduan.objects.get(pk=aduan_id)
    if aduan.channel in SELF_SERVED_CHANNELS:
        return "(tracking page)"
    text = (REMINDER if reminder else QUESTION).format(code=aduan.code)
    # A system message (no staff author); None when the platform would refuse it now (e.g.
    # the WhatsApp 24-hour window closed and no template).
    sent = do_send_system_reply(aduan, text, audit_action="satisfaction_asked", reminder=reminder)
    return f"(sent on {aduan.channel})" if sent else f"(not sent on {aduan.channel})"


def _validate(answer: Answer) -> Answer:
    if answer.rating not in range(1, 6):
        raise SatisfactionError(_("Pilih penilaian 1 sampai 5."))
    comment = answer.comment.strip()
    if len(comment) > MAX_COMMENT:
        raise SatisfactionError(_("Komentar paling banyak 1000 karakter."))
    return Answer(answer.solved, answer.rating, comment)


def do_answer_satisfaction(aduan: Aduan, answer: Answer) -> Satisfaction:
    """Record the reporter's answer (once). When the problem is not solved, the aduan is
    reopened (ditangani) with the reporter's words as the reason."""
    answer = _validate(answer)
    with transaction.atomic(durable=True):
        survey = Satisfaction.objects.select_for_update().filter(aduan=aduan).first()
        if survey is None:
            raise SatisfactionError(_("Belum ada pertanyaan kepuasan untuk aduan ini."))
        if survey.answered_at is not None:
            raise SatisfactionError(_("Penilaian untuk aduan ini sudah diterima."))
        survey.solved, survey.rating, survey.comment = answer.solved, answer.rating, answer.comment
        survey.answered_at = timezone.now()
        survey.save(update_fields=["solved", "rating", "comment", "answered_at"])
        events.emit(events.EventKind.SATISFACTION, aduan)
    if not answer.solved:
        reason = _("Pelapor menyatakan masalah belum terselesaikan.")
        if answer.comment:
            reason = f"{reason} {answer.comment}"
        # The reporter has no staff account: the status change is recorded without an actor.
        # A transition error means staff reopened it meanwhile.
        with suppress(StatusTransitionError):
            do_reopen_for_reporter(aduan, reason=reason)
    return survey
