"""Console: per-Polres settings (SLA targets and service hours), for admins and pimpinan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posko.aduan.access import can_configure, can_dispatch, can_manage_channels
from posko.aduan.actions.policy import Hours, PolicyError, SlaTarget, do_update_sla_settings
from posko.aduan.models import Priority, ServiceHours
from posko.aduan.sla import sla_targets
from posko.console.views import officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.models import Unit


class SlaSettingsForm(forms.Form):
    opens_at = forms.TimeField(
        label=_("Jam buka pelayanan"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_at = forms.TimeField(
        label=_("Jam tutup pelayanan"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    saturday_open = forms.BooleanField(label=_("Buka hari Sabtu"), required=False)
    observe_cuti_bersama = forms.BooleanField(
        label=_("Cuti bersama dihitung libur"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in Priority.choices:
            self.fields[f"{code}_first"] = forms.IntegerField(
                label=gettext("%(priority)s: respons pertama (menit)") % {"priority": label},
                min_value=1,
                max_value=525_600,
            )
            self.fields[f"{code}_resolution"] = forms.IntegerField(
                label=gettext("%(priority)s: penyelesaian (menit)") % {"priority": label},
                min_value=1,
                max_value=525_600,
            )
            self.fields[f"{code}_hours"] = forms.BooleanField(
                label=gettext("%(priority)s: hanya jam pelayanan") % {"priority": label},
                required=False,
            )

    def rows(self) -> list[tuple[str, Any, Any, Any]]:
        return [
            (str(label), self[f"{code}_first"], self[f"{code}_resolution"], self[f"{code}_hours"])
            for code, label in Priority.choices
        ]

    @staticmethod
    def initial_for(polres: Unit) -> dict[str, Any]:
        hours = ServiceHours.objects.filter(polres=polres).first() or ServiceHours(polres=polres)
        initial: dict[str, Any] = {
            "opens_at": hours.opens_at,
            "closes_at": hours.closes_at,
            "saturday_open": hours.saturday_open,
            "observe_cuti_bersama": hours.observe_cuti_bersama,
        }
        for code in Priority.values:
            t = sla_targets(polres, code)
            initial[f"{code}_first"] = int(t.first_response.total_seconds() // 60)
            initial[f"{code}_resolution"] = int(t.resolution.total_seconds() // 60)
            initial[f"{code}_hours"] = t.working_hours_only
        return initial


@officer_required
def sla_settings(request: HttpRequest) -> HttpResponse:
    if not can_configure(request.user):
        return HttpResponseForbidden(
            gettext("Hanya admin atau pimpinan yang dapat mengubah pengaturan.")
        )
    polres = polres_of_request(request)
    form = SlaSettingsForm(request.POST or None, initial=SlaSettingsForm.initial_for(polres))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            do_update_sla_settings(
                polres,
                targets={
                    code: SlaTarget(d[f"{code}_first"], d[f"{code}_resolution"], d[f"{code}_hours"])
                    for code in Priority.values
                },
                hours=Hours(
                    d["opens_at"], d["closes_at"], d["saturday_open"], d["observe_cuti_bersama"]
                ),
                acting_user=staff_user(request),
            )
            messages.success(request, gettext("Pengaturan SLA disimpan. Berlaku untuk aduan baru."))
            return redirect("console:sla_settings")
        except PolicyError as exc:
            form.add_error(None, str(exc))
    return render(
        request, "console/sla_settings.html", {"form": form}, status=400 if form.errors else 200
    )


@officer_required
def administration(request: HttpRequest) -> HttpResponse:
    """The page that gathers the Polres's administration pages the user may open."""
    if not (
        can_dispatch(request.user)
        or can_configure(request.user)
        or can_manage_channels(request.user)
    ):
        return HttpResponseForbidden(_("Anda tidak berwenang membuka halaman administrasi."))
    return render(
        request,
        "console/administration.html",
        {
            "may_dispatch": can_dispatch(request.user),
            "may_configure": can_configure(request.user),
            "may_manage_channels": can_manage_channels(request.user),
        },
    )
