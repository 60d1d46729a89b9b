"""Demo content of the community work (called by ``posko.demo.seed``): programmes with their
events (one Jumat Curhat already held, with two aspirations), stakeholders in three desa,
ronda rosters for two desa, sambang visits, and Telegram/SMS subscribers beside the WhatsApp
ones. Idempotent: nothing is added when programmes already exist."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from posko.org.lookup import bhabinkamtibmas_for_desa
from posko.org.models import Unit
from posko.publishing.actions.community import (
    EventInput,
    do_create_event,
    do_create_programme,
    do_log_sambang,
    do_record_aspiration,
    do_set_event_state,
)
from posko.publishing.actions.ronda import do_create_ronda_post, do_create_shift
from posko.publishing.actions.stakeholders import do_save_stakeholder
from posko.publishing.actions.subscribers import do_register_subscriber
from posko.publishing.models import EventState, Programme, ProgrammeKind, StakeholderRole
from posko.regions.models import Region

GANTUNG, DESA_2, DESA_3 = "19.06.02.2001", "19.06.02.2009", "19.06.05.2003"

PROGRAMMES = [
    (ProgrammeKind.PSM, "Polisi Sahabat Masyarakat", "Kunjungan ke warung kopi dan pasar."),
    (ProgrammeKind.SCHOOL, "Polisi Goes to School", "Seminar anti narkoba dan perundungan."),
    (ProgrammeKind.BAKSOS, "Bakti Sosial Bhayangkara", "Sembako dan pengobatan gratis."),
    (ProgrammeKind.JUMAT_CURHAT, "Jumat Curhat", "Dialog Kapolres dengan warga tiap Jumat."),
    (ProgrammeKind.RONDA, "Siskamling Desa", "Ronda malam bersama warga dan Bhabinkamtibmas."),
]
# (programme name, title, place, desa, days from today, hour)
EVENTS = [
    (
        "Polisi Sahabat Masyarakat",
        "Ngopi bareng warga Gantung",
        "Warung Kopi Pak Usu",
        GANTUNG,
        3,
        9,
    ),
    ("Polisi Goes to School", "Seminar anti narkoba SMAN 1 Gantung", "Aula SMAN 1", GANTUNG, 6, 8),
    ("Bakti Sosial Bhayangkara", "Pengobatan gratis", "Balai Desa", DESA_3, 10, 8),
    ("Jumat Curhat", "Jumat Curhat di masjid desa", "Masjid Al-Ikhlas", DESA_2, 8, 13),
]
STAKEHOLDERS = [
    (GANTUNG, StakeholderRole.BABINSA, "Serda Andi Saputra", "Koramil 0414-02", "081300010001"),
    (GANTUNG, StakeholderRole.KEPALA_DESA, "Bapak Rusli", "Pemerintah Desa", "081300010002"),
    (GANTUNG, StakeholderRole.PAM_SWAKARSA, "Hendra", "Pam Swakarsa RT 03", "081300010003"),
    (DESA_2, StakeholderRole.KORAMIL, "Koramil 0414-02 Gantung", "Koramil", "081300010004"),
    (DESA_2, StakeholderRole.TOKOH, "Ustaz Mahmud", "Tokoh agama", "081300010005"),
    (DESA_3, StakeholderRole.SATPAM, "Satpam Pasar Manggar", "Pasar Manggar", "081300010006"),
    (DESA_3, StakeholderRole.PERANGKAT, "Ibu Sari", "Sekretaris desa", "081300010007"),
]


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed_community_demo(polres: Unit) -> None:
    operator = User.objects.filter(username="operator").first()
    if operator is None or Programme.objects.filter(polres=polres).exists():
        return
    programmes = {
        name: do_create_programme(
            polres, kind=kind, name=name, description=text, acting_user=operator
        )
        for kind, name, text in PROGRAMMES
    }
    desa = {code: Region.objects.get(code=code) for code in (GANTUNG, DESA_2, DESA_3)}
    for programme, title, place, code, days, hour in EVENTS:
        do_create_event(
            programmes[programme],
            EventInput(title=title, place=place, starts_at=_at(days, hour), desa=desa[code]),
            acting_user=operator,
        )
    held = do_create_event(
        programmes["Jumat Curhat"],
        EventInput(
            title="Jumat Curhat pekan lalu",
            place="Balai Desa Gantung",
            starts_at=_at(-6, 13),
            desa=desa[GANTUNG],
        ),
        acting_user=operator,
    )
    do_set_event_state(held, EventState.DONE, acting_user=operator)
    for text in (
        "Balap liar di jalan lintas tiap malam Minggu, warga resah.",
        "Lampu jalan di depan sekolah mati, rawan saat malam.",
    ):
        do_record_aspiration(held, text, acting_user=operator)
    for code, role, name, organisation, phone in STAKEHOLDERS:
        do_save_stakeholder(
            polres,
            desa=desa[code],
            role=role,
            name=name,
            organisation=organisation,
            channel="whatsapp",
            address=phone,
            acting_user=operator,
        )
    _seed_ronda(polres, desa[GANTUNG], desa[DESA_2], operator)
    do_register_subscriber(polres, "700100200", desa[GANTUNG], source="demo", channel="telegram")
    do_register_subscriber(polres, "081300000401", desa[DESA_3], source="demo", channel="sms")


def _seed_ronda(polres: Unit, first: Region, second: Region, operator: User) -> None:
    for number, desa in enumerate((first, second)):
        bhabin = bhabinkamtibmas_for_desa(desa)
        pos = do_create_ronda_post(polres, desa, f"Pos Ronda {desa.name}", acting_user=operator)
        for day in (1, 2):
            start = _at(day, 22)
            do_create_shift(
                pos,
                starts_at=start,
                ends_at=start + timedelta(hours=6),
                members=[
                    (f"Warga {day}A", f"0813002{number}{day}001"),
                    (f"Warga {day}B", f"0813002{number}{day}002"),
                ],
                coordinator=bhabin,
                acting_user=operator,
            )
        if bhabin is not None:
            do_log_sambang(
                bhabin,
                desa=desa,
                visited_at=timezone.now() - timedelta(days=1, hours=number),
                place="Rumah Ketua RT 02",
                topic="Keamanan lingkungan dan ronda",
                acting_user=bhabin.user,
            )
