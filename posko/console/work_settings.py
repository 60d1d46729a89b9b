"""Console: the Polres's work settings for admins and pimpinan — automatic assignment per unit
(with officers' leave) and the reply-approval threshold. Each form saves through one action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from posko.aduan.access import can_configure
from posko.aduan.actions.approvals import (
    MAX_APPROVAL_REPORTS,
    MIN_APPROVAL_REPORTS,
    ReplyApprovalError,
    approval_min_reports_of,
    do_set_reply_policy,
)
from posko.console.views import forbidden, officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.actions.assignment import (
    AssignmentSettingError,
    do_set_leave,
    do_set_unit_auto_assign,
)
from posko.org.models import AutoAssign, Officer, Role, Unit
from posko.org.permissions import REPLY_APPROVER_ROLES, URGENT_REPLY_ROLES, NotPermitted

MAX_CAPACITY = 500


class AutoAssignForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Cara penugasan otomatis"),
        choices=AutoAssign.choices,
        error_messages={
            "required": _("Pilih cara penugasan."),
            "invalid_choice": _("Pilih salah satu cara penugasan yang tersedia."),
        },
    )
    capacity = forms.IntegerField(
        label=_("Kapasitas aduan terbuka per personel"),
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text=_("0 berarti tanpa batas."),
        error_messages={
            "required": _("Isi kapasitas (0 berarti tanpa batas)."),
            "invalid": _("Kapasitas harus berupa bilangan bulat."),
            "min_value": _("Kapasitas tidak boleh kurang dari 0."),
            "max_value": _("Kapasitas paling banyak %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"class": "num"}),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        kwargs["prefix"] = f"u{unit.pk}"
        super().__init__(*args, **kwargs)
        self.unit = unit
        for name in ("mode", "capacity"):
            self.fields[name].widget.attrs["aria-label"] = f"{self.fields[name].label} — {unit}"


class ReplyPolicyForm(forms.Form):
    approval_min_reports = forms.IntegerField(
        label=_("Insiden dianggap besar mulai dari (jumlah laporan)"),
        min_value=MIN_APPROVAL_REPORTS,
        max_value=MAX_APPROVAL_REPORTS,
        error_messages={
            "required": _("Isi jumlah laporan."),
            "invalid": _("Jumlah laporan harus berupa bilangan bulat."),
            "min_value": _("Paling sedikit %(limit_value)s laporan."),
            "max_value": _("Paling banyak %(limit_value)s laporan."),
        },
        widget=forms.NumberInput(attrs={"class": "num"}),
    )


def _units(polres: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=polres).order_by("kind", "name"))


def _officers(polres: Unit) -> list[Officer]:
    return list(
        Officer.objects.filter(unit__parent=polres, user__is_active=True)
        .exclude(role__in=[Role.AUDITOR])
        .select_related("user", "unit")
        .order_by("unit__name", "user__username")
    )


def _assignment_page(
    request: HttpRequest, polres: Unit, bound: AutoAssignForm | None = None
) -> HttpResponse:
    forms_ = [
        bound
        if bound is not None and bound.unit.pk == unit.pk
        else AutoAssignForm(
            unit=unit, initial={"mode": unit.auto_assign, "capacity": unit.officer_capacity}
        )
        for unit in _units(polres)
    ]
    status = 400 if bound is not None and bound.errors else 200
    return render(
        request,
        "console/assignment_settings.html",
        {"unit_forms": forms_, "officers": _officers(polres)},
        status=status,
    )


@officer_required
def assignment_settings(request: HttpRequest) -> HttpResponse:
    """Automatic assignment per unit: one form per unit, each saved by one action."""
    if not can_configure(request.user):
        return forbidden(
            request, gettext("Hanya admin atau pimpinan yang dapat mengubah pengaturan.")
        )
    polres = polres_of_request(request)
    if request.method != "POST":
        return _assignment_page(request, polres)
    unit = get_object_or_404(Unit, pk=request.POST.get("unit", "0"), parent=polres)
    form = AutoAssignForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            do_set_unit_auto_assign(
                unit,
                mode=form.cleaned_data["mode"],
                capacity=form.cleaned_data["capacity"],
                acting_user=staff_user(request),
            )
        except NotPermitted as exc:
            return forbidden(request, exc)
        except AssignmentSettingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                gettext("Penugasan otomatis %(unit)s disimpan.") % {"unit": unit.name},
            )
            return redirect("console:assignment_settings")
    return _assignment_page(request, polres, form)


@officer_required
@require_POST
def officer_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an officer of the Polres on leave (or back) from the assignment settings page."""
    polres = polres_of_request(request)
    officer = get_object_or_404(Officer, pk=pk, unit__parent=polres)
    on_leave = request.POST.get("on_leave") == "1"
    try:
        do_set_leave(officer, on_leave=on_leave, acting_user=staff_user(request))
    except NotPermitted as exc:
        return forbidden(request, exc)
    messages.success(
        request,
        (
            gettext("%(officer)s ditandai sedang cuti: tidak menerima penugasan otomatis.")
            if on_leave
            else gettext("%(officer)s kembali menerima penugasan otomatis.")
        )
        % {"officer": officer},
    )
    return redirect("console:assignment_settings")


@officer_required
def reply_policy_settings(request: HttpRequest) -> HttpResponse:
    """The threshold from which an incident is large (its public replies need approval)."""
    if not can_configure(request.user):
        return forbidden(
            request, gettext("Hanya admin atau pimpinan yang dapat mengubah pengaturan.")
        )
    polres = polres_of_request(request)
    form = ReplyPolicyForm(
        request.POST or None,
        initial={"approval_min_reports": approval_min_reports_of(polres.pk)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_set_reply_policy(
                polres,
                approval_min_reports=form.cleaned_data["approval_min_reports"],
                acting_user=staff_user(request),
            )
        except NotPermitted as exc:
            return forbidden(request, exc)
        except ReplyApprovalError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, gettext("Batas persetujuan balasan disimpan."))
            return redirect("console:reply_policy_settings")
    return render(
        request,
        "console/reply_policy_settings.html",
        {
            "form": form,
            "approver_roles": _role_labels(REPLY_APPROVER_ROLES),
            "urgent_roles": _role_labels(URGENT_REPLY_ROLES),
        },
        status=400 if form.errors else 200,
    )


def _role_labels(roles: frozenset[str]) -> list[str]:
    return [str(label) for code, label in Role.choices if code in roles]
