"""Console pages of the operator tools: bulk changes from the inbox, saved views, macros,
replies awaiting a pimpinan's approval, an officer's leave. Thin: a form, one action."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from posko.aduan.access import AduanNotFound, access_aduan_by_code, visible_aduan
from posko.aduan.actions.approvals import (
    ReplyApprovalError,
    do_approve_reply_draft,
    do_request_reply_changes,
    do_send_approved_reply,
    drafts_awaiting_approval,
)
from posko.aduan.actions.bulk import (
    BULK_MAX,
    BulkError,
    do_bulk_assign,
    do_bulk_change_status,
    do_bulk_join_incident,
)
from posko.aduan.models import ReplyDraft, Status
from posko.console.editable_lists import EditableList, edit_list_page
from posko.console.forms import picker_units, preload_choices
from posko.console.views import (
    forbidden,
    inbox_response,
    officer_required,
    polres_of_request,
)
from posko.core.types import staff_user
from posko.core.widgets import FastSelect, ListedModelChoiceField
from posko.org.actions.assignment import do_set_leave
from posko.org.models import Officer, Unit
from posko.org.permissions import REPLY_APPROVER_ROLES, NotPermitted, has_role
from posko.workbench.macros import (
    MacroError,
    do_apply_macro,
    do_delete_macro,
    do_delete_view,
    do_save_macro,
    do_save_view,
    may_edit_macros,
)
from posko.workbench.models import CannedReply, Macro, SavedView

BULK_ACTIONS = (
    ("assign", gettext_lazy("Tugaskan ke satuan")),
    ("status", gettext_lazy("Ubah status")),
    ("join", gettext_lazy("Gabung ke satu insiden")),
)


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Tindakan"), choices=BULK_ACTIONS, widget=FastSelect
    )
    unit = ListedModelChoiceField(
        label=gettext_lazy("Satuan"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— pilih satuan —"),
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("— pilih status —")), *Status.choices],
        widget=FastSelect,
    )
    reason = forms.CharField(label=gettext_lazy("Alasan"), required=False, max_length=2000)
    codes = forms.MultipleChoiceField(required=False)
    # The header checkbox: without JavaScript it stands for every row of the page shown.
    all_on_page = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=2000)

    def __init__(
        self, *args: Any, polres: Unit, units: list[Unit] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = picker_units(polres)
        if units is not None:  # already read (the inbox's pickers list the same)
            preload_choices(unit, units)
        self.fields["codes"].choices = [  # type: ignore[attr-defined]
            (c, c) for c in self._offered()[: BULK_MAX + 1]
        ]

    def _offered(self) -> list[str]:
        if not isinstance(self.data, QueryDict):
            return []
        offered = self.data.getlist("codes")
        if self.data.get("all_on_page"):
            offered = [*offered, *self.data.getlist("page_codes")]
        return offered

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("all_on_page"):
            data["codes"] = self._offered()
        if data.get("action") == "assign" and not data.get("unit"):
            self.add_error("unit", _("Pilih satuan tujuan."))
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Pilih status baru."))
        return data


def bulk_form(polres: Unit, units: list[Unit] | None = None) -> BulkForm:
    return BulkForm(polres=polres, units=units, auto_id="bulk_%s")


def _selected(request: HttpRequest, codes: list[str]) -> list[Any]:
    """The chosen aduan the officer can see, in the order chosen; unseen codes refuse."""
    found = {a.code: a for a in visible_aduan(request.user).filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise NotPermitted(
            _("Aduan %(code)s tidak dapat Anda ubah. Tidak ada aduan yang diubah.")
            % {"code": missing[0]}
        )
    return [found[c] for c in codes]


def _run_bulk(request: HttpRequest, data: dict[str, Any]) -> str:
    user = staff_user(request)
    aduans = _selected(request, list(dict.fromkeys(data["codes"])))
    if data["action"] == "assign":
        n = do_bulk_assign(aduans, data["unit"], acting_user=user)
    elif data["action"] == "status":
        n = do_bulk_change_status(aduans, data["status"], reason=data["reason"], acting_user=user)
    else:
        n = do_bulk_join_incident(aduans, acting_user=user)
    return _("%(n)d aduan diperbarui.") % {"n": n}


@officer_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponseBase:
    """Assign, change status or join an incident for the rows ticked in the inbox. Without
    JavaScript: a plain form (redirect back, or the inbox with the error); with htmx: the
    inbox's live part, swapped in place."""
    polres = polres_of_request(request)
    form = BulkForm(request.POST, polres=polres, auto_id="bulk_%s")
    query = QueryDict((request.POST.get("next") or "").lstrip("?")[:2000])
    status, result, error = 200, "", ""
    if not form.is_valid():
        status, error = 400, " ".join(str(e) for errs in form.errors.values() for e in errs)
    else:
        try:
            result = _run_bulk(request, form.cleaned_data)
        except NotPermitted as exc:
            status, error = 403, str(exc)
        except (BulkError, ValueError) as exc:
            status, error = 400, str(exc)
    if not error and not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, result)
        return redirect(reverse("console:inbox") + (f"?{query.urlencode()}" if query else ""))
    return inbox_response(
        request,
        query,
        extra={"bulk_result": result, "bulk_error": error},
        # htmx swaps only successful answers: the error is shown in the swapped part.
        status=200 if request.htmx else status,  # type: ignore[attr-defined]
    )


# Saved views


@officer_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponseBase:
    query = (request.POST.get("query") or "").lstrip("?")
    try:
        do_save_view(
            request.POST.get("name", ""),
            query,
            shared=bool(request.POST.get("shared")),
            acting_user=staff_user(request),
        )
        messages.success(request, _("Tampilan disimpan."))
    except NotPermitted as exc:
        return forbidden(request, exc)
    except MacroError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("console:inbox") + (f"?{query}" if query else ""))


@officer_required
@require_POST
def delete_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    view = get_object_or_404(SavedView, pk=pk, polres=polres_of_request(request))
    try:
        do_delete_view(view, acting_user=staff_user(request))
    except NotPermitted as exc:
        return forbidden(request, exc)
    messages.success(request, _("Tampilan dihapus."))
    return redirect("console:inbox")


# Macros


class MacroForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=80)
    reply = forms.ModelChoiceField(
        label=gettext_lazy("Balasan siap pakai"),
        required=False,
        queryset=CannedReply.objects.none(),
        empty_label=gettext_lazy("— tanpa balasan —"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status baru"),
        required=False,
        choices=[("", gettext_lazy("— status tetap —")), *Status.choices],
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Tugaskan ke satuan"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— penugasan tetap —"),
    )

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = CannedReply.objects.filter(polres=polres)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = picker_units(polres)  # type: ignore[attr-defined]


MACROS_PAGE = EditableList(
    template="workbench/macros.html",
    list_url="console:macros",
    denied=gettext_lazy("Hanya admin yang dapat mengubah makro."),
    saved=gettext_lazy("Makro disimpan."),
    error=MacroError,
)


@officer_required
def macros(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    polres = polres_of_request(request)
    item = get_object_or_404(Macro, pk=pk, polres=polres) if pk else None
    initial = (
        {"title": item.title, "reply": item.reply_id, "status": item.status, "unit": item.unit_id}
        if item
        else {}
    )
    return edit_list_page(
        request,
        MACROS_PAGE,
        form=MacroForm(request.POST or None, polres=polres, initial=initial),
        save=lambda data: do_save_macro(
            polres, macro=item, acting_user=staff_user(request), **data
        ),
        may_edit=may_edit_macros(request.user),
        items=Macro.objects.filter(polres=polres).select_related("reply", "unit"),
        editing=item,
    )


@officer_required
@require_POST
def macro_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = get_object_or_404(Macro, pk=pk, polres=polres_of_request(request))
    try:
        do_delete_macro(item, acting_user=staff_user(request))
    except NotPermitted as exc:
        return forbidden(request, exc)
    messages.success(request, _("Makro dihapus."))
    return redirect("console:macros")


def _aduan(request: HttpRequest, code: str) -> Any:
    try:
        return access_aduan_by_code(request.user, code, record_view=False)
    except AduanNotFound as exc:
        raise Http404(_("Aduan tidak ditemukan.")) from exc


@officer_required
@require_POST
def apply_macro(request: HttpRequest, code: str) -> HttpResponseBase:
    aduan = _aduan(request, code)
    macro = get_object_or_404(Macro, pk=request.POST.get("macro") or 0, polres=aduan.polres)
    try:
        do_apply_macro(macro, aduan, acting_user=staff_user(request))
        messages.success(
            request, _("Makro \u201c%(title)s\u201d diterapkan.") % {"title": macro.title}
        )
    except NotPermitted as exc:
        return forbidden(request, exc)
    except ValueError as exc:
        messages.error(
            request,
            _("Makro tidak diterapkan: %(reason)s") % {"reason": exc},
        )
    return redirect("console:aduan_detail", code=aduan.code)


# Replies awaiting approval


@officer_required
def approvals(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, REPLY_APPROVER_ROLES):
        return forbidden(request, _("Hanya pimpinan yang dapat menyetujui balasan."))
    return render(
        request, "console/approvals.html", {"drafts": drafts_awaiting_approval(request.user)}
    )


def _draft(request: HttpRequest, pk: int) -> ReplyDraft:
    draft = get_object_or_404(ReplyDraft.objects.select_related("aduan"), pk=pk)
    if not visible_aduan(request.user).filter(pk=draft.aduan_id).exists():
        raise Http404(_("Draf tidak ditemukan."))
    return draft


@officer_required
@require_POST
def review_draft(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Approve (and send at once) or send back with a reason."""
    draft, user = _draft(request, pk), staff_user(request)
    try:
        if request.POST.get("decision") == "approve":
            do_approve_reply_draft(draft, acting_user=user)
            messages.success(request, _("Balasan disetujui."))
            try:
                do_send_approved_reply(draft, acting_user=user)
                messages.success(request, _("Balasan terkirim ke pelapor."))
            except ValueError as exc:  # e.g. the platform's window is closed
                messages.error(
                    request, _("Disetujui, belum terkirim: %(reason)s") % {"reason": exc}
                )
        else:
            do_request_reply_changes(draft, reason=request.POST.get("reason", ""), acting_user=user)
            messages.success(request, _("Draf dikembalikan untuk diperbaiki."))
    except NotPermitted as exc:
        return forbidden(request, exc)
    except ReplyApprovalError as exc:
        messages.error(request, str(exc))
    return redirect("console:approvals")


@officer_required
@require_POST
def send_draft(request: HttpRequest, pk: int) -> HttpResponseBase:
    draft = _draft(request, pk)
    try:
        do_send_approved_reply(draft, acting_user=staff_user(request))
        messages.success(request, _("Balasan terkirim ke pelapor."))
    except NotPermitted as exc:
        return forbidden(request, exc)
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("console:aduan_detail", code=draft.aduan.code)


@officer_required
@require_POST
def leave(request: HttpRequest) -> HttpResponseBase:
    officer: Officer = request.officer  # type: ignore[attr-defined]
    on_leave = request.POST.get("on_leave") == "1"
    do_set_leave(officer, on_leave=on_leave, acting_user=staff_user(request))
    messages.success(
        request,
        _("Anda ditandai sedang cuti: tidak menerima penugasan otomatis.")
        if on_leave
        else _("Status cuti dihapus: Anda kembali menerima penugasan otomatis."),
    )
    return redirect("console:my_tasks")
