"""State changes of the operator tools (one function each, permission-checked)."""

from __future__ import annotations

import string

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.access import officer_of
from posko.aduan.models import Aduan
from posko.org.models import Role, Unit
from posko.workbench.models import CannedReply

PLACEHOLDERS = frozenset({"kode", "nama_pelapor", "desa"})


class CannedReplyError(ValueError):
    pass


def may_edit_canned_replies(user: User) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role == Role.ADMIN


def _check_placeholders(text: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise CannedReplyError(_("Kurung kurawal tidak berpasangan.")) from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise CannedReplyError(
            _("Penanda tidak dikenal: %(names)s. Yang tersedia: {kode}, {nama_pelapor}, {desa}.")
            % {"names": ", ".join("{" + n + "}" for n in sorted(unknown))}
        )


def do_save_canned_reply(
    polres: Unit,
    *,
    title: str,
    text: str,
    category: str = "",
    reply: CannedReply | None = None,
    acting_user: User,
) -> CannedReply:
    """Create or update a canned reply of the Polres (admins only)."""
    if not may_edit_canned_replies(acting_user):
        raise CannedReplyError(_("Hanya admin yang dapat mengubah balasan siap pakai."))
    title, text = " ".join(title.split()), text.strip()
    if not title or len(text) < 10:
        raise CannedReplyError(_("Judul wajib diisi dan isi balasan minimal 10 karakter."))
    _check_placeholders(text)
    item = reply or CannedReply(polres=polres)
    if item.polres_id != polres.pk:
        raise CannedReplyError(_("Balasan ini milik Polres lain."))
    item.title, item.text, item.category = title, text, category
    item.updated_at, item.updated_by = timezone.now(), acting_user
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise CannedReplyError(_("Judul ini sudah dipakai untuk kategori yang sama.")) from exc
    return item


@transaction.atomic
def do_delete_canned_reply(reply: CannedReply, *, acting_user: User) -> None:
    if not may_edit_canned_replies(acting_user):
        raise CannedReplyError(_("Hanya admin yang dapat mengubah balasan siap pakai."))
    reply.delete()


def render_canned_reply(reply: CannedReply, aduan: Aduan) -> str:
    """The reply's text with the aduan's placeholders filled (never the phone number)."""
    # A confidential reporter's name never lands in text other officers read.
    name = "" if aduan.anonymous or aduan.confidential else aduan.reporter_name
    values = {
        "kode": aduan.code,
        "nama_pelapor": name or _("Bapak/Ibu"),
        "desa": aduan.desa.name if aduan.desa else _("lokasi kejadian"),
    }
    try:
        return reply.text.format(**values)
    except (KeyError, ValueError, IndexError):
        return reply.text


def canned_replies_for(aduan: Aduan) -> list[tuple[CannedReply, str]]:
    items = CannedReply.objects.filter(polres=aduan.polres_id, category__in=["", aduan.category])
    return [(item, render_canned_reply(item, aduan)) for item in items]
