"""Console pages of the cyber patrol: registry (search, add, approve), patrol queue, spikes.

Every page is scoped to the officer's Polres; reading needs a patrol role, adding a
claim an author role, approving the pimpinan role (checked again in the actions)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from posko.console.views import officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.models import Role
from posko.patrol.actions.claims import (
    APPROVER_ROLES,
    AUTHOR_ROLES,
    ClaimError,
    PatrolPermissionDenied,
    do_approve_claim,
    do_create_claim,
)
from posko.patrol.actions.posts import do_review_post
from posko.patrol.models import HoaxClaim, PublicPost, SpikeAlert, Verdict

READER_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN, Role.AUDITOR})


class ClaimForm(forms.Form):
    claim = forms.CharField(label=gettext_lazy("Klaim yang beredar"), widget=forms.Textarea)
    verdict = forms.ChoiceField(label=gettext_lazy("Putusan"), choices=Verdict.choices)
    clarification = forms.CharField(label=gettext_lazy("Klarifikasi resmi"), widget=forms.Textarea)
    sources = forms.CharField(
        label=gettext_lazy("Sumber (satu tautan per baris)"), widget=forms.Textarea, required=False
    )


def _role(request: HttpRequest) -> str:
    return str(request.officer.role)  # type: ignore[attr-defined]


@officer_required
def registry(request: HttpRequest) -> HttpResponse:
    if _role(request) not in READER_ROLES:
        return HttpResponseForbidden(_("Halaman ini hanya untuk Humas/PID dan pimpinan."))
    polres = polres_of_request(request)
    may_add = _role(request) in AUTHOR_ROLES
    form = ClaimForm(request.POST or None)
    if request.method == "POST":
        if not may_add:
            return HttpResponseForbidden(_("Anda tidak berwenang untuk tindakan ini."))
        if form.is_valid():
            try:
                do_create_claim(
                    acting_user=staff_user(request),
                    claim=form.cleaned_data["claim"],
                    verdict=form.cleaned_data["verdict"],
                    clarification=form.cleaned_data["clarification"],
                    sources=[
                        s.strip() for s in form.cleaned_data["sources"].splitlines() if s.strip()
                    ],
                )
                messages.success(
                    request, _("Klaim disimpan sebagai draf; menunggu persetujuan pimpinan.")
                )
                return redirect("patrol:registry")
            except ClaimError as exc:
                form.add_error(None, str(exc))
    q = request.GET.get("q", "").strip()
    rows = HoaxClaim.objects.filter(polres=polres)
    if q:
        rows = rows.filter(Q(claim__icontains=q) | Q(clarification__icontains=q))
    context = {
        "form": form,
        "rows": rows[:200],
        "q": q,
        "may_add": may_add,
        "may_approve": _role(request) in APPROVER_ROLES,
    }
    return render(request, "patrol/registry.html", context, status=400 if form.errors else 200)


@officer_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(HoaxClaim, pk=pk, polres=polres_of_request(request))
    try:
        do_approve_claim(claim, acting_user=staff_user(request))
    except PatrolPermissionDenied as exc:
        return HttpResponseForbidden(str(exc))
    except ClaimError as exc:
        messages.error(request, str(exc))
        return redirect("patrol:registry")
    messages.success(request, _("Klaim disetujui dan mulai dicocokkan."))
    return redirect("patrol:registry")


@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    if _role(request) not in READER_ROLES:
        return HttpResponseForbidden(_("Halaman ini hanya untuk Humas/PID dan pimpinan."))
    rows = (
        PublicPost.objects.filter(polres=polres_of_request(request), reviewed=False)
        .select_related("matched_claim")
        .order_by("-risk", "-posted_at")[:200]
    )
    may_review = _role(request) in AUTHOR_ROLES
    return render(request, "patrol/queue.html", {"rows": rows, "may_review": may_review})


@officer_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(PublicPost, pk=pk, polres=polres_of_request(request))
    try:
        do_review_post(post, acting_user=staff_user(request))
    except PatrolPermissionDenied as exc:
        return HttpResponseForbidden(str(exc))
    messages.success(request, _("Unggahan ditandai sudah ditinjau."))
    return redirect("patrol:queue")


@officer_required
def spikes(request: HttpRequest) -> HttpResponse:
    if _role(request) not in READER_ROLES | {Role.PROPAM}:
        return HttpResponseForbidden(_("Halaman ini hanya untuk Humas/PID dan pimpinan."))
    rows = list(SpikeAlert.objects.filter(polres=polres_of_request(request))[:200])
    ids = {i for s in rows for i in s.sample_post_ids}
    posts = PublicPost.objects.in_bulk(list(ids))
    for s in rows:
        s.samples = [posts[i] for i in s.sample_post_ids if i in posts]  # type: ignore[attr-defined]
        s.growth_json = json.dumps(s.growth)  # type: ignore[attr-defined]
    return render(request, "patrol/spikes.html", {"rows": rows})
