"""A POST service request becomes an ordinary aduan (channel ``open311``) through aduan's
intake action: triaged, routed and SLA-clocked like any other."""

from __future__ import annotations

import secrets

from posko.aduan.actions import do_submit_aduan
from posko.aduan.actions.intake import Reporter
from posko.aduan.models import Aduan, Channel
from posko.open311.models import Open311Key, Open311Request
from posko.open311.validation import RequestInput
from posko.org.models import Unit
from posko.regions.models import Region, RegionLevel


def _text(parsed: RequestInput) -> str:
    lines = [parsed.description or parsed.service.service_name]
    if parsed.address:
        lines.append(f"Lokasi: {parsed.address}")
    when = parsed.attributes.get("waktu_kejadian")
    if when:
        lines.append(f"Waktu kejadian: {when}")
    return "\n".join(lines)


def _desa(polres: Unit, parsed: RequestInput) -> Region | None:
    code = parsed.attributes.get("desa")
    if not code or polres.region is None or not str(code).startswith(polres.region.code + "."):
        return None
    return Region.objects.filter(code=code, level=RegionLevel.DESA).first()


def do_submit_open311_request(
    polres: Unit, parsed: RequestInput, *, key: Open311Key
) -> tuple[Aduan, Open311Request]:
    """File the request as an aduan and remember its service, token and client key (in the
    intake transaction: never an aduan without its link)."""
    name = " ".join(p for p in (parsed.first_name, parsed.last_name) if p)
    anonymous = not (name or parsed.phone or parsed.email)
    reporter = Reporter(name=name, phone=parsed.phone, email=parsed.email, anonymous=anonymous)
    created: list[Open311Request] = []

    def link(aduan: Aduan) -> None:
        created.append(
            Open311Request.objects.create(
                aduan=aduan,
                service_code=parsed.service.service_code,
                token=secrets.token_hex(16),
                key=key,
            )
        )

    aduan = do_submit_aduan(
        polres,
        text=_text(parsed),
        channel=Channel.OPEN311,
        reporter=reporter,
        desa=_desa(polres, parsed),
        category=parsed.service.category or None,
        latitude=parsed.latitude,
        longitude=parsed.longitude,
        on_created=link,
    )
    return aduan, created[0]
