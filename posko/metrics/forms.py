from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from posko.metrics.actions.satisfaction import MAX_COMMENT, Answer


class SatisfactionForm(forms.Form):
    solved = forms.ChoiceField(
        label=_("Apakah masalah Anda sudah terselesaikan?"),
        choices=[("ya", _("Ya, sudah")), ("tidak", _("Belum"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih ya atau belum."),
            "invalid_choice": _("Pilih ya atau belum."),
        },
    )
    rating = forms.TypedChoiceField(
        label=_("Penilaian layanan (1 = buruk, 5 = sangat baik)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih penilaian 1 sampai 5."),
            "invalid_choice": _("Pilih penilaian 1 sampai 5."),
        },
    )
    comment = forms.CharField(
        label=_("Komentar (boleh dikosongkan)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(solved=data["solved"] == "ya", rating=data["rating"], comment=data["comment"])
