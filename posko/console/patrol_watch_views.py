"""Console pages of the patrol's watching: watchlists and feeds (add, edit, switch off) for
Humas/PID, the pimpinan and the cyber unit; Polisi Virtual warnings (start, approve,
evidence). Scoped to the officer's Polres; the actions check the actor again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from posko.channels.models import ChannelAccount, Platform
from posko.console.views import officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.models import Role
from posko.patrol.actions.claims import APPROVER_ROLES, AUTHOR_ROLES, PatrolPermissionDenied
from posko.patrol.actions.warnings import (
    WarningError,
    do_add_evidence,
    do_approve_warning,
    do_resend_warning,
    do_start_warning,
)
from posko.patrol.actions.watch_admin import (
    WatchError,
    do_save_feed,
    do_save_watchlist,
    is_cyber_unit,
    may_manage_watch,
)
from posko.patrol.models import Feed, FeedKind, PatrolWarning, PublicPost, Watchlist

WARNING_READERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN, Role.AUDITOR})
NO_ACCESS = gettext_lazy("Halaman ini hanya untuk Humas/PID, pimpinan dan unit siber.")


def _lines(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", "\n").splitlines() if v.strip()]


class WatchlistForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=120)
    keywords = forms.CharField(
        label=gettext_lazy("Kata kunci dan frasa (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    hashtags = forms.CharField(label=gettext_lazy("Tagar"), required=False)
    accounts = forms.CharField(label=gettext_lazy("Akun"), required=False)
    places = forms.CharField(label=gettext_lazy("Tempat (nama desa)"), required=False)
    category = forms.CharField(label=gettext_lazy("Kategori"), max_length=60, required=False)
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Prioritas"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        initial=2,
    )
    enabled = forms.BooleanField(label=gettext_lazy("Aktif"), required=False, initial=True)

    @staticmethod
    def initial_of(w: Watchlist) -> dict[str, Any]:
        return {
            "name": w.name,
            "keywords": "\n".join(w.keywords),
            "hashtags": ", ".join(w.hashtags),
            "accounts": ", ".join(w.accounts),
            "places": ", ".join(w.places),
            "category": w.category,
            "priority": w.priority,
            "enabled": w.enabled,
        }

    def fields_for_action(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        for key in ("keywords", "hashtags", "accounts", "places"):
            d[key] = _lines(d[key])
        return d


class FeedForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=FeedKind.choices)
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=120)
    url = forms.URLField(
        label=gettext_lazy("Alamat RSS/Atom"), required=False, assume_scheme="https"
    )
    watchlist = forms.ModelChoiceField(
        label=gettext_lazy("Daftar pantau (pencarian X)"),
        queryset=Watchlist.objects.none(),
        required=False,
    )
    account = forms.ModelChoiceField(
        label=gettext_lazy("Akun resmi (X atau bot Telegram)"),
        queryset=ChannelAccount.objects.none(),
        required=False,
    )
    enabled = forms.BooleanField(label=gettext_lazy("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, polres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["watchlist"].queryset = Watchlist.objects.filter(polres=polres)  # type: ignore[attr-defined]
        self.fields["account"].queryset = ChannelAccount.objects.filter(  # type: ignore[attr-defined]
            polres=polres, platform__in=[Platform.X, Platform.TELEGRAM]
        )


def _may_manage(request: HttpRequest) -> bool:
    return may_manage_watch(staff_user(request))


def _save(request: HttpRequest, save: Any, obj: Any, fields: dict[str, Any]) -> str | None:
    """Run the action; the error message to show, or None when saved."""
    try:
        save(obj, acting_user=staff_user(request), fields=fields)
    except WatchError as exc:
        return str(exc)
    return None


@officer_required
def watchlists(request: HttpRequest) -> HttpResponse:
    if not _may_manage(request):
        return HttpResponseForbidden(NO_ACCESS)
    polres = polres_of_request(request)
    editing = None
    if request.GET.get("edit", "").isdigit() or request.POST.get("pk", "").isdigit():
        pk = int(request.GET.get("edit") or request.POST["pk"])
        editing = get_object_or_404(Watchlist, pk=pk, polres=polres)
    initial = WatchlistForm.initial_of(editing) if editing else None
    form = WatchlistForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        error = _save(request, do_save_watchlist, editing, form.fields_for_action())
        if error is None:
            messages.success(request, _("Daftar pantau disimpan."))
            return redirect("patrol:watchlists")
        form.add_error(None, error)
    rows = Watchlist.objects.filter(polres=polres).order_by("-enabled", "priority", "name")
    context = {"form": form, "rows": rows, "editing": editing}
    return render(request, "patrol/watchlists.html", context, status=400 if form.errors else 200)


@officer_required
def feeds(request: HttpRequest) -> HttpResponse:
    if not _may_manage(request):
        return HttpResponseForbidden(NO_ACCESS)
    polres = polres_of_request(request)
    editing = None
    if request.GET.get("edit", "").isdigit() or request.POST.get("pk", "").isdigit():
        pk = int(request.GET.get("edit") or request.POST["pk"])
        editing = get_object_or_404(Feed, pk=pk, polres=polres)
    initial = (
        {
            "kind": editing.kind,
            "name": editing.name,
            "url": editing.url,
            "watchlist": editing.watchlist_id,
            "account": editing.account_id,
            "enabled": editing.enabled,
        }
        if editing
        else None
    )
    form = FeedForm(request.POST or None, initial=initial, polres=polres)
    if request.method == "POST" and form.is_valid():
        error = _save(request, do_save_feed, editing, dict(form.cleaned_data))
        if error is None:
            messages.success(request, _("Sumber pantauan disimpan."))
            return redirect("patrol:feeds")
        form.add_error(None, error)
    rows = Feed.objects.filter(polres=polres).select_related("watchlist", "account")
    context = {"form": form, "rows": rows, "editing": editing}
    return render(request, "patrol/feeds.html", context, status=400 if form.errors else 200)


def _may_read_warnings(request: HttpRequest) -> bool:
    role = str(request.officer.role)  # type: ignore[attr-defined]
    return role in WARNING_READERS or is_cyber_unit(staff_user(request))


@officer_required
def warnings(request: HttpRequest) -> HttpResponse:
    if not _may_read_warnings(request):
        return HttpResponseForbidden(NO_ACCESS)
    rows = (
        PatrolWarning.objects.filter(polres=polres_of_request(request))
        .select_related(
            "post",
            "created_by",
            "approved_by",
            "first_delivery__account",
            "second_delivery__account",
        )
        .prefetch_related("evidence")[:200]
    )
    role = str(request.officer.role)  # type: ignore[attr-defined]
    context = {
        "rows": rows,
        "may_approve": role in APPROVER_ROLES,
        "may_add": role in AUTHOR_ROLES | APPROVER_ROLES,
        "retryable_states": ("failed", "unconfirmed"),
    }
    return render(request, "patrol/warnings.html", context)


def _run(request: HttpRequest, action: Any, *args: Any, **kwargs: Any) -> HttpResponse | None:
    try:
        action(*args, acting_user=staff_user(request), **kwargs)
    except PatrolPermissionDenied as exc:
        return HttpResponseForbidden(str(exc))
    except WarningError as exc:
        messages.error(request, str(exc))
        return redirect("patrol:warnings")
    return None


@officer_required
@require_POST
def warning_start(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(PublicPost, pk=pk, polres=polres_of_request(request))
    shot = request.FILES.get("screenshot")
    failed = _run(request, do_start_warning, post, message="", screenshot=shot)
    if failed is None:
        messages.success(request, _("Peringatan disusun; menunggu persetujuan pimpinan."))
    return failed or redirect("patrol:warnings")


@officer_required
@require_POST
def warning_approve(request: HttpRequest, pk: int) -> HttpResponse:
    w = get_object_or_404(PatrolWarning, pk=pk, polres=polres_of_request(request))
    failed = _run(request, do_approve_warning, w)
    if failed is None:
        messages.success(request, _("Peringatan pertama dikirim; diperiksa lagi setelah 1×24 jam."))
    return failed or redirect("patrol:warnings")


@officer_required
@require_POST
def warning_resend(request: HttpRequest, pk: int) -> HttpResponse:
    w = get_object_or_404(PatrolWarning, pk=pk, polres=polres_of_request(request))
    failed = _run(request, do_resend_warning, w, step=request.POST.get("step", ""))
    if failed is None:
        messages.success(request, _("Peringatan dikirim ulang."))
    return failed or redirect(f"{reverse('patrol:warnings')}#peringatan-{w.pk}")


@officer_required
@require_POST
def warning_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    w = get_object_or_404(PatrolWarning, pk=pk, polres=polres_of_request(request))
    shot = request.FILES.get("screenshot")
    if shot is None:
        messages.error(request, _("Pilih berkas tangkapan layar."))
        return redirect("patrol:warnings")
    failed = _run(request, do_add_evidence, w, screenshot=shot)
    if failed is None:
        messages.success(request, _("Bukti ditambahkan."))
    return failed or redirect("patrol:warnings")
