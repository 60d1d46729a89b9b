"""Console pages of the training sandbox (/posko/latihan/): exercises replayed from closed
aduan, and the per-officer record for the Kapolres."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posko.aduan.models import Category, Priority
from posko.console.views import forbidden, officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.models import Unit
from posko.org.permissions import NotPermitted
from posko.training.actions import TrainingError, do_start_exercise, do_submit_exercise
from posko.training.models import TrainingAttempt
from posko.training.selectors import may_read_records, officer_records, own_attempts

CHOOSE = ("", gettext_lazy("— Pilih —"))


class ExerciseForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Kategori"), choices=[CHOOSE, *Category.choices]
    )
    priority = forms.ChoiceField(
        label=gettext_lazy("Prioritas"),
        choices=[CHOOSE, *Priority.choices],
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Satuan penanganan"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— Pilih —"),
    )
    reply = forms.CharField(
        label=gettext_lazy("Balasan untuk pelapor"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: object, polres: Unit, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = cast(forms.ModelChoiceField, self.fields["unit"])
        field.queryset = Unit.objects.filter(parent=polres).order_by("kind", "name")


@officer_required
def training(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            attempt = do_start_exercise(acting_user=staff_user(request))
        except NotPermitted as exc:
            return forbidden(request, exc)
        except TrainingError as exc:
            messages.error(request, str(exc))
            return redirect("console:training")
        return redirect("console:training_exercise", pk=attempt.pk)
    return render(
        request,
        "console/training.html",
        {
            "attempts": own_attempts(request.user),
            "may_read_records": may_read_records(request.user),
        },
    )


@officer_required
def training_exercise(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(
        TrainingAttempt.objects.select_related("unit", "source__handling_unit"),
        pk=pk,
        officer__user=request.user,
    )
    form = ExerciseForm(request.POST or None, polres=polres_of_request(request))
    if request.method == "POST" and attempt.submitted_at is None and form.is_valid():
        data = form.cleaned_data
        try:
            do_submit_exercise(
                attempt,
                category=data["category"],
                priority=data["priority"],
                unit=data["unit"],
                reply=data["reply"],
                acting_user=staff_user(request),
            )
        except NotPermitted as exc:
            return forbidden(request, exc)
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Latihan dinilai."))
            return redirect("console:training_exercise", pk=attempt.pk)
    return render(request, "console/training_exercise.html", {"attempt": attempt, "form": form})


@officer_required
def training_records(request: HttpRequest) -> HttpResponse:
    try:
        polres, records = officer_records(request.user)
    except NotPermitted as exc:
        return forbidden(request, exc)
    return render(request, "console/training_records.html", {"polres": polres, "records": records})
