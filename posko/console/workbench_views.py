"""Console pages of the operator tools: canned replies (admins edit, everyone uses)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from posko.aduan.models import Category
from posko.console.editable_lists import EditableList, edit_list_page
from posko.console.views import forbidden, officer_required, polres_of_request
from posko.core.types import staff_user
from posko.workbench.actions import (
    CannedReplyError,
    do_delete_canned_reply,
    do_save_canned_reply,
    may_edit_canned_replies,
)
from posko.workbench.models import CannedReply


class CannedReplyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=80)
    category = forms.ChoiceField(
        label=gettext_lazy("Kategori"),
        required=False,
        choices=[("", gettext_lazy("— Semua kategori —")), *Category.choices],
    )
    text = forms.CharField(
        label=gettext_lazy("Isi balasan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Penanda: {kode}, {nama_pelapor}, {desa}."),
    )


CANNED_REPLIES_PAGE = EditableList(
    template="workbench/canned_replies.html",
    list_url="console:canned_replies",
    denied=gettext_lazy("Hanya admin yang dapat mengubah balasan siap pakai."),
    saved=gettext_lazy("Balasan siap pakai disimpan."),
    error=CannedReplyError,
)


@officer_required
def canned_replies(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    polres = polres_of_request(request)
    item = get_object_or_404(CannedReply, pk=pk, polres=polres) if pk else None
    initial = {"title": item.title, "category": item.category, "text": item.text} if item else {}
    return edit_list_page(
        request,
        CANNED_REPLIES_PAGE,
        form=CannedReplyForm(request.POST or None, initial=initial),
        save=lambda data: do_save_canned_reply(
            polres, reply=item, acting_user=staff_user(request), **data
        ),
        may_edit=may_edit_canned_replies(staff_user(request)),
        items=CannedReply.objects.filter(polres=polres),
        editing=item,
    )


@officer_required
@require_POST
def canned_reply_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(CannedReply, pk=pk, polres=polres_of_request(request))
    try:
        do_delete_canned_reply(item, acting_user=staff_user(request))
    except CannedReplyError as exc:
        return forbidden(request, exc)
    messages.success(request, _("Balasan siap pakai dihapus."))
    return redirect("console:canned_replies")
