"""Stable codes of the triage taxonomy (``shared/spec/taxonomy.md``) and of the aduan life cycle."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    KECELAKAAN = "kecelakaan", _("Kecelakaan lalu lintas")
    LALU_LINTAS = "lalu_lintas", _("Lalu lintas")
    PENCURIAN = "pencurian", _("Pencurian")
    KEKERASAN = "kekerasan", _("Kekerasan")
    NARKOBA = "narkoba", _("Narkoba")
    PENIPUAN = "penipuan", _("Penipuan")
    PERJUDIAN = "perjudian", _("Perjudian")
    KETERTIBAN = "ketertiban", _("Gangguan ketertiban")
    LINGKUNGAN = "lingkungan", _("Lingkungan & tambang ilegal")
    ASUSILA_KDRT = "asusila_kdrt", _("KDRT, asusila & perlindungan anak")
    ORANG_HILANG = "orang_hilang", _("Orang hilang")
    DARURAT_BENCANA = "darurat_bencana", _("Darurat & bencana")
    PELAYANAN = "pelayanan", _("Layanan kepolisian")
    PELANGGARAN_ANGGOTA = "pelanggaran_anggota", _("Dugaan pelanggaran anggota")
    HOAKS = "hoaks", _("Hoaks & konten provokatif")
    INFORMASI = "informasi", _("Informasi & saran")
    APRESIASI = "apresiasi", _("Apresiasi")
    LAINNYA = "lainnya", _("Lainnya")


RESTRICTED_CATEGORIES = frozenset({Category.PELANGGARAN_ANGGOTA, Category.ASUSILA_KDRT})


class Priority(models.TextChoices):
    DARURAT = "darurat", _("Darurat")
    TINGGI = "tinggi", _("Tinggi")
    SEDANG = "sedang", _("Sedang")
    RENDAH = "rendah", _("Rendah")


PRIORITY_RANK: dict[str, int] = {
    Priority.DARURAT: 0,
    Priority.TINGGI: 1,
    Priority.SEDANG: 2,
    Priority.RENDAH: 3,
}


class Tone(models.TextChoices):
    APRESIASI = "apresiasi", _("Apresiasi")
    NETRAL = "netral", _("Netral")
    KRITIK = "kritik", _("Kritik")
    PROVOKATIF = "provokatif", _("Provokatif")


class Status(models.TextChoices):
    BARU = "baru", _("Baru")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
    DITANGANI = "ditangani", _("Ditangani")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak")
    DIALIHKAN = "dialihkan", _("Dialihkan")


OPEN_STATUSES = frozenset({Status.BARU, Status.DIVERIFIKASI, Status.DITANGANI})
CLOSED_STATUSES = frozenset({Status.SELESAI, Status.DITOLAK, Status.DIALIHKAN})
# Status changes that must carry a reason for the reporter.
REASON_REQUIRED = frozenset({Status.DITOLAK, Status.DIALIHKAN})

# The status machine: from → allowed targets. Closing states can be reopened to
# ``ditangani`` (with a reason), e.g. when the reporter says the problem is back.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.BARU: frozenset(
        {Status.DIVERIFIKASI, Status.DITANGANI, Status.DITOLAK, Status.DIALIHKAN}
    ),
    Status.DIVERIFIKASI: frozenset(
        {Status.DITANGANI, Status.SELESAI, Status.DITOLAK, Status.DIALIHKAN}
    ),
    Status.DITANGANI: frozenset({Status.SELESAI, Status.DITOLAK, Status.DIALIHKAN}),
    Status.SELESAI: frozenset({Status.DITANGANI}),
    Status.DITOLAK: frozenset({Status.DITANGANI}),
    Status.DIALIHKAN: frozenset({Status.DITANGANI}),
}


class Channel(models.TextChoices):
    WEB = "web", _("Formulir web")
    WHATSAPP = "whatsapp", _("WhatsApp")
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK = "facebook", _("Facebook")
    X = "x", _("X")
    TELEGRAM = "telegram", _("Telegram")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    TELEPON = "telepon", _("Telepon")
    DATANG_LANGSUNG = "datang_langsung", _("Datang langsung")
    BHABINKAMTIBMAS = "bhabinkamtibmas", _("Melalui Bhabinkamtibmas")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")


# Channels a staff member may record at the intake form (received outside Posko).
STAFF_INTAKE_CHANNELS = (
    Channel.TELEPON,
    Channel.SMS,
    Channel.DATANG_LANGSUNG,
    Channel.BHABINKAMTIBMAS,
    Channel.WHATSAPP,
    Channel.EMAIL,
)
