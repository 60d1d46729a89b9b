"""Public views: subscribing to the alerts of a desa (phone first, Indonesian first)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from posko.core.ratelimit import hit, is_limited
from posko.org.lookup import polres_desa
from posko.org.models import Unit
from posko.portal.views import current_polres
from posko.publishing.access import public_posts
from posko.publishing.actions.common import PostError
from posko.publishing.actions.subscribers import do_confirm_subscription, do_request_subscription
from posko.publishing.models import PostKind, PostMedia, PostStatus
from posko.regions.models import Region, RegionLevel

PHONE_SESSION_KEY = "posko_langganan_phone"
NOT_PUBLIC = {
    PostStatus.DRAFT,
    PostStatus.IN_REVIEW,
    PostStatus.CHANGES_REQUESTED,
    PostStatus.REJECTED,
}


class SubscribeForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Nomor HP (WhatsApp)"), max_length=30)
    area = forms.ChoiceField(label=gettext_lazy("Desa atau kecamatan Anda"))
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Saya setuju menerima peringatan keamanan dan info lalu lintas dari Polres lewat "
            "WhatsApp. Saya bisa berhenti kapan saja dengan membalas BERHENTI."
        )
    )

    def __init__(self, *args: object, polres: Unit, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices: list[tuple[str, str]] = [("", _("— pilih —"))]
        kecamatan = Region.objects.filter(level=RegionLevel.KECAMATAN, parent_id=polres.region_id)
        regions = (kecamatan | polres_desa(polres)).order_by("code")
        for region in regions:
            if region.level == RegionLevel.KECAMATAN:
                choices.append(
                    (region.code, _("Seluruh Kecamatan %(name)s") % {"name": region.name})
                )
            else:
                choices.append((region.code, f"— {region.name}"))
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = choices


class ConfirmForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Nomor HP (WhatsApp)"), max_length=30)
    code = forms.CharField(label=gettext_lazy("Kode 6 angka"), max_length=6, min_length=6)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    polres = current_polres()
    form = SubscribeForm(request.POST or None, polres=polres)
    status = 200
    if request.method == "POST":
        if is_limited(request, "langganan", settings.POSKO_RATE_SUBSCRIBE):
            form.add_error(None, _("Terlalu banyak permintaan. Coba lagi beberapa menit lagi."))
            status = 429
        elif form.is_valid():
            hit(request, "langganan", settings.POSKO_RATE_SUBSCRIBE)
            area = Region.objects.get(code=form.cleaned_data["area"])
            try:
                subscriber = do_request_subscription(polres, form.cleaned_data["phone"], area)
            except PostError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                request.session[PHONE_SESSION_KEY] = subscriber.address
                return redirect("langganan_konfirmasi")
        else:
            status = 400
    return render(
        request, "publishing/langganan.html", {"form": form, "polres": polres}, status=status
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    polres = current_polres()
    initial = {"phone": request.session.get(PHONE_SESSION_KEY, "")}
    form = ConfirmForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if is_limited(request, "langganan-kode", settings.POSKO_RATE_SUBSCRIBE):
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi beberapa menit lagi."))
            status = 429
        elif form.is_valid():
            hit(request, "langganan-kode", settings.POSKO_RATE_SUBSCRIBE)
            try:
                do_confirm_subscription(
                    polres, form.cleaned_data["phone"], form.cleaned_data["code"]
                )
            except PostError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                request.session.pop(PHONE_SESSION_KEY, None)
                return render(request, "publishing/langganan_aktif.html", {"polres": polres})
        else:
            status = 400
    return render(
        request,
        "publishing/langganan_konfirmasi.html",
        {"form": form, "polres": polres},
        status=status,
    )


APPEAL_KINDS = (PostKind.APPEAL, PostKind.SECURITY_WARNING, PostKind.TRAFFIC, PostKind.HOAX)


def appeals(request: HttpRequest) -> HttpResponse:
    """/imbauan/: appeals, warnings and advisories published in the last 30 days."""
    polres = current_polres()
    posts = public_posts(polres, APPEAL_KINDS)[:50]
    return render(request, "publishing/imbauan.html", {"polres": polres, "posts": posts})


def events(request: HttpRequest) -> HttpResponse:
    """/kegiatan/: events the Polres has announced (published in the last 60 days)."""
    polres = current_polres()
    posts = public_posts(polres, [PostKind.EVENT], days=60)[:50]
    return render(request, "publishing/kegiatan.html", {"polres": polres, "posts": posts})


@require_http_methods(["GET", "POST"])
def ronda(request: HttpRequest, token: str) -> HttpResponse:
    """/ronda/<token>/ (the QR code at the pos): check in, then report at the end of the shift."""
    from posko.publishing.actions.ronda import do_check_in, do_report_shift
    from posko.publishing.models import RondaPost

    post = RondaPost.objects.select_related("desa").filter(token=token).first()
    if post is None:
        raise Http404
    phone = request.POST.get("phone", "")
    context: dict[str, object] = {"pos": post, "phone": phone}
    status = 200
    if request.method == "POST":
        try:
            if is_limited(request, "ronda", "30/10m"):
                raise PostError(_("Terlalu banyak percobaan. Coba lagi beberapa menit lagi."))
            hit(request, "ronda", "30/10m")
            if request.POST.get("action") == "laporan":
                text = request.POST.get("text", "")
                do_report_shift(token, phone, text, request.FILES.get("photo"))
                context["done"] = _("Laporan akhir jaga terkirim. Terima kasih.")
            else:
                member = do_check_in(token, phone)
                context["done"] = _("Absen tercatat: %(name)s, pukul %(time)s.") % {
                    "name": member.name,
                    "time": f"{timezone.localtime(member.checked_in_at):%H:%M}",
                }
        except PostError as exc:
            context["error"] = str(exc)
            status = 400
    return render(request, "publishing/ronda.html", context, status=status)


def media(request: HttpRequest, token: str) -> FileResponse:
    """A post photo, once the post is approved (never drafts or rejected posts)."""
    item = PostMedia.objects.select_related("post").filter(public_token=token).first()
    if item is None or item.post.status in NOT_PUBLIC:
        raise Http404
    return FileResponse(item.file.open("rb"), content_type=item.content_type)
