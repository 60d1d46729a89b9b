"""Community programmes and their events (Polisi Sahabat Masyarakat visits, school seminars,
bakti sosial, Jumat Curhat dialogues), aspirations voiced there and their follow-up (an aduan
through aduan's intake, or information), the sambang visit log of each Bhabinkamtibmas, and
the publicity of an event prepared for the composer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.actions import do_submit_aduan
from posko.aduan.actions.intake import Reporter
from posko.aduan.audit import record_polres_audit
from posko.aduan.models import Aduan
from posko.aduan.models.choices import Channel
from posko.channels.models import ChannelAccount
from posko.org.lookup import is_desa_of_polres
from posko.org.models import Officer, Role, Unit
from posko.org.permissions import authorize_in_polres
from posko.publishing.access import COMPOSE_ROLES
from posko.publishing.actions.common import PostError
from posko.publishing.models import (
    Aspiration,
    AspirationFollowUp,
    EventState,
    Post,
    PostKind,
    Programme,
    ProgrammeEvent,
    ProgrammeKind,
    SambangVisit,
)
from posko.regions.models import Region

# Who runs programmes and events: the publishing officers and the Bhabinkamtibmas.
COMMUNITY_ROLES = COMPOSE_ROLES | {Role.BHABINKAMTIBMAS}
MAX_TEXT = 4000


def _audit(polres: Unit, action: str, target: str, actor: User | None, **data: Any) -> None:
    record_polres_audit(polres, f"community_{action}", actor=actor, target=target, **data)


def _desa(polres: Unit, desa: Region | None) -> Region | None:
    if desa is not None and not is_desa_of_polres(polres, desa):
        raise PostError(_("Desa tidak dikenal di wilayah Polres ini."))
    return desa


def do_create_programme(
    polres: Unit, *, kind: str, name: str, description: str = "", acting_user: User
) -> Programme:
    authorize_in_polres(acting_user, COMPOSE_ROLES, polres)
    name = name.strip()
    if kind not in ProgrammeKind.values or not name or len(name) > 160:
        raise PostError(_("Isi jenis dan nama program (paling banyak 160 karakter)."))
    if Programme.objects.filter(polres=polres, name__iexact=name).exists():
        raise PostError(_("Nama program sudah dipakai."))
    with transaction.atomic():
        programme = Programme.objects.create(
            polres=polres, kind=kind, name=name, description=description.strip()[:MAX_TEXT]
        )
        _audit(polres, "programme_created", f"programme:{programme.pk}", acting_user, kind=kind)
    return programme


@dataclass
class EventInput:
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime | None = None
    desa: Region | None = None
    description: str = ""


def do_create_event(programme: Programme, data: EventInput, *, acting_user: User) -> ProgrammeEvent:
    polres = programme.polres
    authorize_in_polres(acting_user, COMMUNITY_ROLES, polres)
    errors = []
    if not data.title.strip() or len(data.title) > 200:
        errors.append(_("Isi judul kegiatan (paling banyak 200 karakter)."))
    if not data.place.strip() or len(data.place) > 200:
        errors.append(_("Isi tempat kegiatan."))
    if data.ends_at is not None and data.ends_at <= data.starts_at:
        errors.append(_("Waktu selesai harus setelah waktu mulai."))
    if errors:
        raise PostError(errors)
    desa = _desa(polres, data.desa)
    with transaction.atomic():
        event = ProgrammeEvent.objects.create(
            programme=programme,
            title=data.title.strip(),
            place=data.place.strip(),
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            desa=desa,
            description=data.description.strip()[:MAX_TEXT],
            created_by=acting_user,
        )
        _audit(polres, "event_created", f"event:{event.pk}", acting_user, programme=programme.pk)
    return event


def do_set_event_state(event: ProgrammeEvent, state: str, *, acting_user: User) -> ProgrammeEvent:
    polres = event.programme.polres
    authorize_in_polres(acting_user, COMMUNITY_ROLES, polres)
    if state not in EventState.values:
        raise PostError(_("Status kegiatan tidak dikenal."))
    with transaction.atomic():
        before = event.state
        event.state = state
        event.save(update_fields=["state"])
        _audit(polres, "event_state", f"event:{event.pk}", acting_user, before=before, after=state)
    return event


def event_publicity(event: ProgrammeEvent, accounts: list[ChannelAccount]) -> dict[str, Any]:
    """The composer's initial values for the event's publicity (first click: open the
    composer prefilled; second: save). Accounts: every publishing account of the Polres."""
    when = timezone.localtime(event.starts_at)
    starts = f"{when:%d/%m/%Y %H:%M}"
    text = _("%(title)s — %(place)s, %(starts)s. Warga diundang hadir.") % {
        "title": event.title,
        "place": event.place,
        "starts": starts,
    }
    if event.description:
        text = f"{text}\n\n{event.description}"
    return {
        "kind": PostKind.EVENT,
        "title": event.title,
        "text": text,
        "accounts": [a.pk for a in accounts],
        "desa": [event.desa] if event.desa else [],
        "f_place": event.place,
        "f_starts": starts,
    }


def do_link_publicity(event: ProgrammeEvent, post: Post, *, acting_user: User) -> None:
    polres = event.programme.polres
    authorize_in_polres(acting_user, COMPOSE_ROLES, polres)
    if post.polres_id != polres.pk:
        raise PostError(_("Publikasi bukan milik Polres ini."))
    with transaction.atomic():
        ProgrammeEvent.objects.filter(pk=event.pk).update(post=post)
        _audit(polres, "event_publicity", f"event:{event.pk}", acting_user, post=post.pk)


def do_record_aspiration(
    event: ProgrammeEvent, text: str, *, speaker: str = "", acting_user: User
) -> Aspiration:
    polres = event.programme.polres
    authorize_in_polres(acting_user, COMMUNITY_ROLES, polres)
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise PostError(_("Isi aspirasi (paling banyak 4.000 karakter)."))
    with transaction.atomic():
        aspiration = Aspiration.objects.create(
            event=event, text=text, speaker=speaker.strip()[:120], recorded_by=acting_user
        )
        _audit(polres, "aspiration_recorded", f"event:{event.pk}", acting_user)
    return aspiration


def do_follow_up_aspiration(
    aspiration: Aspiration, follow_up: str, *, note: str = "", acting_user: User
) -> Aspiration:
    """As an aduan (recorded through aduan's intake, by the officer, channel "Melalui
    Bhabinkamtibmas", in the event's desa) or as information. Once only."""
    event = aspiration.event
    polres = event.programme.polres
    authorize_in_polres(acting_user, COMMUNITY_ROLES, polres)
    if follow_up not in (AspirationFollowUp.ADUAN, AspirationFollowUp.INFORMATION):
        raise PostError(_("Pilih tindak lanjut: aduan atau informasi."))

    def settle(aduan: Aduan | None) -> Aspiration:
        locked = Aspiration.objects.select_for_update().get(pk=aspiration.pk)
        if locked.follow_up != AspirationFollowUp.PENDING:
            raise PostError(_("Aspirasi ini sudah ditindaklanjuti."))  # rolls the aduan back
        locked.follow_up, locked.aduan, locked.note = follow_up, aduan, note.strip()[:500]
        locked.save(update_fields=["follow_up", "aduan", "note"])
        _audit(
            polres,
            "aspiration_followed",
            f"event:{event.pk}",
            acting_user,
            after=follow_up,
            aduan=aduan.code if aduan else "",
        )
        return locked

    if follow_up == AspirationFollowUp.INFORMATION:
        with transaction.atomic():
            return settle(None)
    done: list[Aspiration] = []
    # The aduan's own (durable) transaction holds the link: both or neither.
    do_submit_aduan(
        polres,
        text=aspiration.text,
        channel=Channel.BHABINKAMTIBMAS,
        reporter=Reporter(name=aspiration.speaker) if aspiration.speaker else None,
        desa=event.desa,
        acting_user=acting_user,
        on_created=lambda aduan: done.append(settle(aduan)),
    )
    return done[0]


def do_log_sambang(
    officer: Officer,
    *,
    desa: Region,
    visited_at: datetime,
    place: str,
    topic: str,
    notes: str = "",
    acting_user: User,
) -> SambangVisit:
    """A Bhabinkamtibmas logs their own visit (a publishing officer may log it for them)."""
    polres = officer.unit.polres
    if polres is None:
        raise PostError(_("Petugas ini tidak berada di bawah Polres."))
    actor = authorize_in_polres(acting_user, COMMUNITY_ROLES, polres)
    if actor.role == Role.BHABINKAMTIBMAS and actor.pk != officer.pk:
        raise PostError(_("Bhabinkamtibmas hanya mencatat kunjungannya sendiri."))
    if officer.role != Role.BHABINKAMTIBMAS:
        raise PostError(_("Kunjungan sambang dicatat untuk Bhabinkamtibmas."))
    _desa(polres, desa)
    if not place.strip() or not topic.strip():
        raise PostError(_("Isi rumah/tempat dan topik kunjungan."))
    if visited_at > timezone.now():
        raise PostError(_("Waktu kunjungan tidak boleh di masa depan."))
    with transaction.atomic():
        visit = SambangVisit.objects.create(
            polres=polres,
            officer=officer,
            desa=desa,
            visited_at=visited_at,
            place=place.strip()[:200],
            topic=topic.strip()[:200],
            notes=notes.strip()[:MAX_TEXT],
        )
        _audit(polres, "sambang_logged", f"sambang:{visit.pk}", acting_user, officer=officer.pk)
    return visit
