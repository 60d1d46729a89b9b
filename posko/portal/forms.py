from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posko.aduan.models import Category
from posko.aduan.photos import MAX_PHOTOS, CleanPhoto, clean_photos, human_size
from posko.aduan.validation import InvalidAduanInput, clean_coordinates
from posko.core.phones import normalize_phone
from posko.org.lookup import desa_choices, desa_of_polres
from posko.org.models import Unit
from posko.regions.models import Region


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class LaporForm(forms.Form):
    text = forms.CharField(
        label=_("Apa yang ingin Anda laporkan?"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": _("Ceritakan kejadiannya: apa, di mana, kapan…")}
        ),
        error_messages={
            "required": _("Isi laporan wajib diisi."),
            "min_length": _("Isi laporan terlalu pendek (minimal %(limit_value)d karakter)."),
            "max_length": _("Isi laporan terlalu panjang (maksimal %(limit_value)d karakter)."),
        },
    )
    category = forms.ChoiceField(
        label=_("Kategori (boleh dikosongkan)"),
        required=False,
        choices=[("", _("— Biarkan petugas yang menentukan —")), *Category.choices],
    )
    desa = forms.ChoiceField(label=_("Desa/kelurahan kejadian (jika tahu)"), required=False)
    # The label names the limits in force: it is set per form (see __init__).
    photos = MultipleImageField(label=_("Foto pendukung"), required=False)
    anonymous = forms.BooleanField(label=_("Kirim tanpa identitas (anonim)"), required=False)
    confidential = forms.BooleanField(
        label=_("Rahasiakan identitas saya (hanya kepala satuan penanganan, Propam dan Kapolres)"),
        required=False,
    )
    # Set by the map pin (or the browser's location, after the reporter asks for it).
    latitude = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Nama"), max_length=120, required=False)
    phone = forms.CharField(label=_("Nomor HP/WhatsApp"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_(
            "Saya menyatakan laporan ini benar dan menyetujui data saya diproses oleh Polres "
            "hanya untuk menindaklanjuti laporan ini."
        ),
        error_messages={"required": _("Centang persetujuan untuk mengirim laporan.")},
    )
    # Honeypot: hidden from people by CSS; bots fill it in.
    website = forms.CharField(
        label=_("Jangan diisi"),
        required=False,
        # Out of the Tab order and of the accessibility tree (its wrapper is aria-hidden).
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.polres = polres
        cast(forms.ChoiceField, self.fields["desa"]).choices = [
            ("", gettext("— Tidak tahu / tidak disebut —")),
            *desa_choices(polres),
        ]
        self.fields["photos"].label = gettext(
            "Foto pendukung (maksimal %(count)s, JPEG/PNG/WEBP, ≤ %(size)s)"
        ) % {"count": MAX_PHOTOS, "size": human_size(settings.POSKO_PHOTO_MAX_BYTES)}
        self.cleaned_photos: list[CleanPhoto] = []

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone", ""))

    def clean_desa(self) -> Region | None:
        code = self.cleaned_data.get("desa")
        if not code:
            return None
        desa = desa_of_polres(self.polres, code)
        if desa is None:
            raise ValidationError(gettext("Desa tidak dikenal."), code="desa")
        return desa

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise ValidationError(gettext("Laporan tidak dapat diproses."), code="honeypot")
        try:
            data["latitude"], data["longitude"] = clean_coordinates(
                data.get("latitude") or None, data.get("longitude") or None
            )
        except InvalidAduanInput as exc:
            raise ValidationError(
                gettext("Titik lokasi tidak valid: %(reason)s.") % {"reason": exc}, code="location"
            ) from exc
        if data.get("anonymous"):
            data["confidential"] = False
        # Photos are decoded last, and only for a report that is otherwise valid.
        if not self.errors:
            try:
                self.cleaned_photos = clean_photos(data.get("photos") or [])
            except ValidationError as exc:
                self.add_error("photos", exc)
        return data


class LacakForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode lacak"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": _("mis. BLT-7K3Q9P"), "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Masukkan kode lacak Anda.")},
    )


class TambahInformasiForm(forms.Form):
    """What a reporter adds to their own report through its secret link."""

    text = forms.CharField(
        label=_("Informasi tambahan"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("Informasi terlalu panjang (maksimal %(limit_value)d karakter).")
        },
    )
    photos = MultipleImageField(label=_("Foto tambahan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].label = gettext(
            "Foto tambahan (maksimal %(count)s, JPEG/PNG/WEBP, ≤ %(size)s)"
        ) % {"count": MAX_PHOTOS, "size": human_size(settings.POSKO_PHOTO_MAX_BYTES)}
        self.cleaned_photos: list[CleanPhoto] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if not (data.get("text") or "").strip() and not data.get("photos"):
            raise ValidationError(
                gettext("Tulis informasi tambahan atau pilih foto."), code="empty"
            )
        try:
            self.cleaned_photos = clean_photos(data.get("photos") or [])
        except ValidationError as exc:
            self.add_error("photos", exc)
        return data
