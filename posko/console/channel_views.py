"""Console pages of the channels: official accounts (admins), the comment moderation stream
(operators, pimpinan, admins) and resending a failed reply. Thin views: validate a form, call
one action, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from posko.aduan.access import can_change, can_manage_channels, can_moderate
from posko.aduan.audit import polres_history
from posko.channels.actions.accounts import (
    account_target,
    do_save_account,
    do_set_account_active,
)
from posko.channels.actions.moderation import (
    ModerationError,
    do_convert_to_aduan,
    do_dismiss,
    do_hide_comment,
    do_reply_to_comment,
)
from posko.channels.actions.notices import (
    ALLOWED_PLACEHOLDERS,
    NoticeTemplateError,
    do_save_notice_template,
)
from posko.channels.actions.outbound import do_retry_delivery
from posko.channels.forms import (
    AccountForm,
    ModerationFilterForm,
    ModerationReplyForm,
    NoticeTemplateForm,
    config_update,
)
from posko.channels.models import (
    DEFAULT_NOTICES,
    ChannelAccount,
    ModerationItem,
    ModerationState,
    NoticeEvent,
    NoticeTemplate,
    OutboundDelivery,
    Platform,
)
from posko.channels.selectors import channel_accounts, moderation_items
from posko.console.views import _get_aduan, forbidden, officer_required, polres_of_request
from posko.core.types import staff_user

ADMIN_ONLY = gettext_lazy("Hanya admin yang dapat mengelola akun resmi.")
MODERATORS_ONLY = gettext_lazy(
    "Hanya operator, pimpinan atau admin yang dapat memoderasi komentar."
)


# Official accounts ------------------------------------------------------------------------


@officer_required
def accounts(request: HttpRequest) -> HttpResponse:
    if not can_manage_channels(request.user):
        return forbidden(request, str(ADMIN_ONLY))
    rows = list(channel_accounts(request.user).order_by("platform", "name"))
    groups = [
        (label, [a for a in rows if a.platform == value])
        for value, label in Platform.choices
        if any(a.platform == value for a in rows)
    ]
    return render(
        request,
        "channels/accounts.html",
        {"groups": groups, "platforms": Platform.choices, "total": len(rows)},
    )


def _account_form_page(request: HttpRequest, account: ChannelAccount | None) -> HttpResponseBase:
    platform = request.GET.get("platform", "")
    form = AccountForm(request.POST or None, account=account, platform=platform)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = do_save_account(
                account.polres if account else polres_of_request(request),
                account.platform if account else d["platform"],
                external_id=account.external_id if account else d["external_id"],
                name=d["name"],
                api_base=d["api_base"],
                credentials=form.credentials(),
                config=config_update(form),
                is_active=d["is_active"],
                acting_user=staff_user(request),
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Akun %(name)s disimpan.") % {"name": saved.name})
            return redirect("console:channel_accounts")
    return render(
        request,
        "channels/account_form.html",
        {
            "form": form,
            "account": account,
            "history": polres_history(account.polres, account_target(account)) if account else [],
        },
        status=400 if form.errors else 200,
    )


@officer_required
def account_new(request: HttpRequest) -> HttpResponseBase:
    if not can_manage_channels(request.user):
        return forbidden(request, str(ADMIN_ONLY))
    return _account_form_page(request, None)


@officer_required
def account_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not can_manage_channels(request.user):
        return forbidden(request, str(ADMIN_ONLY))
    account = get_object_or_404(channel_accounts(request.user), pk=pk)
    return _account_form_page(request, account)


@officer_required
@require_POST
def account_toggle(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not can_manage_channels(request.user):
        return forbidden(request, str(ADMIN_ONLY))
    account = get_object_or_404(channel_accounts(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    do_set_account_active(account, active, acting_user=staff_user(request))
    done = _("Akun %(name)s diaktifkan.") if active else _("Akun %(name)s dinonaktifkan.")
    messages.success(request, done % {"name": account.name})
    return redirect("console:channel_accounts")


# Notice templates -------------------------------------------------------------------------


def _notice_rows(
    request: HttpRequest, bound: NoticeTemplateForm | None = None
) -> list[dict[str, object]]:
    polres = polres_of_request(request)
    stored = {t.event: t for t in NoticeTemplate.objects.filter(polres=polres)}
    rows: list[dict[str, object]] = []
    for event, label in NoticeEvent.choices:
        template = stored.get(event)
        form = (
            bound
            if bound is not None and bound.data.get("event") == event
            else NoticeTemplateForm(
                initial={
                    "event": event,
                    "text": template.text if template else DEFAULT_NOTICES[event],
                    "is_active": template.is_active if template else True,
                }
            )
        )
        rows.append(
            {
                "event": event,
                "label": label,
                "form": form,
                "template": template,
                "placeholders": sorted(ALLOWED_PLACEHOLDERS[event]),
                "public": event in (NoticeEvent.COMMENT_ACK, NoticeEvent.PUBLIC_UPDATE),
            }
        )
    return rows


@officer_required
def notice_templates(request: HttpRequest) -> HttpResponseBase:
    if not can_manage_channels(request.user):
        return forbidden(request, str(ADMIN_ONLY))
    bound = NoticeTemplateForm(request.POST) if request.method == "POST" else None
    if bound is not None and bound.is_valid():
        d = bound.cleaned_data
        try:
            do_save_notice_template(
                polres_of_request(request),
                d["event"],
                d["text"],
                is_active=d["is_active"],
                acting_user=staff_user(request),
            )
        except NoticeTemplateError as exc:
            bound.add_error("text", str(exc))
        else:
            messages.success(
                request, _("Templat «%(name)s» disimpan.") % {"name": NoticeEvent(d["event"]).label}
            )
            return redirect("console:notice_templates")
    return render(
        request,
        "channels/notice_templates.html",
        {"rows": _notice_rows(request, bound)},
        status=400 if bound is not None and bound.errors else 200,
    )


# Moderation stream ------------------------------------------------------------------------

OPEN = Q(state=ModerationState.NEW)


@officer_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not can_moderate(request.user):
        return forbidden(request, str(MODERATORS_ONLY))
    items = moderation_items(request.user)
    counts = items.aggregate(
        open=Count("pk", filter=OPEN),
        flagged=Count("pk", filter=OPEN & Q(provocative=True)),
        handled=Count("pk", filter=~OPEN),
    )
    form = ModerationFilterForm(request.GET or None)
    shown = items.select_related("message__account", "message__identity", "aduan", "handled_by")
    if form.is_valid():
        d = form.cleaned_data
        if d["state"] != "semua":
            shown = shown.filter(OPEN)
        if d["flagged"]:
            shown = shown.filter(provocative=True)
        if d["platform"]:
            shown = shown.filter(message__account__platform=d["platform"])
    else:
        shown = shown.filter(OPEN)
    shown = shown.order_by("-provocative", "-created_at", "-id")
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "channels/moderation.html",
        {"form": form, "page": page, "counts": counts, "reply_form": ModerationReplyForm()},
    )


@officer_required
@require_POST
def moderation_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    if not can_moderate(request.user):
        return forbidden(request, str(MODERATORS_ONLY))
    item: ModerationItem = get_object_or_404(moderation_items(request.user), pk=pk)
    user = staff_user(request)
    try:
        if action == "aduan":
            aduan = do_convert_to_aduan(item, acting_user=user)
            messages.success(
                request, _("Komentar dijadikan aduan %(code)s.") % {"code": aduan.code}
            )
            return redirect("console:aduan_detail", code=aduan.code)
        if action == "balas":
            form = ModerationReplyForm(request.POST)
            if not form.is_valid():
                raise ModerationError(_("Isi balasan tidak boleh kosong (maksimal 1000 karakter)."))
            do_reply_to_comment(item, form.cleaned_data["text"], acting_user=user)
            messages.success(request, _("Balasan publik dijadwalkan untuk dikirim."))
        elif action == "sembunyikan":
            do_hide_comment(item, acting_user=user)
            messages.success(request, _("Komentar disembunyikan di platform."))
        elif action == "abaikan":
            do_dismiss(item, acting_user=user)
            messages.success(request, _("Komentar diabaikan."))
        else:
            raise Http404(_("Tindakan tidak dikenal."))
    except ModerationError as exc:
        messages.error(request, str(exc))
    # Back to the same filtered view (the filters are re-encoded: never an arbitrary URL).
    filters = QueryDict(request.POST.get("filters", "")).urlencode()
    return redirect(reverse("console:moderation") + (f"?{filters}" if filters else ""))


# Failed deliveries ------------------------------------------------------------------------


@officer_required
@require_POST
def retry_delivery(request: HttpRequest, code: str, message_id: int) -> HttpResponseBase:
    aduan = _get_aduan(request, code, record_view=False)
    if not can_change(request.user, aduan):
        return forbidden(request, _("Anda tidak berwenang mengubah aduan ini."))
    delivery = get_object_or_404(OutboundDelivery, message__aduan=aduan, message_id=message_id)
    try:
        do_retry_delivery(delivery, acting_user=staff_user(request))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Pesan dijadwalkan untuk dikirim ulang."))
    return redirect("console:aduan_detail", code=aduan.code)
