from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from lokal import parse_phone

from posko.aduan.models import Category
from posko.aduan.photos import MAX_PHOTOS, CleanPhoto, clean_photos
from posko.org.models import Unit
from posko.regions.models import Region, RegionLevel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


def desa_choices(polres: Unit) -> list[tuple[str, list[tuple[str, str]]]]:
    """Desa grouped by kecamatan, for the desa picker."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    if polres.region is None:
        return groups
    for kec in polres.region.children.filter(level=RegionLevel.KECAMATAN).order_by("name"):
        desa = [(d.code, d.name) for d in kec.children.order_by("name")]
        groups.append((f"Kec. {kec.name}", desa))
    return groups


def normalize_phone(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    parsed = parse_phone(value)
    if not parsed.valid:
        raise ValidationError(
            "Nomor telepon tidak valid. Contoh yang benar: 0812 3456 7890.", code="phone"
        )
    return str(parsed.e164)


class LaporForm(forms.Form):
    text = forms.CharField(
        label="Apa yang ingin Anda laporkan?",
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "Ceritakan kejadiannya: apa, di mana, kapan…"}
        ),
        error_messages={
            "required": "Isi laporan wajib diisi.",
            "min_length": "Isi laporan terlalu pendek (minimal %(limit_value)d karakter).",
            "max_length": "Isi laporan terlalu panjang (maksimal %(limit_value)d karakter).",
        },
    )
    category = forms.ChoiceField(
        label="Kategori (boleh dikosongkan)",
        required=False,
        choices=[("", "— Biarkan petugas yang menentukan —"), *Category.choices],
    )
    desa = forms.ChoiceField(label="Desa/kelurahan kejadian (jika tahu)", required=False)
    photos = MultipleImageField(
        label=f"Foto pendukung (maksimal {MAX_PHOTOS}, JPEG/PNG/WEBP, ≤ 5 MB)", required=False
    )
    anonymous = forms.BooleanField(label="Kirim tanpa identitas (anonim)", required=False)
    name = forms.CharField(label="Nama", max_length=120, required=False)
    phone = forms.CharField(label="Nomor HP/WhatsApp", max_length=30, required=False)
    consent = forms.BooleanField(
        label="Saya menyatakan laporan ini benar dan menyetujui data saya diproses oleh Polres "
        "hanya untuk menindaklanjuti laporan ini.",
        error_messages={"required": "Centang persetujuan untuk mengirim laporan."},
    )
    # Honeypot: hidden from people by CSS; bots fill it in.
    website = forms.CharField(label="Jangan diisi", required=False)

    def __init__(self, *args: Any, polres: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.polres = polres
        cast(forms.ChoiceField, self.fields["desa"]).choices = [
            ("", "— Tidak tahu / tidak disebut —"),
            *desa_choices(polres),
        ]
        self.cleaned_photos: list[CleanPhoto] = []

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone", ""))

    def clean_desa(self) -> Region | None:
        code = self.cleaned_data.get("desa")
        if not code:
            return None
        desa = Region.objects.filter(
            code=code, level=RegionLevel.DESA, parent__parent=self.polres.region
        ).first()
        if desa is None:
            raise ValidationError("Desa tidak dikenal.", code="desa")
        return desa

    def clean_photos(self) -> list[Any]:
        files = self.cleaned_data.get("photos") or []
        self.cleaned_photos = clean_photos(files)
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise ValidationError("Laporan tidak dapat diproses.", code="honeypot")
        return data


class LacakForm(forms.Form):
    kode = forms.CharField(
        label="Kode lacak",
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": "mis. BLT-7K3Q9P", "autocapitalize": "characters"}
        ),
        error_messages={"required": "Masukkan kode lacak Anda."},
    )
