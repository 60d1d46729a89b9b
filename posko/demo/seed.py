"""Seed the demo tenants: Polres Belitung Timur (organisation, demo officers, Bhabinkamtibmas,
landmarks, sample aduan) and a second Polres, Polres Belitung, onboarded by the same code path
as ``posko polres add`` with its own officers and sample aduan, both under Polda Kepulauan
Bangka Belitung, whose Kapolda (``kapolda``) and a Mabes auditor (``mabes``) see them rolled up.

Seeding twice is harmless: everything is created only when missing.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from posko.aduan.actions import do_add_message, do_change_status, do_submit_aduan
from posko.aduan.actions.intake import Reporter
from posko.aduan.actions.onboarding import do_onboard_polres
from posko.aduan.models import Aduan
from posko.channels.actions.accounts import configure_demo_accounts
from posko.org.actions.officers import ensure_officer
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Role, Satuan, Unit, UnitKind
from posko.regions.models import Region, RegionLevel
from posko.triage_store.models import Landmark

KABUPATEN = "19.06"
PREFIX = "BLT"
POLRES_NAME = "Polres Belitung Timur"
POLDA_NAME = "Polda Kepulauan Bangka Belitung"
# The second demo Polres (``posko polres add --kabupaten 19.02 --prefix BLG --name …``).
SECOND_KABUPATEN = "19.02"
SECOND_PREFIX = "BLG"
SECOND_NAME = "Polres Belitung"

BHABIN_NAMES = [
    "Andi Saputra",
    "Budi Hartono",
    "Candra Wijaya",
    "Dedi Kurniawan",
    "Eko Prasetyo",
    "Fajar Ramadhan",
    "Gilang Pratama",
    "Hendra Gunawan",
    "Irfan Hakim",
    "Joko Susilo",
    "Kurniadi",
    "Lukman Hakim",
    "Muhammad Rizki",
    "Nanda Putra",
    "Oki Setiawan",
    "Putra Ananda",
    "Rahmat Hidayat",
    "Sandi Firmansyah",
    "Taufik Rahman",
    "Usman Effendi",
    "Wahyu Nugroho",
    "Yoga Permana",
    "Zulkifli",
    "Agus Salim",
    "Bayu Aji",
    "Dimas Anggara",
    "Erwin Syahputra",
    "Ferry Irawan",
    "Guntur Wibowo",
    "Hari Santoso",
    "Indra Lesmana",
    "Jefri Nichol",
    "Krisna Mukti",
    "Luthfi Aziz",
    "Mulyadi",
    "Novri Yanto",
    "Rudi Hermawan",
    "Slamet Riyadi",
    "Teguh Santosa",
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    unit: str  # satuan code, "polres", or "polsek:<kecamatan>"
    full_name: str
    rank: str
    head: bool = False


DEMO_USERS = [
    DemoUser("admin", Role.ADMIN, "polres", "Admin Posko", "Aipda"),
    DemoUser("operator", Role.OPERATOR, Satuan.HUMAS, "Siti Rahmawati", "Brigpol"),
    DemoUser("kapolres", Role.PIMPINAN, "polres", "Hendro Wibowo", "AKBP"),
    DemoUser("propam", Role.PROPAM, Satuan.PROPAM, "Arif Budiman", "Ipda", head=True),
    DemoUser("satlantas", Role.PETUGAS, Satuan.SATLANTAS, "Rudi Hartono", "Iptu", head=True),
    DemoUser("satreskrim", Role.PETUGAS, Satuan.SATRESKRIM, "Yudi Pranata", "AKP", head=True),
    DemoUser("samapta", Role.PETUGAS, Satuan.SAMAPTA, "Dani Setiawan", "Iptu", head=True),
    DemoUser("ppa", Role.PETUGAS, Satuan.PPA, "Maria Ulfa", "Ipda", head=True),
    DemoUser("spkt", Role.PETUGAS, Satuan.SPKT, "Rina Marlina", "Bripka"),
    DemoUser("auditor", Role.AUDITOR, "polres", "Laras Sati", "Kompol"),
    DemoUser("polsek.gantung", Role.PETUGAS, "polsek:Gantung", "Ahmad Fauzi", "Iptu", head=True),
    DemoUser("polsek.manggar", Role.PETUGAS, "polsek:Manggar", "Benny Saputra", "AKP", head=True),
]

# Polres Belitung's own officers ("polres", satuan codes and "polsek:<kecamatan>" as above).
SECOND_USERS = [
    DemoUser("kapolres.blg", Role.PIMPINAN, "polres", "Bambang Sutrisno", "AKBP"),
    DemoUser("operator.blg", Role.OPERATOR, Satuan.HUMAS, "Dewi Anggraini", "Brigpol"),
    DemoUser("satreskrim.blg", Role.PETUGAS, Satuan.SATRESKRIM, "Ronal Situmorang", "AKP", True),
    DemoUser("polsek.sijuk", Role.PETUGAS, "polsek:Sijuk", "Hasbullah", "Iptu", head=True),
]
# Above the Polres: "polda" / "mabes" (they see their Polres rolled up; restricted as counts).
ROLLUP_USERS = [
    DemoUser("kapolda", Role.PIMPINAN, "polda", "Dwi Haryanto", "Irjen Pol"),
    DemoUser("mabes", Role.AUDITOR, "mabes", "Wulan Kusuma", "Kombes"),
]

# (hours ago, channel, text, reporter name, phone) — a few days of what a Polres receives.
SAMPLE_ADUAN = [
    (
        70,
        "web",
        "Mohon info syarat perpanjangan SIM C di Polres Beltim, apakah bisa hari Sabtu?",
        "Rizal",
        "081271000001",
    ),
    (
        66,
        "telepon",
        "Motor saya hilang di parkiran pasar Manggar tadi siang, Honda Beat hitam BN 4521 XY",
        "Darmawan",
        "081271000002",
    ),
    (
        60,
        "web",
        "Terima kasih pak polisi sudah bantu warga waktu banjir di Dendang kemarin, mantap",
        "",
        "",
    ),
    (
        54,
        "sms",
        "Ada tambang timah ilegal di dekat sungai desa Mempaya, airnya jadi keruh",
        "",
        "081271000003",
    ),
    (
        48,
        "web",
        "Balap liar tiap malam minggu di jalan raya Kelapa Kampit, sangat mengganggu dan bahaya",
        "Wati",
        "081271000004",
    ),
    (
        44,
        "datang_langsung",
        "Pelapor datang ke SPKT melaporkan penipuan jual beli online, kerugian Rp 3.500.000",
        "Suhardi",
        "081271000005",
    ),
    (
        40,
        "web",
        "Saya dimintai uang oleh oknum anggota saat razia di simpang Lintang tanpa surat tilang",
        "",
        "",
    ),
    (
        36,
        "bhabinkamtibmas",
        "Warga desa Baru melaporkan ada orang asing mencurigakan mondar-mandir malam hari",
        "Pak RT 03",
        "081271000006",
    ),
    (
        30,
        "web",
        "Tolong cek berita viral katanya ada penculikan anak di Gantung, benar tidak pak?",
        "Nur",
        "081271000007",
    ),
    (
        26,
        "telepon",
        "Kecelakaan motor dengan truk di jalan Manggar - Gantung dekat desa Lalang, korban luka",
        "Yanto",
        "081271000008",
    ),
    (
        24,
        "web",
        "Kenapa laporan saya soal pencurian kambing bulan lalu belum ada perkembangan?",
        "Hasan",
        "081271000009",
    ),
    (
        20,
        "web",
        "Ada yang jual sabu di rumah kos dekat pelabuhan Manggar, sering ramai tengah malam",
        "",
        "",
    ),
    (
        16,
        "web",
        "Tetangga saya sering memukul istrinya, kemarin terdengar teriakan minta tolong",
        "",
        "",
    ),
    (
        12,
        "sms",
        "Anak saya belum pulang sejak kemarin sore, umur 14 tahun, "
        "terakhir terlihat di Simpang Pesak",
        "Lina",
        "081271000010",
    ),
    (8, "web", "Judi sabung ayam tiap sore di kebun belakang desa Renggiang", "", ""),
    (
        6,
        "web",
        "Lampu lalu lintas di simpang empat Manggar mati sejak pagi, rawan tabrakan",
        "Fikri",
        "081271000011",
    ),
    (
        4,
        "telepon",
        "Pohon tumbang menutup jalan di desa Buding, kendaraan tidak bisa lewat",
        "Rahmat",
        "081271000012",
    ),
    (3, "web", "Polisi kerjanya cuma tilang doang, dasar tidak becus semua!!!", "", ""),
    (
        2,
        "web",
        "Keributan pemuda mabuk di depan warung desa Batu Penyu, sudah larut malam",
        "Sari",
        "081271000013",
    ),
    (
        1,
        "web",
        "Kebakaran rumah di desa Kurnia Jaya, api masih besar, tolong segera!",
        "Dodi",
        "081271000014",
    ),
]


# Polres Belitung's sample: fewer aduan, other places.
SECOND_SAMPLE_ADUAN = [
    (
        72,
        "web",
        "Mohon info jam pelayanan SKCK di Polres Belitung, Tanjungpandan",
        "Yusuf",
        "081272000001",
    ),
    (
        64,
        "telepon",
        "Rumah saya di Parit dibobol maling tadi malam, TV dan laptop hilang",
        "Ardi",
        "081272000002",
    ),
    (
        58,
        "web",
        "Terima kasih polisi sudah mengatur lalu lintas saat festival di Tanjung Binga",
        "",
        "",
    ),
    (
        50,
        "sms",
        "Ada penambangan pasir ilegal di pantai Membalong, merusak lingkungan",
        "",
        "081272000003",
    ),
    (42, "web", "Saya diminta uang damai oleh oknum polisi di jalan Sijuk tanpa tilang", "", ""),
    (30, "web", "Balap liar setiap malam di jalan Air Saga, warga resah", "Rina", "081272000004"),
    (
        18,
        "telepon",
        "Kecelakaan mobil dan motor di simpang Badau, ada korban luka",
        "Joni",
        "081272000005",
    ),
    (9, "web", "Ada yang jual miras oplosan di warung dekat pelabuhan Tanjungpandan", "", ""),
    (5, "web", "Tetangga di Lesung Batang bertengkar dan memukul anaknya, tolong dicek", "", ""),
    (
        2,
        "web",
        "Pencurian sepeda motor di parkiran pasar Tanjungpandan siang tadi",
        "Eka",
        "081272000006",
    ),
]


def demo_password() -> tuple[str, bool]:
    """POSKO_DEMO_PASSWORD, else a random password kept in the data directory.

    Returns (password, generated)."""
    if password := os.environ.get("POSKO_DEMO_PASSWORD"):
        return password, False
    path = settings.DATA_DIR / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip(), True


def seed_demo(password: str, *, with_sample_aduan: bool = True) -> Unit:
    polres = do_onboard_polres(KABUPATEN, PREFIX, POLRES_NAME, POLDA_NAME)
    second = do_onboard_polres(SECOND_KABUPATEN, SECOND_PREFIX, SECOND_NAME, POLDA_NAME)
    _ensure_officers(polres, DEMO_USERS)
    _ensure_officers(second, SECOND_USERS)
    _ensure_officers(polres, ROLLUP_USERS)
    _seed_bhabinkamtibmas(polres)
    _set_demo_password(password)
    _seed_landmarks(polres)
    if with_sample_aduan:
        seeded = [
            _seed_sample_aduan(unit, sample, operator, kapolres)
            for unit, sample, operator, kapolres in (
                (polres, SAMPLE_ADUAN, "operator", "kapolres"),
                (second, SECOND_SAMPLE_ADUAN, "operator.blg", "kapolres.blg"),
            )
        ]
        if any(seeded):
            from posko.metrics.actions.refresh import do_rebuild_metrics

            do_rebuild_metrics()  # the dashboards show the sample at once; tasks keep them current
    configure_demo_accounts(polres)  # channel accounts from POSKO_* env vars, when set
    from posko.publishing.demo_content import seed_publishing_demo

    seed_publishing_demo(polres, with_posts=with_sample_aduan)  # subscribers; sample posts
    from posko.publishing.community_demo import seed_community_demo

    seed_community_demo(polres)  # programmes, events, stakeholders, rosters, sambang
    return polres


def _ensure_officers(polres: Unit, users: list[DemoUser]) -> None:
    for demo in users:
        ensure_officer(
            demo.username,
            role=demo.role,
            unit=_unit_for(polres, demo.unit),
            full_name=demo.full_name,
            rank=demo.rank,
            is_unit_head=demo.head,
        )


def _unit_for(polres: Unit, spec: str) -> Unit:
    if spec == "polres":
        return polres
    if spec == "polda":
        assert polres.parent is not None
        return polres.parent
    if spec == "mabes":
        assert polres.parent is not None and polres.parent.parent is not None
        return polres.parent.parent
    if spec.startswith("polsek:"):
        return Unit.objects.get(parent=polres, kind=UnitKind.POLSEK, name=f"Polsek {spec[7:]}")
    unit = satuan_of(polres, spec)
    assert unit is not None, spec
    return unit


def _set_demo_password(password: str) -> None:
    """Give every demo account the demo password (hashed once: hashing is deliberately slow)."""
    User = get_user_model()
    usernames = [u.username for u in (*DEMO_USERS, *SECOND_USERS, *ROLLUP_USERS)]
    demo_users = User.objects.filter(Q(username__in=usernames) | Q(username__startswith="bhabin."))
    probes = demo_users.filter(username__in=["operator", "kapolda"])
    if len(probes) == 2 and all(p.check_password(password) for p in probes):
        return
    demo_users.update(password=make_password(password))


# Well-known places of Belitung Timur (name, desa code, aliases).
DEMO_LANDMARKS = [
    ("Museum Kata Andrea Hirata", "19.06.02.2009", "museum kata, museum andrea hirata"),
    ("Vihara Dewi Kwan Im", "19.06.05.2003", "vihara kwan im, klenteng burung mandi"),
    ("Pantai Burung Mandi", "19.06.05.2003", "pantai burong mandi"),
]


def _seed_landmarks(polres: Unit) -> None:
    for name, desa_code, aliases in DEMO_LANDMARKS:
        Landmark.objects.get_or_create(
            polres=polres,
            name=name,
            defaults={"desa": Region.objects.get(code=desa_code), "aliases": aliases},
        )


def _seed_bhabinkamtibmas(polres: Unit) -> None:
    all_desa = Region.objects.filter(
        level=RegionLevel.DESA, parent__parent=polres.region
    ).select_related("parent")
    for index, desa in enumerate(all_desa):
        assert desa.parent is not None
        polsek = Unit.objects.get(parent=polres, kind=UnitKind.POLSEK, kecamatan=desa.parent)
        ensure_officer(
            f"bhabin.{slugify(desa.name).replace('-', '')}",
            role=Role.BHABINKAMTIBMAS,
            unit=polsek,
            full_name=BHABIN_NAMES[index % len(BHABIN_NAMES)],
            rank="Bripka",
            phone=f"08127{index:07d}",
            desa=[desa],
        )


def _seed_sample_aduan(
    polres: Unit,
    sample: list[tuple[int, str, str, str, str]],
    operator_name: str,
    kapolres_name: str,
) -> bool:
    """The Polres's sample aduan, unless it has aduan already; True when seeded."""
    if Aduan.objects.filter(polres=polres).exists():
        return False
    now = timezone.now()
    operator = Officer.objects.get(user__username=operator_name).user
    # Restricted complaints are worked by the Kapolres here (the operator cannot see them).
    kapolres = Officer.objects.get(user__username=kapolres_name).user
    for hours, channel, text, name, phone in sample:
        aduan = do_submit_aduan(
            polres,
            text=text,
            channel=channel,
            reporter=Reporter(name=name, phone=phone, anonymous=not (name or phone)),
            received_at=now - timedelta(hours=hours),
            acting_user=operator if channel != "web" else None,
        )
        # Older aduan have been worked on; recent ones are still waiting.
        worker = kapolres if aduan.is_restricted else operator
        if hours >= 40:
            do_add_message(
                aduan,
                "Terima kasih atas laporannya. Aduan Anda sudah kami terima dan diteruskan "
                "ke satuan terkait.",
                public=True,
                acting_user=worker,
            )
            do_change_status(aduan, "diverifikasi", acting_user=worker)
        if hours >= 60:
            do_change_status(aduan, "ditangani", acting_user=worker)
            do_change_status(aduan, "selesai", acting_user=worker)
    return True
