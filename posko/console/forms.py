from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from posko.aduan.inbox import ALL_STATUSES, OPEN, InboxFilters
from posko.aduan.models import Category, Channel, Priority, Status, Tone
from posko.aduan.models.choices import STAFF_INTAKE_CHANNELS, TRANSITIONS
from posko.core.phones import normalize_phone
from posko.core.widgets import FastSelect, ListedModelChoiceField
from posko.org.lookup import desa_choices, desa_of_polres
from posko.org.models import Officer, Role, Unit, UnitKind
from posko.regions.models import Region, RegionLevel


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini dinonaktifkan."),
    }


def _desa_field(polres: Unit, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", _("— Semua / tidak diketahui —")), *desa_choices(polres)],
    )


def _resolve_desa(polres: Unit, code: str | None) -> Region | None:
    if not code:
        return None
    desa = desa_of_polres(polres, code)
    if desa is None:
        raise forms.ValidationError(_("Desa tidak dikenal."))
    return desa


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Terbuka")), (ALL_STATUSES, _("Semua")), *Status.choices],
        widget=FastSelect,
    )
    category = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        choices=[("", _("Semua")), *Category.choices],
        widget=FastSelect,
    )
    unit = ListedModelChoiceField(
        label=_("Satuan"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("Semua"),
        widget=FastSelect,
    )
    polsek = ListedModelChoiceField(
        label=_("Polsek"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("Semua"),
        widget=FastSelect,
    )
    desa = forms.ChoiceField(label=_("Desa"), required=False, widget=FastSelect)
    channel = forms.ChoiceField(
        label=_("Kanal"),
        required=False,
        choices=[("", _("Semua")), *Channel.choices],
        widget=FastSelect,
    )
    overdue = forms.BooleanField(label=_("Lewat SLA"), required=False)
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)

    def __init__(
        self, *args: Any, polres: Unit, officer: Officer | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "unit").queryset = Unit.objects.filter(
            parent=polres, kind=UnitKind.SATUAN
        )
        _model_choice(self, "polsek").queryset = Unit.objects.filter(
            parent=polres, kind=UnitKind.POLSEK
        )
        _choice(self, "desa").choices = [("", _("Semua")), *desa_choices(polres)]
        if officer is not None:
            self._scope_to(officer)

    def _scope_to(self, officer: Officer) -> None:
        """Field officers get their own filters only: no Polres-wide unit/Polsek pickers,
        and the desa picker lists their own desa (a Polsek's: its kecamatan's)."""
        if officer.role == Role.BHABINKAMTIBMAS:
            own = [(d.code, d.name) for d in officer.desa.order_by("name")]
        elif officer.unit.kind == UnitKind.POLSEK:
            own = [
                (d.code, d.name)
                for d in Region.objects.filter(
                    level=RegionLevel.DESA, parent__in=officer.unit.kecamatan.all()
                ).order_by("name")
            ]
        else:
            return
        for name in ("unit", "polsek", "channel"):
            del self.fields[name]
        if len(own) > 1:
            _choice(self, "desa").choices = [("", _("Semua")), *own]
        else:
            del self.fields["desa"]

    def filters(self, **extra: Any) -> InboxFilters:
        if not self.is_valid():
            return InboxFilters(**extra)
        d = self.cleaned_data
        unit, polsek = d.get("unit"), d.get("polsek")
        return InboxFilters(
            status=d["status"] or OPEN,
            category=d["category"],
            unit=unit.pk if unit else None,
            polsek=polsek.pk if polsek else None,
            desa=d.get("desa", ""),
            channel=d.get("channel", ""),
            overdue=d["overdue"],
            q=d["q"],
            **extra,
        )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Pesan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Isi pesan wajib diisi.")},
    )
    internal = forms.BooleanField(
        label=_("Catatan internal (tidak terlihat pelapor)"), required=False
    )
    status = forms.ChoiceField(label=_("Sekaligus ubah status"), required=False)
    urgent = forms.BooleanField(
        label=_("Balasan keselamatan mendesak (kirim tanpa menunggu persetujuan)"), required=False
    )

    def __init__(self, *args: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(current or "", frozenset())
        _choice(self, "status").choices = [
            ("", _("— Status tetap —")),
            *[c for c in Status.choices if c[0] in allowed],
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=Status.choices)
    reason = forms.CharField(
        label=_("Alasan (ditampilkan kepada pelapor)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(current, frozenset())
        _choice(self, "status").choices = [c for c in Status.choices if c[0] in allowed]


class OfficerSelect(forms.Select):
    """Each option names its officer's unit (``data-unit``): console.js shows only the
    officers of the unit chosen beside it."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-unit"] = str(instance.unit_id)
        return option


class OfficerChoiceField(forms.ModelChoiceField):
    widget = OfficerSelect

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} — {obj.unit.name}"


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Satuan"), queryset=Unit.objects.none())
    officer = OfficerChoiceField(
        label=_("Petugas (opsional)"),
        queryset=Officer.objects.none(),
        required=False,
        widget=OfficerSelect(attrs={"data-filter-by": "id_unit"}),
    )

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(parent=polres, kind__in=[UnitKind.SATUAN, UnitKind.POLSEK])
        _model_choice(self, "unit").queryset = units
        _model_choice(self, "officer").queryset = Officer.objects.filter(
            unit__in=units
        ).select_related("user", "unit")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        officer, unit = data.get("officer"), data.get("unit")
        if officer and unit and officer.unit_id != unit.pk:
            self.add_error("officer", _("Petugas ini bukan anggota satuan yang dipilih."))
        return data


class LabelForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    priority = forms.ChoiceField(label=_("Prioritas"), choices=Priority.choices)
    tone = forms.ChoiceField(label=_("Nada"), choices=Tone.choices)
    desa = forms.ChoiceField(label=_("Desa"), required=False)

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.polres = polres
        _choice(self, "desa").choices = [("", _("— Tidak diketahui —")), *desa_choices(polres)]

    def clean_desa(self) -> Region | None:
        return _resolve_desa(self.polres, self.cleaned_data.get("desa"))


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Diterima melalui"),
        choices=[(c.value, c.label) for c in STAFF_INTAKE_CHANNELS],
    )
    text = forms.CharField(
        label=_("Isi aduan"),
        min_length=5,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Isi aduan wajib diisi.")},
    )
    category = forms.ChoiceField(
        label=_("Kategori (kosongkan untuk triase otomatis)"),
        required=False,
        choices=[("", _("— Triase otomatis —")), *Category.choices],
    )
    desa = forms.ChoiceField(label=_("Desa kejadian"), required=False)
    anonymous = forms.BooleanField(label=_("Pelapor minta anonim"), required=False)
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=120, required=False)
    reporter_phone = forms.CharField(label=_("Telepon pelapor"), max_length=30, required=False)

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.polres = polres
        _choice(self, "desa").choices = [("", _("— Tidak diketahui —")), *desa_choices(polres)]

    def clean_desa(self) -> Region | None:
        return _resolve_desa(self.polres, self.cleaned_data.get("desa"))

    def clean_reporter_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("reporter_phone", ""))


class LandmarkForm(forms.Form):
    name = forms.CharField(label=_("Nama tempat"), max_length=120)
    desa = forms.ChoiceField(label=_("Desa"))
    aliases = forms.CharField(
        label=_("Nama lain (pisahkan dengan koma)"), max_length=300, required=False
    )

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.polres = polres
        _choice(self, "desa").choices = [("", _("— Pilih desa —")), *desa_choices(polres)]

    def clean_desa(self) -> Region | None:
        desa = _resolve_desa(self.polres, self.cleaned_data.get("desa"))
        if desa is None:
            raise forms.ValidationError(_("Pilih desa tempat landmark berada."))
        return desa


class JoinIncidentForm(forms.Form):
    code = forms.CharField(label=_("Kode aduan lain (kejadian yang sama)"), max_length=20)


class MergeIncidentForm(forms.Form):
    other = forms.IntegerField(label=_("Nomor insiden lain"), min_value=1)


class SubjectForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Satuan yang diadukan"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— Tidak diketahui —"),
    )
    officer = OfficerChoiceField(
        label=_("Anggota yang diadukan (opsional)"), queryset=Officer.objects.none(), required=False
    )

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(parent=polres, kind__in=[UnitKind.SATUAN, UnitKind.POLSEK])
        _model_choice(self, "unit").queryset = units
        _model_choice(self, "officer").queryset = Officer.objects.filter(
            unit__in=[*units, polres]
        ).select_related("user", "unit")
