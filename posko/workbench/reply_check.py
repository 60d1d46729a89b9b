"""Checks a public reply before it goes out: tone (Posko's own triage tone model, plus a short
list of defensive phrases) and the elements a professional reply has — a greeting, the
tracking code and the next step. Advisory: the officer sees what is missing while typing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from posko.aduan.models import Aduan
from posko.triage import TriageInput, get_triager

GREETING = re.compile(
    r"\b(yth|selamat (pagi|siang|sore|malam)|terima ?kasih|bapak|ibu|sdr|saudara|halo|"
    r"assalamu|salam)\b",
    re.IGNORECASE,
)
NEXT_STEP = re.compile(
    r"\b(akan|segera|sedang|menuju|tindak ?lanjut|kami (cek|periksa|proses|koordinasikan)|"
    r"silakan|hubungi|datang|diteruskan|dijadwalkan)\b",
    re.IGNORECASE,
)
DEFENSIVE = (
    "bukan urusan kami",
    "bukan tanggung jawab kami",
    "bukan wewenang kami",
    "salah sendiri",
    "jangan asal tuduh",
    "jangan menuduh",
    "itu fitnah",
    "tidak benar itu",
    "sudah prosedur",
    "anda yang salah",
)


@dataclass(frozen=True)
class ReplyFinding:
    kind: str  # "tone" (wording to change) or "missing" (element to add)
    message: str


def check_reply(text: str, aduan: Aduan) -> list[ReplyFinding]:
    text = text.strip()
    if not text:
        return []
    findings: list[ReplyFinding] = []
    region = aduan.polres.region_id or "19.06"
    tone = get_triager(str(region)).classify(TriageInput(id=aduan.code, text=text)).tone
    if tone == "provokatif":
        findings.append(
            ReplyFinding("tone", _("Nada balasan terbaca provokatif: tulis ulang dengan tenang."))
        )
    lowered = " ".join(text.lower().split())
    for phrase in DEFENSIVE:
        if phrase in lowered:
            findings.append(
                ReplyFinding(
                    "tone",
                    _(
                        "Terdengar defensif: \u201c%(phrase)s\u201d. "
                        "Akui keluhan, jelaskan langkahnya."
                    )
                    % {"phrase": phrase},
                )
            )
    if not GREETING.search(text):
        findings.append(
            ReplyFinding(
                "missing", _("Belum ada salam atau sapaan (mis. \u201cYth. Bapak/Ibu\u201d).")
            )
        )
    if aduan.code.replace("-", "") not in text.upper().replace("-", "").replace(" ", ""):
        findings.append(
            ReplyFinding("missing", _("Kode lacak %(code)s belum disebut.") % {"code": aduan.code})
        )
    if not NEXT_STEP.search(text):
        findings.append(
            ReplyFinding(
                "missing", _("Belum ada langkah berikutnya (apa yang akan dilakukan, kapan).")
            )
        )
    return findings
