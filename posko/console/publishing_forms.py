"""Forms of the publishing console pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posko.channels.models import ChannelAccount
from posko.org.lookup import polres_desa
from posko.org.models import Unit
from posko.publishing.kinds import KIND_FIELDS
from posko.publishing.limits import LIMITS
from posko.publishing.models import Post, PostKind, PostSeries, SeriesFrequency
from posko.regions.models import Region


class AccountChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, ChannelAccount)
        return f"{obj.get_platform_display()} — {obj.name}"


class ComposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=PostKind.choices)
    title = forms.CharField(label=_("Judul (untuk daftar)"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Teks"), widget=forms.Textarea(attrs={"rows": 6, "data-counter": "post"})
    )
    accounts = AccountChoice(
        label=_("Akun tujuan"),
        queryset=ChannelAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    publish_at = forms.DateTimeField(
        label=_("Waktu terbit"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Kosongkan untuk terbit segera setelah disetujui."),
    )
    desa = forms.ModelMultipleChoiceField(
        label=_("Desa sasaran (peringatan WhatsApp ke pelanggan)"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, polres: Unit, post: Post | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        accounts = self.fields["accounts"]
        assert isinstance(accounts, forms.ModelMultipleChoiceField)
        accounts.queryset = ChannelAccount.objects.filter(
            polres=polres, platform__in=list(LIMITS), is_active=True
        ).order_by("platform", "name")
        desa = self.fields["desa"]
        assert isinstance(desa, forms.ModelMultipleChoiceField)
        desa.queryset = polres_desa(polres).order_by("name")
        seen: set[str] = set()
        for kind, kind_fields in KIND_FIELDS.items():
            for field in kind_fields:
                if field.name in seen:
                    continue
                seen.add(field.name)
                self.fields[f"f_{field.name}"] = forms.CharField(
                    label=str(field.label),
                    required=False,
                    max_length=500,
                    widget=forms.TextInput(attrs={"data-kinds": kind}),
                )
        for account in accounts.queryset:
            self.fields[f"variant_{account.pk}"] = forms.CharField(
                label=_("Teks khusus %(account)s (kosong = teks utama)")
                % {"account": f"{account.get_platform_display()} — {account.name}"},
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 3, "data-counter": account.platform, "data-account": account.pk}
                ),
            )
        if post is not None and not self.is_bound:
            self.initial.update(
                {
                    "kind": post.kind,
                    "title": post.title,
                    "text": post.text,
                    "accounts": [t.account_id for t in post.targets.all()],
                    "publish_at": post.publish_at,
                    "desa": list(post.desa.all()),
                    **{f"f_{k}": v for k, v in post.fields.items()},
                    **{f"variant_{t.account_id}": t.text for t in post.targets.all()},
                }
            )

    def kind_fields(self) -> list[tuple[str, forms.BoundField]]:
        """(kind, field) pairs: the composer shows only the chosen kind's fields."""
        return [
            (str(self.fields[name].widget.attrs["data-kinds"]), self[name])
            for name in self.fields
            if name.startswith("f_")
        ]

    def variant_fields(self) -> list[tuple[str, forms.BoundField]]:
        return [(name[8:], self[name]) for name in self.fields if name.startswith("variant_")]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    url = forms.URLField(
        label=_("Alamat posting di platform"), max_length=500, assume_scheme="https"
    )


class SeriesForm(forms.Form):
    """A recurring post: kind, text, accounts, the first time, weekly/monthly, and its end."""

    kind = forms.ChoiceField(label=_("Jenis"), choices=PostKind.choices)
    title = forms.CharField(label=_("Judul (untuk daftar)"), max_length=200, required=False)
    text = forms.CharField(label=_("Teks"), widget=forms.Textarea(attrs={"rows": 5}))
    accounts = AccountChoice(
        label=_("Akun tujuan"),
        queryset=ChannelAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    first_at = forms.DateTimeField(
        label=_("Terbit pertama"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    frequency = forms.ChoiceField(label=_("Diulang"), choices=SeriesFrequency.choices)
    until = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    count = forms.IntegerField(
        label=_("atau sebanyak (kali)"), required=False, min_value=1, max_value=52
    )

    def __init__(self, *args: Any, polres: Unit, series: PostSeries | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        accounts = self.fields["accounts"]
        assert isinstance(accounts, forms.ModelMultipleChoiceField)
        accounts.queryset = ChannelAccount.objects.filter(
            polres=polres, platform__in=list(LIMITS), is_active=True
        ).order_by("platform", "name")
        seen: set[str] = set()
        for kind, kind_fields in KIND_FIELDS.items():
            for field in kind_fields:
                if field.name not in seen:
                    seen.add(field.name)
                    self.fields[f"f_{field.name}"] = forms.CharField(
                        label=str(field.label),
                        required=False,
                        max_length=500,
                        widget=forms.TextInput(attrs={"data-kinds": kind}),
                    )
        if series is not None and not self.is_bound:
            self.initial.update(
                {
                    "kind": series.kind,
                    "title": series.title,
                    "text": series.text,
                    "accounts": list(series.accounts.values_list("pk", flat=True)),
                    "first_at": series.first_at,
                    "frequency": series.frequency,
                    "until": series.until,
                    "count": series.count,
                    **{f"f_{k}": v for k, v in series.fields.items()},
                }
            )

    def kind_fields(self) -> list[tuple[str, forms.BoundField]]:
        return [
            (str(self.fields[name].widget.attrs["data-kinds"]), self[name])
            for name in self.fields
            if name.startswith("f_")
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV rencana publikasi"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
