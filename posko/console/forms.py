from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIteratorValue
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


def picker_units(polres: Unit) -> QuerySet[Unit]:
    """The Polres's satuan and Polsek, in the pickers' order (kind, then name)."""
    return Unit.objects.filter(parent=polres, kind__in=[UnitKind.SATUAN, UnitKind.POLSEK])


def preload_choices(field: forms.ModelChoiceField, rows: list[Any]) -> None:
    """Give ``field`` the choices its queryset would list, from ``rows`` already read (the
    same values, labels and empty choice; a submitted value is still checked against the
    queryset)."""
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = [
        *empty,
        *((ModelChoiceIteratorValue(row.pk, row), field.label_from_instance(row)) for row in rows),
    ]


def is_field_officer(officer: Officer) -> bool:
    """A Bhabinkamtibmas or a Polsek officer: works from a phone in the field, on their own
    desa or kecamatan (own filters only, no bulk actions in the inbox)."""
    return officer.role == Role.BHABINKAMTIBMAS or officer.unit.kind == UnitKind.POLSEK


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

    UNIT_PICKERS = (("unit", UnitKind.SATUAN), ("polsek", UnitKind.POLSEK))

    def __init__(
        self, *args: Any, polres: Unit, officer: Officer | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in self.UNIT_PICKERS:
            _model_choice(self, name).queryset = Unit.objects.filter(parent=polres, kind=kind)
        if officer is None or not self._scope_to(officer):
            _choice(self, "desa").choices = [("", _("Semua")), *desa_choices(polres)]

    def use_units(self, units: list[Unit]) -> None:
        """List the unit and Polsek pickers from ``units`` (:func:`picker_units` of the
        Polres, already read for the bulk form and the rows) instead of a query each."""
        for name, kind in self.UNIT_PICKERS:
            if name in self.fields:
                preload_choices(_model_choice(self, name), [u for u in units if u.kind == kind])

    def _scope_to(self, officer: Officer) -> bool:
        """Field officers get their own filters only: no Polres-wide unit/Polsek pickers,
        and the desa picker lists their own desa (a Polsek's: its kecamatan's). False for
        everyone else (the Polres-wide pickers stay)."""
        if not is_field_officer(officer):
            return False
        if officer.role == Role.BHABINKAMTIBMAS:
            own = [(d.code, d.name) for d in officer.desa.order_by("name")]
        else:
            own = [
                (d.code, d.name)
                for d in Region.objects.filter(
                    level=RegionLevel.DESA, parent__in=officer.unit.kecamatan.all()
                ).order_by("name")
            ]
        for name in ("unit", "polsek", "channel"):
            del self.fields[name]
        if len(own) > 1:
            _choice(self, "desa").choices = [("", _("Semua")), *own]
        else:
            del self.fields["desa"]
        return True

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
