"""Console pages of publishing: the composer, the review queue, a post's per-account state,
the week calendar, subscribers. Thin views: validate a form, call one action, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posko.channels.models import ChannelAccount
from posko.console.publishing_forms import ComposeForm, ConfirmForm, ReasonForm
from posko.console.views import officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.models import Unit
from posko.publishing.access import (
    can_approve,
    can_compose,
    can_publish_directly,
    can_read,
    can_see_phone_numbers,
    mask_address,
    visible_posts,
    visible_subscribers,
)
from posko.publishing.actions.alert_copies import copy_counts
from posko.publishing.actions.alerts import alert_counts
from posko.publishing.actions.common import PostError, post_history
from posko.publishing.actions.community import do_link_publicity, event_publicity
from posko.publishing.actions.compose import Draft, do_create_post, do_update_post
from posko.publishing.actions.review import (
    do_approve,
    do_cancel_schedule,
    do_confirm_published,
    do_publish_directly,
    do_reject,
    do_request_changes,
    do_retry_target,
    do_submit_for_review,
    validation_errors,
)
from posko.publishing.calendar import VIEWS, calendar_days, period
from posko.publishing.checks import post_warnings
from posko.publishing.comments import post_comments
from posko.publishing.limits import counter_config
from posko.publishing.models import (
    EDITABLE_STATUSES,
    Post,
    PostStatus,
    PostTarget,
    ProgrammeEvent,
    SubscriberState,
)

LIST_FILTERS = {
    "semua": None,
    "persetujuan": [PostStatus.IN_REVIEW],
    "terjadwal": [PostStatus.SCHEDULED, PostStatus.PUBLISHING],
    "periksa": [PostStatus.UNCONFIRMED, PostStatus.FAILED, PostStatus.PARTLY_PUBLISHED],
    "draf": [PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED],
}


def _post(request: HttpRequest, pk: int) -> Post:
    post = (
        visible_posts(request.user)
        .select_related("created_by", "approved_by")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    return post


@officer_required
def post_list(request: HttpRequest) -> HttpResponse:
    if not can_read(request.user):
        return HttpResponseForbidden(_("Anda tidak berwenang membuka publikasi."))
    selected = request.GET.get("tampil", "persetujuan" if can_approve(request.user) else "semua")
    statuses = LIST_FILTERS.get(selected)
    posts = visible_posts(request.user).prefetch_related("targets")
    if statuses:
        posts = posts.filter(status__in=statuses)
    counts = {
        key: visible_posts(request.user).filter(status__in=value).count()
        for key, value in LIST_FILTERS.items()
        if value
    }
    return render(
        request,
        "publishing/console_list.html",
        {
            "posts": posts[:200],
            "selected": selected,
            "counts": counts,
            "may_compose": can_compose(request.user),
        },
    )


def _draft(form: ComposeForm, request: HttpRequest) -> Draft:
    data = form.cleaned_data
    publish_at = data.get("publish_at")
    return Draft(
        kind=data["kind"],
        text=data["text"],
        title=data.get("title", ""),
        accounts=list(data["accounts"]),
        fields={n[2:]: v for n, v in data.items() if n.startswith("f_")},
        variants={int(n[8:]): v for n, v in data.items() if n.startswith("variant_") and v},
        publish_at=publish_at,
        desa=list(data.get("desa") or []),
        photos=request.FILES.getlist("photos"),
    )


def _after_save(request: HttpRequest, post: Post) -> HttpResponseBase:
    user = staff_user(request)
    intent = request.POST.get("intent", "draft")
    try:
        if intent == "submit":
            do_submit_for_review(post, acting_user=user)
            messages.success(request, _("Publikasi diajukan untuk persetujuan."))
        elif intent == "direct":
            do_publish_directly(post, acting_user=user)
            messages.success(request, _("Publikasi diterbitkan langsung."))
        else:
            messages.success(request, _("Draf disimpan."))
        for warning in post_warnings(post):
            messages.warning(request, warning)
    except PostError as exc:
        for error in exc.errors:
            messages.error(request, error)
    return redirect("console:publishing_detail", post.pk)


def _composer(request: HttpRequest, post: Post | None) -> HttpResponseBase:
    if not can_compose(request.user):
        return HttpResponseForbidden(_("Anda tidak berwenang menyusun publikasi."))
    polres = polres_of_request(request)
    if post is not None and post.status not in EDITABLE_STATUSES:
        messages.error(request, _("Publikasi hanya dapat diubah saat draf atau perlu perbaikan."))
        return redirect("console:publishing_detail", post.pk)
    event = _event_for_publicity(request, polres) if post is None else None
    initial = event_publicity(event, _publishing_accounts(polres)) if event else None
    form = ComposeForm(request.POST or None, polres=polres, post=post, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                draft = _draft(form, request)
                user = staff_user(request)
                if post is None:
                    post = do_create_post(polres, draft, acting_user=user)
                    if event is not None:
                        do_link_publicity(event, post, acting_user=user)
                else:
                    post = do_update_post(post, draft, acting_user=user)
            except PostError as exc:
                for error in exc.errors:
                    form.add_error(None, error)
            else:
                return _after_save(request, post)
        status = 400
    return render(
        request,
        "publishing/console_compose.html",
        {
            "form": form,
            "post": post,
            "limits": counter_config(),
            "photo_count": post.media.count() if post else 0,
            "warnings": post_warnings(post) if post is not None else [],
        },
        status=status,
    )


def _event_for_publicity(request: HttpRequest, polres: Unit) -> ProgrammeEvent | None:
    """``?kegiatan=<id>``: the composer opens prefilled with a community event's publicity."""
    raw = request.GET.get("kegiatan", "")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return (
        ProgrammeEvent.objects.filter(programme__polres=polres, pk=int(raw), post__isnull=True)
        .select_related("desa", "programme")
        .first()
    )


def _publishing_accounts(polres: Unit) -> list[ChannelAccount]:
    return list(
        ChannelAccount.objects.filter(
            polres=polres, platform__in=["facebook", "instagram", "x", "telegram"], is_active=True
        )
    )


@officer_required
def compose(request: HttpRequest) -> HttpResponseBase:
    return _composer(request, None)


@officer_required
def edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _composer(request, _post(request, pk))


def _detail_context(request: HttpRequest, post: Post) -> dict[str, Any]:
    user = request.user
    targets = list(post.targets.select_related("account"))
    return {
        "post": post,
        "targets": targets,
        "errors": validation_errors(post) if post.status in EDITABLE_STATUSES else {},
        "audit": post_history(post).select_related("actor"),
        "media": list(post.media.all()),
        "alerts": [(a, alert_counts(a), copy_counts(a)) for a in post.alerts.all()],
        "may_compose": can_compose(user),
        "may_approve": can_approve(user) and post.status == PostStatus.IN_REVIEW,
        "may_direct": can_publish_directly(user, post)
        and post.status in (*EDITABLE_STATUSES, PostStatus.IN_REVIEW),
        "editable": post.status in EDITABLE_STATUSES,
        "live": post.status in (PostStatus.SCHEDULED, PostStatus.PUBLISHING),
        "reason_form": ReasonForm(),
        "confirm_form": ConfirmForm(),
        "warnings": post_warnings(post)
        if post.status in (*EDITABLE_STATUSES, PostStatus.IN_REVIEW)
        else [],
        "comments": list(post_comments(post)[:200])
        if any(t.external_id for t in targets)
        else None,
    }


@officer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    context = _detail_context(request, post)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "publishing/_targets.html", context)
    return render(request, "publishing/console_detail.html", context)


def _act(request: HttpRequest, post: Post, action: str) -> str:
    user = staff_user(request)
    if action == "ajukan":
        do_submit_for_review(post, acting_user=user)
        return _("Publikasi diajukan untuk persetujuan.")
    if action == "setujui":
        do_approve(post, acting_user=user)
        return _("Publikasi disetujui dan dijadwalkan.")
    if action == "terbit-langsung":
        do_publish_directly(post, acting_user=user)
        return _("Publikasi diterbitkan langsung.")
    if action == "batal-jadwal":
        do_cancel_schedule(post, acting_user=user)
        return _("Jadwal dibatalkan; publikasi kembali menjadi draf.")
    if action in ("minta-perbaikan", "tolak"):
        form = ReasonForm(request.POST)
        reason = form.data.get("reason", "")
        if action == "tolak":
            do_reject(post, reason, acting_user=user)
            return _("Publikasi ditolak.")
        do_request_changes(post, reason, acting_user=user)
        return _("Perbaikan diminta.")
    raise Http404


@officer_required
@require_POST
def post_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    post = _post(request, pk)
    try:
        messages.success(request, _act(request, post, action))
    except PostError as exc:
        for error in exc.errors:
            messages.error(request, error)
    return redirect("console:publishing_detail", post.pk)


@officer_required
@require_POST
def target_action(request: HttpRequest, pk: int, target_id: int, action: str) -> HttpResponseBase:
    post = _post(request, pk)
    target = PostTarget.objects.filter(post=post, pk=target_id).first()
    if target is None:
        raise Http404
    user = staff_user(request)
    try:
        if action == "sudah-terbit":
            do_confirm_published(target, request.POST.get("url", ""), acting_user=user)
            messages.success(request, _("Dicatat sudah terbit."))
        elif action == "kirim-ulang":
            do_retry_target(target, acting_user=user)
            messages.success(request, _("Dikirim ulang ke platform."))
        else:
            raise Http404
    except PostError as exc:
        for error in exc.errors:
            messages.error(request, error)
    return redirect("console:publishing_detail", post.pk)


def _anchor(request: HttpRequest) -> date:
    value = request.GET.get("tanggal") or request.GET.get("minggu") or ""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return timezone.localdate()


@officer_required
def calendar(request: HttpRequest) -> HttpResponse:
    if not can_read(request.user):
        return HttpResponseForbidden(_("Anda tidak berwenang membuka publikasi."))
    view = request.GET.get("tampil", "minggu")
    shown = period(view if view in VIEWS else "minggu", _anchor(request))
    days = calendar_days(request.user, shown)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    return render(
        request,
        "publishing/console_calendar.html",
        {
            "shown": shown,
            "days": days,
            "weeks": weeks,
            "today": timezone.localdate(),
            "views": [("hari", _("Hari")), ("minggu", _("Minggu")), ("bulan", _("Bulan"))],
        },
    )


@officer_required
def subscribers(request: HttpRequest) -> HttpResponse:
    if not can_read(request.user):
        return HttpResponseForbidden(_("Anda tidak berwenang membuka publikasi."))
    rows = (
        visible_subscribers(request.user)
        .select_related("desa", "kecamatan")
        .order_by("-created_at")
    )
    full = can_see_phone_numbers(request.user)
    listing = [
        {
            "address": s.address if full else mask_address(s.address),
            "subscriber": s,
        }
        for s in rows[:500]
    ]
    active = rows.filter(state=SubscriberState.ACTIVE)
    per_desa: dict[str, int] = {}
    for s in active:
        key = (
            s.desa.name
            if s.desa
            else _("Kec. %(name)s") % {"name": s.kecamatan.name if s.kecamatan else "-"}
        )
        per_desa[key] = per_desa.get(key, 0) + 1
    return render(
        request,
        "publishing/console_subscribers.html",
        {
            "listing": listing,
            "per_desa": sorted(per_desa.items()),
            "active": active.count(),
            "full": full,
        },
    )
