"""Macros (reply + status + assign at once) and saved inbox views: their actions and the
reads scoped to the asking officer."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posko.aduan.actions import do_add_message, do_assign_aduan, do_change_status
from posko.aduan.actions.common import composed_actions
from posko.aduan.audit import record_audit, record_polres_audit, register_audit_kinds
from posko.aduan.models import Aduan
from posko.core.types import AnyUser
from posko.org.models import Unit
from posko.org.permissions import (
    WORKBENCH_ADMIN_ROLES,
    NotPermitted,
    authorize_in_polres,
    has_role,
    officer_of,
)
from posko.workbench.actions import render_canned_reply
from posko.workbench.models import CannedReply, Macro, SavedView

AUDIT_KINDS = {
    "macro_applied": gettext_lazy("Makro diterapkan"),
    "macro_saved": gettext_lazy("Makro disimpan"),
    "macro_deleted": gettext_lazy("Makro dihapus"),
    "saved_view_saved": gettext_lazy("Tampilan kotak masuk disimpan"),
    "saved_view_deleted": gettext_lazy("Tampilan kotak masuk dihapus"),
}
# The inbox filter names a saved view may hold (InboxFilterForm's fields).
VIEW_KEYS = ("status", "category", "unit", "polsek", "desa", "channel", "overdue", "q")


def register() -> None:
    register_audit_kinds(AUDIT_KINDS)


class MacroError(ValueError):
    pass


def may_edit_macros(user: AnyUser) -> bool:
    return has_role(user, WORKBENCH_ADMIN_ROLES)


def do_save_macro(
    polres: Unit,
    *,
    title: str,
    reply: CannedReply | None,
    status: str,
    unit: Unit | None,
    macro: Macro | None = None,
    acting_user: User,
) -> Macro:
    authorize_in_polres(
        acting_user, WORKBENCH_ADMIN_ROLES, polres, _("Hanya admin yang dapat mengubah makro.")
    )
    title = " ".join(title.split())
    if not title:
        raise MacroError(_("Judul makro wajib diisi."))
    if reply is None and not status and unit is None:
        raise MacroError(_("Makro harus berisi minimal satu langkah."))
    if (reply is not None and reply.polres_id != polres.pk) or (
        unit is not None and unit.polres != polres
    ):
        raise MacroError(_("Balasan atau satuan ini milik Polres lain."))
    item = macro or Macro(polres=polres)
    if item.polres_id != polres.pk:
        raise MacroError(_("Makro ini milik Polres lain."))
    item.title, item.reply, item.status, item.unit = title, reply, status, unit
    item.updated_at, item.updated_by = timezone.now(), acting_user
    try:
        with transaction.atomic(durable=True):
            item.save()
            record_polres_audit(
                polres, "macro_saved", actor=acting_user, target=f"macro:{item.pk}", title=title
            )
    except IntegrityError as exc:
        raise MacroError(_("Judul makro ini sudah dipakai.")) from exc
    return item


@transaction.atomic(durable=True)
def do_delete_macro(macro: Macro, *, acting_user: User) -> None:
    authorize_in_polres(
        acting_user,
        WORKBENCH_ADMIN_ROLES,
        macro.polres,
        _("Hanya admin yang dapat mengubah makro."),
    )
    record_polres_audit(
        macro.polres,
        "macro_deleted",
        actor=acting_user,
        target=f"macro:{macro.pk}",
        title=macro.title,
    )
    macro.delete()


def do_apply_macro(macro: Macro, aduan: Aduan, *, acting_user: User) -> Aduan:
    """The macro's steps on one aduan — reply, then status, then assignment — each through
    its aduan action, in one transaction: a refused step leaves nothing changed."""
    if macro.polres_id != aduan.polres_id:
        raise MacroError(_("Makro ini milik Polres lain."))
    steps: list[str] = []
    with composed_actions():
        if macro.reply is not None:
            text = render_canned_reply(macro.reply, aduan)
            do_add_message(aduan, text, public=True, acting_user=acting_user)
            steps.append("reply")
        if macro.status and macro.status != aduan.status:
            aduan.refresh_from_db()
            do_change_status(aduan, macro.status, acting_user=acting_user)
            steps.append("status")
        if macro.unit is not None:
            aduan.refresh_from_db()
            do_assign_aduan(aduan, macro.unit, acting_user=acting_user)
            steps.append("assign")
        record_audit(
            aduan,
            "macro_applied",
            actor=acting_user,
            macro=macro.pk,
            title=macro.title,
            steps=steps,
        )
    aduan.refresh_from_db()
    return aduan


def macros_for(aduan: Aduan) -> QuerySet[Macro]:
    return Macro.objects.filter(polres=aduan.polres_id).select_related("reply", "unit")


# Saved views


def clean_view_query(query: str) -> str:
    """Only the inbox's own filter names, non-empty, in a fixed order."""
    data = QueryDict(query[:2000])
    kept = QueryDict(mutable=True)
    for key in VIEW_KEYS:
        value = data.get(key, "").strip()[:200]
        if value:
            kept[key] = value
    return kept.urlencode()


def do_save_view(name: str, query: str, *, shared: bool, acting_user: User) -> SavedView:
    """Save the current inbox filters under a name (an officer's own; admins may share it
    with the whole Polres). Saving an existing name replaces its filters."""
    officer = officer_of(acting_user)
    if officer is None or officer.unit.polres is None:
        raise NotPermitted()
    polres = officer.unit.polres
    if shared:
        authorize_in_polres(
            acting_user,
            WORKBENCH_ADMIN_ROLES,
            polres,
            _("Hanya admin yang dapat membagikan tampilan ke seluruh Polres."),
        )
    name = " ".join(name.split())[:60]
    if not name:
        raise MacroError(_("Nama tampilan wajib diisi."))
    with transaction.atomic(durable=True):
        view, _created = SavedView.objects.update_or_create(
            owner=officer,
            name=name,
            defaults={"polres": polres, "query": clean_view_query(query), "shared": shared},
        )
        record_polres_audit(
            polres,
            "saved_view_saved",
            actor=acting_user,
            target=f"saved_view:{view.pk}",
            name=name,
            query=view.query,
            shared=shared,
        )
    return view


@transaction.atomic(durable=True)
def do_delete_view(view: SavedView, *, acting_user: User) -> None:
    officer = officer_of(acting_user)
    if officer is None or (
        view.owner_id != officer.pk
        and not (view.shared and has_role(acting_user, WORKBENCH_ADMIN_ROLES))
    ):
        raise NotPermitted(_("Tampilan ini bukan milik Anda."))
    record_polres_audit(
        view.polres,
        "saved_view_deleted",
        actor=acting_user,
        target=f"saved_view:{view.pk}",
        name=view.name,
    )
    view.delete()


def saved_views_for(user: AnyUser) -> QuerySet[SavedView]:
    """The officer's own views and the ones shared with their Polres."""
    officer = officer_of(user)
    if officer is None or officer.unit.polres is None:
        return SavedView.objects.none()
    return SavedView.objects.filter(
        Q(owner=officer) | Q(shared=True, polres=officer.unit.polres)
    ).order_by("-shared", "name", "pk")
