"""Console views for triage: incidents (merge, split, join), landmarks, model versions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posko.aduan.access import (
    AduanNotFound,
    AduanPermissionDenied,
    IncidentNotFound,
    access_aduan_by_code,
    access_incident,
    can_dispatch,
    visible_aduan,
)
from posko.aduan.actions.incidents import (
    IncidentError,
    do_join_incident,
    do_merge_incidents,
    do_split_from_incident,
)
from posko.aduan.codes import normalize_code
from posko.aduan.models import Incident, LabelCorrection
from posko.console.forms import JoinIncidentForm, LandmarkForm, MergeIncidentForm
from posko.console.views import forbidden, officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.permissions import NotPermitted
from posko.triage_store.actions.landmarks import LandmarkError, do_add_landmark, do_delete_landmark
from posko.triage_store.actions.training import (
    do_activate_triage_model,
    do_request_triage_retrain,
)
from posko.triage_store.models import Landmark, TriageModelVersion


def _incident_for(request: HttpRequest, incident_id: int) -> Incident:
    """An incident the user may see: at least one of its reports is visible to them."""
    try:
        return access_incident(request.user, incident_id)
    except IncidentNotFound as exc:
        raise Http404(_("Insiden tidak ditemukan.")) from exc


@officer_required
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident_for(request, incident_id)
    reports = (
        visible_aduan(request.user)
        .filter(incident=incident)
        .select_related("desa", "kecamatan", "handling_unit")
        .order_by("received_at")
    )
    hidden = incident.aduan.count() - reports.count()
    return render(
        request,
        "console/incident.html",
        {
            "incident": incident,
            "reports": reports,
            "hidden": hidden,
            "can_dispatch": can_dispatch(request.user),
            "merge_form": MergeIncidentForm(),
        },
    )


@officer_required
@require_POST
def incident_merge(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident_for(request, incident_id)
    form = MergeIncidentForm(request.POST)
    if form.is_valid():
        try:
            other = _incident_for(request, form.cleaned_data["other"])
            do_merge_incidents(incident, other, acting_user=staff_user(request))
            messages.success(
                request,
                _("Insiden #%(other)s digabung ke insiden #%(incident)s.")
                % {"other": other.pk, "incident": incident.pk},
            )
        except AduanPermissionDenied as exc:
            return forbidden(request, str(exc))
        except (IncidentError, IncidentNotFound, Http404) as exc:
            messages.error(request, str(exc) or _("Insiden tidak ditemukan."))
    else:
        messages.error(request, _("Nomor insiden tidak valid."))
    return redirect("console:incident", incident_id=incident.pk)


@officer_required
@require_POST
def aduan_split(request: HttpRequest, code: str) -> HttpResponse:
    try:
        aduan = access_aduan_by_code(request.user, code, record_view=False)
        do_split_from_incident(aduan, acting_user=staff_user(request))
        messages.success(
            request, _("Aduan %(code)s dikeluarkan dari insiden.") % {"code": aduan.code}
        )
    except AduanNotFound as exc:
        raise Http404(_("Aduan tidak ditemukan.")) from exc
    except AduanPermissionDenied as exc:
        return forbidden(request, str(exc))
    except IncidentError as exc:
        messages.error(request, str(exc))
    return redirect("console:aduan_detail", code=code)


@officer_required
@require_POST
def aduan_join(request: HttpRequest, code: str) -> HttpResponse:
    try:
        aduan = access_aduan_by_code(request.user, code, record_view=False)
    except AduanNotFound as exc:
        raise Http404(_("Aduan tidak ditemukan.")) from exc
    form = JoinIncidentForm(request.POST)
    if form.is_valid():
        try:
            other = access_aduan_by_code(
                request.user, normalize_code(form.cleaned_data["code"]), record_view=False
            )
            incident = do_join_incident(aduan, other, acting_user=staff_user(request))
            messages.success(
                request,
                _("Aduan %(code)s digabung ke insiden #%(incident)s.")
                % {"code": aduan.code, "incident": incident.pk},
            )
        except AduanNotFound:
            messages.error(request, _("Aduan lain dengan kode itu tidak ditemukan."))
        except AduanPermissionDenied as exc:
            return forbidden(request, str(exc))
        except IncidentError as exc:
            messages.error(request, str(exc))
    return redirect("console:aduan_detail", code=aduan.code)


@officer_required
def landmarks(request: HttpRequest) -> HttpResponse:
    polres = polres_of_request(request)
    may_edit = can_dispatch(request.user)
    form = LandmarkForm(request.POST or None, polres=polres)
    if request.method == "POST" and form.is_valid():
        try:
            do_add_landmark(
                polres,
                name=form.cleaned_data["name"],
                desa=form.cleaned_data["desa"],
                aliases=form.cleaned_data["aliases"],
                acting_user=staff_user(request),
            )
            messages.success(request, _("Landmark ditambahkan."))
            return redirect("console:landmarks")
        except NotPermitted as exc:
            return forbidden(request, str(exc))
        except LandmarkError as exc:
            form.add_error(None, str(exc))
    rows = Landmark.objects.filter(polres=polres).select_related("desa", "desa__parent")
    return render(
        request,
        "console/landmarks.html",
        {"form": form, "rows": rows, "may_edit": may_edit},
        status=400 if form.errors else 200,
    )


@officer_required
@require_POST
def landmark_delete(request: HttpRequest, landmark_id: int) -> HttpResponse:
    landmark = get_object_or_404(Landmark, pk=landmark_id, polres=polres_of_request(request))
    try:
        do_delete_landmark(landmark, acting_user=staff_user(request))
    except NotPermitted as exc:
        return forbidden(request, str(exc))
    messages.success(request, _("Landmark '%(name)s' dihapus.") % {"name": landmark.name})
    return redirect("console:landmarks")


@officer_required
def triage_models(request: HttpRequest) -> HttpResponse:
    if not can_dispatch(request.user):
        return forbidden(
            request, _("Hanya operator atau pimpinan yang dapat mengelola model triase.")
        )
    polres = polres_of_request(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "retrain":
            do_request_triage_retrain(polres, acting_user=staff_user(request))
            messages.success(
                request,
                _("Pelatihan ulang dijadwalkan; versi baru muncul di sini setelah selesai."),
            )
        elif action == "activate":
            raw = request.POST.get("version", "")
            try:
                do_activate_triage_model(
                    polres, int(raw) if raw else None, acting_user=staff_user(request)
                )
                messages.success(request, _("Model triase yang aktif diperbarui."))
            except (ValueError, TriageModelVersion.DoesNotExist):
                messages.error(request, _("Versi tidak ditemukan."))
        return redirect("console:triage_models")
    versions = TriageModelVersion.objects.filter(polres=polres).order_by("-version")
    last = versions.first()
    corrections = LabelCorrection.objects.filter(aduan__polres=polres)
    return render(
        request,
        "console/triage_models.html",
        {
            "versions": versions,
            "any_active": versions.filter(is_active=True).exists(),
            "corrections_total": corrections.count(),
            "corrections_new": corrections.filter(created_at__gt=last.created_at).count()
            if last
            else corrections.count(),
        },
    )
