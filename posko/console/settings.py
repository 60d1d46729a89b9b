"""Console: per-Polres settings (SLA targets and service hours), for admins and pimpinan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posko.aduan.access import can_configure, can_dispatch, can_manage_channels
from posko.aduan.actions.policy import Hours, PolicyError, SlaTarget, do_update_sla_settings
from posko.aduan.models import Priority, ServiceHours
from posko.aduan.sla import sla_targets
from posko.console.views import forbidden, officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.models import Unit

# <input type="time"> speaks HH:MM whatever the page's language; the Indonesian locale's
# default "%H.%M.%S" is unreadable to it (the field came back blank and saving failed).
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "%H.%M.%S"]
# Units a target may be given in, largest first (used to show a stored target back).
UNIT_MINUTES = {"hari": 24 * 60, "jam": 60, "menit": 1}
MAX_TARGET_MINUTES = 525_600


def _time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )


def split_minutes(minutes: int) -> tuple[int, str]:
    """15 → (15, "menit"), 120 → (2, "jam"), 4320 → (3, "hari")."""
    for unit, size in UNIT_MINUTES.items():
        if minutes % size == 0:
            return minutes // size, unit
    return minutes, "menit"


def _unit_choices() -> list[tuple[str, Any]]:
    return [("menit", _("menit")), ("jam", _("jam")), ("hari", _("hari"))]


class SlaSettingsForm(forms.Form):
    opens_at = _time_field(_("Jam buka pelayanan"))
    closes_at = _time_field(_("Jam tutup pelayanan"))
    saturday_open = forms.BooleanField(label=_("Buka hari Sabtu"), required=False)
    observe_cuti_bersama = forms.BooleanField(
        label=_("Cuti bersama dihitung libur"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in Priority.choices:
            for kind, text in (
                ("first", gettext("%(priority)s: respons pertama")),
                ("resolution", gettext("%(priority)s: penyelesaian")),
            ):
                name = text % {"priority": label}
                self.fields[f"{code}_{kind}"] = forms.IntegerField(
                    label=name,
                    min_value=1,
                    max_value=MAX_TARGET_MINUTES,
                    widget=forms.NumberInput(attrs={"aria-label": name, "class": "num"}),
                )
                # No unit posted (older clients, the API of this form) means minutes.
                self.fields[f"{code}_{kind}_unit"] = forms.ChoiceField(
                    label=gettext("%(target)s — satuan waktu") % {"target": name},
                    choices=_unit_choices(),
                    required=False,
                    widget=forms.Select(
                        attrs={
                            "aria-label": gettext("%(target)s — satuan waktu") % {"target": name}
                        }
                    ),
                )
            hours_label = gettext("%(priority)s: hanya jam pelayanan") % {"priority": label}
            self.fields[f"{code}_hours"] = forms.BooleanField(
                label=hours_label,
                required=False,
                widget=forms.CheckboxInput(attrs={"aria-label": hours_label}),
            )

    def rows(self) -> list[tuple[str, Any, Any, Any, Any, Any]]:
        return [
            (
                str(label),
                self[f"{code}_first"],
                self[f"{code}_first_unit"],
                self[f"{code}_resolution"],
                self[f"{code}_resolution_unit"],
                self[f"{code}_hours"],
            )
            for code, label in Priority.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code in Priority.values:
            for kind in ("first", "resolution"):
                amount = data.get(f"{code}_{kind}")
                if amount is None:
                    continue
                minutes = amount * UNIT_MINUTES[data.get(f"{code}_{kind}_unit") or "menit"]
                if minutes > MAX_TARGET_MINUTES:
                    self.add_error(f"{code}_{kind}", gettext("Target paling lama 365 hari."))
                    continue
                data[f"{code}_{kind}_minutes"] = minutes
        return data

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
            for kind, delta in (("first", t.first_response), ("resolution", t.resolution)):
                amount, unit = split_minutes(int(delta.total_seconds() // 60))
                initial[f"{code}_{kind}"] = amount
                initial[f"{code}_{kind}_unit"] = unit
            initial[f"{code}_hours"] = t.working_hours_only
        return initial


@officer_required
def sla_settings(request: HttpRequest) -> HttpResponse:
    if not can_configure(request.user):
        return forbidden(
            request, gettext("Hanya admin atau pimpinan yang dapat mengubah pengaturan.")
        )
    polres = polres_of_request(request)
    form = SlaSettingsForm(request.POST or None, initial=SlaSettingsForm.initial_for(polres))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            do_update_sla_settings(
                polres,
                targets={
                    code: SlaTarget(
                        d[f"{code}_first_minutes"],
                        d[f"{code}_resolution_minutes"],
                        d[f"{code}_hours"],
                    )
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
        return forbidden(request, _("Anda tidak berwenang membuka halaman administrasi."))
    return render(
        request,
        "console/administration.html",
        {
            "may_dispatch": can_dispatch(request.user),
            "may_configure": can_configure(request.user),
            "may_manage_channels": can_manage_channels(request.user),
        },
    )
