"""Console forms of the channels: official accounts (credentials write-only), moderation."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posko.channels.models import ChannelAccount, NoticeEvent, Platform

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

# Secret credentials per platform: (key, label). Write-only in the console.
SECRET_FIELDS: dict[str, list[tuple[str, _StrOrPromise]]] = {
    Platform.WHATSAPP: [
        ("access_token", _("Token akses (system user)")),
        ("app_secret", _("App secret Meta")),
        ("verify_token", _("Verify token webhook")),
    ],
    Platform.INSTAGRAM: [
        ("access_token", _("Token akses")),
        ("app_secret", _("App secret Meta")),
        ("verify_token", _("Verify token webhook")),
    ],
    Platform.FACEBOOK: [
        ("access_token", _("Token akses Halaman")),
        ("app_secret", _("App secret Meta")),
        ("verify_token", _("Verify token webhook")),
    ],
    Platform.TELEGRAM: [
        ("bot_token", _("Token bot")),
        ("secret_token", _("Secret token webhook")),
    ],
    Platform.X: [
        ("bearer_token", _("Bearer token aplikasi")),
        ("user_access_token", _("Token akses pengguna (untuk membalas)")),
        ("consumer_secret", _("Consumer secret (webhook)")),
    ],
    Platform.SMS: [
        ("api_key", _("Kunci API gateway")),
        ("webhook_secret", _("Rahasia webhook")),
    ],
    Platform.EMAIL: [
        ("imap_password", _("Sandi IMAP")),
        ("smtp_password", _("Sandi SMTP")),
    ],
}
EXTERNAL_ID_HELP: dict[str, _StrOrPromise] = {
    Platform.WHATSAPP: _("Phone number ID dari WhatsApp Manager."),
    Platform.INSTAGRAM: _("ID akun profesional Instagram."),
    Platform.FACEBOOK: _("ID Halaman Facebook."),
    Platform.TELEGRAM: _("ID bot (angka sebelum titik dua pada token)."),
    Platform.X: _("ID pengguna X akun Polres."),
    Platform.SMS: _("Nomor SMS Polres."),
    Platform.EMAIL: _("Alamat e-mail kotak masuk, mis. pengaduan@polres.example."),
}


class AccountForm(forms.Form):
    """Add or edit an official account. Stored secrets are never sent back to the browser: an
    empty secret field keeps the stored value."""

    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    external_id = forms.CharField(label=_("ID akun di platform"), max_length=200)
    name = forms.CharField(label=_("Nama akun"), max_length=120, required=False)
    api_base = forms.URLField(
        label=_("Alamat API"),
        required=False,
        assume_scheme="https",
        help_text=_("Kosongkan untuk alamat resmi platform."),
    )
    config = forms.CharField(
        label=_("Pengaturan lanjutan (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            'Contoh: {"window_template": {"name": "status_aduan", "language": "id"}} '
            'atau {"imap_host": "imap.example", "smtp_host": "smtp.example"}.'
        ),
    )
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(
        self, *args: Any, account: ChannelAccount | None = None, platform: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        if account is not None:
            platform = account.platform
            self.fields["platform"].disabled = True
            self.fields["external_id"].disabled = True
            self.initial.setdefault("platform", account.platform)
            self.initial.setdefault("external_id", account.external_id)
            self.initial.setdefault("name", account.name)
            self.initial.setdefault("api_base", account.api_base)
            self.initial.setdefault("is_active", account.is_active)
            shown = {k: v for k, v in account.config.items() if k != "last_poll_at"}
            self.initial.setdefault("config", json.dumps(shown, indent=1) if shown else "")
        platform = platform or str(self.data.get("platform", "")) or Platform.WHATSAPP
        if platform in Platform.values:
            self.initial.setdefault("platform", platform)
            self.fields["external_id"].help_text = EXTERNAL_ID_HELP.get(platform, "")
        stored = set(account.credentials) if account is not None else set()
        self.secret_keys: list[str] = []
        for key, label in SECRET_FIELDS.get(platform, []):
            self.secret_keys.append(key)
            self.fields[f"secret_{key}"] = forms.CharField(
                label=label,
                required=False,
                strip=True,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                help_text=(
                    _("Tersimpan. Kosongkan untuk tetap memakai nilai yang tersimpan.")
                    if key in stored
                    else _("Belum diisi.")
                ),
            )

    def secret_fields(self) -> list[forms.BoundField]:
        return [self[f"secret_{key}"] for key in self.secret_keys]

    def clean_config(self) -> dict[str, Any]:
        raw = self.cleaned_data.get("config", "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("Pengaturan harus berupa JSON yang sah.")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Pengaturan harus berupa objek JSON ({"kunci": nilai}).'))
        return value

    def credentials(self) -> dict[str, str]:
        """Only the secrets typed in now (empty ones keep the stored values)."""
        return {
            key: self.cleaned_data[f"secret_{key}"]
            for key in self.secret_keys
            if self.cleaned_data.get(f"secret_{key}")
        }


class ModerationFilterForm(forms.Form):
    flagged = forms.BooleanField(label=_("Hanya yang ditandai provokatif"), required=False)
    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        choices=[("", _("Semua platform"))]
        + [(p.value, p.label) for p in (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.X)],
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Perlu ditangani")), ("semua", _("Semua"))],
    )


class ModerationReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Balasan publik"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tampil untuk umum di bawah komentar: jangan cantumkan data pribadi."),
    )


def config_update(form: AccountForm) -> dict[str, Any]:
    """The submitted config replaces the shown one: keys removed in the form are removed
    (``None`` tells ``do_save_account`` to drop a key); internal keys are kept."""
    new: dict[str, Any] = dict(form.cleaned_data["config"])
    if form.account is not None:
        for key in form.account.config:
            if key not in new and key != "last_poll_at":
                new[key] = None
    return new


class NoticeTemplateForm(forms.Form):
    event = forms.ChoiceField(choices=NoticeEvent.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Teks"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Pakai templat ini"), required=False, initial=True)
