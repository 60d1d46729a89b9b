"""Forms of the console's community pages (programmes, events, aspirations, sambang,
stakeholders, sharing, tips)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posko.org.lookup import polres_desa
from posko.org.models import Unit
from posko.publishing.models import (
    Programme,
    ProgrammeKind,
    StakeholderRole,
    SubscriberChannel,
)
from posko.regions.models import Region

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DesaChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Region.objects.none(), **kwargs)


def _desa_queryset(form: forms.Form, polres: Unit, *names: str) -> None:
    for name in names:
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = polres_desa(polres).order_by("name")


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis program"), choices=ProgrammeKind.choices)
    name = forms.CharField(label=_("Nama program"), max_length=160)
    description = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EventForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    title = forms.CharField(label=_("Judul kegiatan"), max_length=200)
    place = forms.CharField(label=_("Tempat"), max_length=200)
    desa = DesaChoice(label=_("Desa"), required=False)
    starts_at = forms.DateTimeField(label=_("Mulai"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Selesai"), required=False, widget=DATETIME)
    description = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.fields["programme"]
        assert isinstance(programme, forms.ModelChoiceField)
        programme.queryset = Programme.objects.filter(polres=polres, is_active=True)
        _desa_queryset(self, polres, "desa")


class AspirationForm(forms.Form):
    speaker = forms.CharField(label=_("Penyampai (boleh kosong)"), max_length=120, required=False)
    text = forms.CharField(
        label=_("Aspirasi"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SambangForm(forms.Form):
    desa = DesaChoice(label=_("Desa"))
    visited_at = forms.DateTimeField(label=_("Waktu kunjungan"), widget=DATETIME)
    place = forms.CharField(label=_("Rumah / tempat"), max_length=200)
    topic = forms.CharField(label=_("Topik"), max_length=200)
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _desa_queryset(self, polres, "desa")


class StakeholderForm(forms.Form):
    desa = DesaChoice(label=_("Desa"))
    role = forms.ChoiceField(label=_("Peran"), choices=StakeholderRole.choices)
    name = forms.CharField(label=_("Nama"), max_length=120)
    organisation = forms.CharField(label=_("Instansi / kelompok"), max_length=160, required=False)
    channel = forms.ChoiceField(label=_("Kanal"), choices=SubscriberChannel.choices)
    address = forms.CharField(label=_("Nomor HP atau chat id Telegram"), max_length=40)

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _desa_queryset(self, polres, "desa")


class ShareForm(forms.Form):
    text = forms.CharField(
        label=_("Peringatan atau imbauan"),
        max_length=1024,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    desa = forms.ModelMultipleChoiceField(
        label=_("Desa"),
        queryset=Region.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _desa_queryset(self, polres, "desa")


class TipReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Tanggapan (dibaca pemegang kode)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
