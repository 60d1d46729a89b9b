"""Console pages for planning publications: recurring series, CSV import and export, the
traffic advisory map. Thin views: validate a form, call one action, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posko.console.publishing_forms import ImportForm, SeriesForm
from posko.console.views import officer_required, polres_of_request
from posko.core.types import staff_user
from posko.publishing.access import can_approve, can_compose, can_read, visible_posts
from posko.publishing.actions.common import PostError
from posko.publishing.actions.maps import do_attach_traffic_map
from posko.publishing.actions.planning import COLUMNS, do_import_posts, export_posts
from posko.publishing.actions.series import (
    SeriesDraft,
    do_approve_series,
    do_cancel_series,
    do_create_series,
    do_edit_series,
)
from posko.publishing.limits import counter_config
from posko.publishing.models import PostSeries, PostStatus, SeriesStatus

MAX_EXPORT = 5000


def _series_draft(form: SeriesForm) -> SeriesDraft:
    data = form.cleaned_data
    return SeriesDraft(
        kind=data["kind"],
        text=data["text"],
        title=data.get("title", ""),
        accounts=list(data["accounts"]),
        fields={n[2:]: v for n, v in data.items() if n.startswith("f_")},
        frequency=data["frequency"],
        first_at=data["first_at"],
        until=data.get("until"),
        count=data.get("count"),
    )


def _save_series(request: HttpRequest, form: SeriesForm, series: PostSeries | None) -> int | None:
    if not form.is_valid():
        return None
    try:
        draft = _series_draft(form)
        user = staff_user(request)
        if series is None:
            series = do_create_series(polres_of_request(request), draft, acting_user=user)
            messages.success(
                request, _("Seri dibuat; setiap publikasinya diajukan untuk persetujuan.")
            )
        else:
            series = do_edit_series(series, draft, acting_user=user)
            messages.success(request, _("Seri diubah; publikasi yang belum terbit diajukan ulang."))
    except PostError as exc:
        for error in exc.errors:
            form.add_error(None, error)
        return None
    return series.pk


@officer_required
def series_list(request: HttpRequest) -> HttpResponseBase:
    if not can_read(request.user):
        return HttpResponseForbidden(_("Anda tidak berwenang membuka publikasi."))
    polres = polres_of_request(request)
    form = SeriesForm(request.POST or None, polres=polres)
    status = 200
    if request.method == "POST":
        if not can_compose(request.user):
            return HttpResponseForbidden(_("Anda tidak berwenang menyusun publikasi."))
        pk = _save_series(request, form, None)
        if pk is not None:
            return redirect("console:publishing_series_detail", pk)
        status = 400
    series = PostSeries.objects.filter(polres=polres).prefetch_related("posts")[:100]
    return render(
        request,
        "publishing/console_series.html",
        {
            "form": form,
            "series_list": series,
            "may_compose": can_compose(request.user),
            "limits": counter_config(),
        },
        status=status,
    )


@officer_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not can_read(request.user):
        return HttpResponseForbidden(_("Anda tidak berwenang membuka publikasi."))
    polres = polres_of_request(request)
    series = PostSeries.objects.filter(polres=polres, pk=pk).first()
    if series is None:
        raise Http404
    form = SeriesForm(request.POST or None, polres=polres, series=series)
    status = 200
    if request.method == "POST":
        if not can_compose(request.user):
            return HttpResponseForbidden(_("Anda tidak berwenang menyusun publikasi."))
        if _save_series(request, form, series) is not None:
            return redirect("console:publishing_series_detail", pk)
        status = 400
    return render(
        request,
        "publishing/console_series_detail.html",
        {
            "series": series,
            "form": form,
            "posts": series.posts.order_by("publish_at", "id"),
            "active": series.status == SeriesStatus.ACTIVE,
            "may_compose": can_compose(request.user),
            "limits": counter_config(),
            "may_approve": can_approve(request.user)
            and series.posts.filter(status=PostStatus.IN_REVIEW).exists(),
        },
        status=status,
    )


@officer_required
@require_POST
def series_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    series = PostSeries.objects.filter(polres=polres_of_request(request), pk=pk).first()
    if series is None:
        raise Http404
    try:
        count = do_approve_series(series, acting_user=staff_user(request))
        messages.success(
            request, _("%(count)d publikasi seri disetujui dan dijadwalkan.") % {"count": count}
        )
    except PostError as exc:
        for error in exc.errors:
            messages.error(request, error)
    return redirect("console:publishing_series_detail", pk)


@officer_required
@require_POST
def series_cancel(request: HttpRequest, pk: int) -> HttpResponseBase:
    series = PostSeries.objects.filter(polres=polres_of_request(request), pk=pk).first()
    if series is None:
        raise Http404
    try:
        count = do_cancel_series(series, acting_user=staff_user(request))
        messages.success(
            request, _("Seri dibatalkan; %(count)d publikasi ditarik.") % {"count": count}
        )
    except PostError as exc:
        for error in exc.errors:
            messages.error(request, error)
    return redirect("console:publishing_series_detail", pk)


@officer_required
def import_posts(request: HttpRequest) -> HttpResponseBase:
    if not can_read(request.user):
        return HttpResponseForbidden(_("Anda tidak berwenang membuka publikasi."))
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not can_compose(request.user):
            return HttpResponseForbidden(_("Anda tidak berwenang menyusun publikasi."))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                posts = do_import_posts(
                    polres_of_request(request), upload.read(), acting_user=staff_user(request)
                )
            except PostError as exc:
                for error in exc.errors:
                    form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(count)d rencana publikasi diimpor sebagai draf.") % {"count": len(posts)},
                )
                return redirect("console:publishing_calendar")
        status = 400
    return render(
        request,
        "publishing/console_import.html",
        {"form": form, "columns": COLUMNS, "may_compose": can_compose(request.user)},
        status=status,
    )


@officer_required
def export_csv(request: HttpRequest) -> HttpResponseBase:
    if not can_read(request.user):
        return HttpResponseForbidden(_("Anda tidak berwenang membuka publikasi."))
    posts = (
        visible_posts(request.user)
        .filter(publish_at__isnull=False)
        .prefetch_related("targets")
        .order_by("publish_at", "id")[:MAX_EXPORT]
    )
    response = HttpResponse(export_posts(posts), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="rencana-publikasi-{stamp}.csv"'
    return response


@officer_required
@require_POST
def attach_map(request: HttpRequest, pk: int) -> HttpResponseBase:
    post = visible_posts(request.user).filter(pk=pk).first()
    if post is None:
        raise Http404
    try:
        do_attach_traffic_map(post, acting_user=staff_user(request))
        messages.success(request, _("Peta lalu lintas dilampirkan sebagai foto."))
    except PostError as exc:
        for error in exc.errors:
            messages.error(request, error)
    return redirect("console:publishing_detail", pk)
