"""Anonymous tips (``/info/``): information from the public in answer to an appeal or on its
own, anonymous by design.

* Nothing about the sender is stored: no IP address, device, user agent, session or cookie —
  only the text, the desa they chose and the day (not the time). The rate limit counts a keyed
  hash of the address in the cache for the window only (``core.ratelimit.hit_anonymous``);
  the web server's access log leaves the address out (``posko serve``).
* A tip code (``INFO-XXXXXXXX``) lets the sender read the unit's answer later.
* The tip goes to the unit handling the appeal's case (the appeal's ``reference`` is the
  aduan's tracking code) — else to the Polres — as restricted material: only that unit's
  officers and the Polres's restricted readers see it, and each reading is audited."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from posko.aduan.audit import record_polres_audit
from posko.aduan.codes import ALPHABET, normalize_code
from posko.aduan.models import Aduan
from posko.core.types import AnyUser
from posko.org.lookup import is_desa_of_polres
from posko.org.models import Role, Unit
from posko.org.permissions import RESTRICTED_READERS, NotPermitted, officer_of
from posko.publishing.actions.common import PostError
from posko.publishing.models import Post, PostKind, Tip
from posko.regions.models import Region

TIP_PREFIX = "INFO"
TIP_CODE_LENGTH = 8
MAX_TIP = 4000
# Officers of the tip's unit who may read it (not the read-only auditor of another unit).
UNIT_READERS = frozenset(
    {Role.ADMIN, Role.OPERATOR, Role.PIMPINAN, Role.PETUGAS, Role.PROPAM, Role.BHABINKAMTIBMAS}
)


def new_tip_code() -> str:
    return f"{TIP_PREFIX}-" + "".join(secrets.choice(ALPHABET) for _ in range(TIP_CODE_LENGTH))


def unit_for_appeal(polres: Unit, appeal: Post | None) -> Unit:
    """The unit handling the appeal's case (reference = the aduan's code), else the Polres."""
    if appeal is None:
        return polres
    reference = normalize_code(str(appeal.fields.get("reference") or ""))
    aduan = (
        Aduan.objects.filter(polres=polres, code=reference).select_related("handling_unit").first()
        if reference
        else None
    )
    if aduan is not None and aduan.handling_unit is not None:
        return aduan.handling_unit
    return polres


def do_submit_tip(
    polres: Unit, *, text: str, appeal: Post | None = None, desa: Region | None = None
) -> Tip:
    """From the public: no actor, nothing about the sender."""
    text = text.strip()
    errors = []
    if len(text) < 10 or len(text) > MAX_TIP:
        errors.append(_("Tuliskan informasi Anda (10 sampai 4.000 karakter)."))
    if appeal is not None and (appeal.polres_id != polres.pk or appeal.kind != PostKind.APPEAL):
        errors.append(_("Imbauan tidak dikenal."))
    if desa is not None and not is_desa_of_polres(polres, desa):
        errors.append(_("Desa tidak dikenal di wilayah Polres ini."))
    if errors:
        raise PostError(errors)
    unit = unit_for_appeal(polres, appeal)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                tip = Tip.objects.create(
                    polres=polres,
                    unit=unit,
                    appeal=appeal,
                    desa=desa,
                    text=text,
                    code=new_tip_code(),
                )
                record_polres_audit(
                    polres, "community_tip_received", actor=None, target=f"tip:{tip.pk}"
                )
                return tip
        except IntegrityError:  # the code already exists (about 1 in 10^11): draw again
            continue
    raise PostError(_("Informasi belum tersimpan. Silakan kirim ulang."))


def tip_by_code(polres: Unit, raw: str) -> Tip | None:
    """The sender's follow-up: their tip (to show the unit's answer), by its code."""
    code = normalize_code(raw)
    if not code.startswith(f"{TIP_PREFIX}-"):
        return None
    return Tip.objects.filter(polres=polres, code=code).first()


def visible_tips(user: AnyUser) -> QuerySet[Tip]:
    officer = officer_of(user)
    if officer is None:
        return Tip.objects.none()
    polres = officer.unit.polres
    scope = Q(unit=officer.unit) if officer.role in UNIT_READERS else Q(pk__in=[])
    if officer.role in RESTRICTED_READERS and polres is not None:
        scope |= Q(polres=polres)
    return Tip.objects.filter(scope).select_related("desa", "appeal", "unit")


def read_tip(user: User, tip_id: int) -> Tip:
    """An officer opens a tip: restricted material, every reading audited."""
    tip = visible_tips(user).filter(pk=tip_id).first()
    if tip is None:
        raise NotPermitted(_("Anda tidak berwenang membaca informasi ini."))
    record_polres_audit(tip.polres, "community_tip_read", actor=user, target=f"tip:{tip.pk}")
    return tip


def do_reply_tip(tip: Tip, reply: str, *, acting_user: User) -> Tip:
    """The unit's answer, shown to whoever holds the code (nothing personal in it)."""
    if not visible_tips(acting_user).filter(pk=tip.pk).exists():
        raise NotPermitted(_("Anda tidak berwenang menanggapi informasi ini."))
    officer = officer_of(acting_user)
    if officer is None or officer.role == Role.AUDITOR:
        raise NotPermitted(_("Anda tidak berwenang menanggapi informasi ini."))
    reply = reply.strip()
    if not reply or len(reply) > 1000:
        raise PostError(_("Isi tanggapan (paling banyak 1.000 karakter)."))
    with transaction.atomic():
        Tip.objects.filter(pk=tip.pk).update(reply=reply)
        record_polres_audit(
            tip.polres, "community_tip_replied", actor=acting_user, target=f"tip:{tip.pk}"
        )
    tip.reply = reply
    return tip
