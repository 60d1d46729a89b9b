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

from posko.core.ratelimit import hit, hit_anonymous, is_limited
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
            if request.POST.get("action") == "tukar":
                from posko.publishing.actions.ronda_swaps import do_request_swap

                do_request_swap(
                    token,
                    phone,
                    replacement_name=request.POST.get("replacement_name", ""),
                    replacement_phone=request.POST.get("replacement_phone", ""),
                    reason=request.POST.get("reason", ""),
                )
                context["done"] = _("Permintaan tukar jaga terkirim ke koordinator.")
            elif request.POST.get("action") == "laporan":
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


class TipForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Informasi Anda"),
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    desa = forms.ChoiceField(label=gettext_lazy("Desa (boleh kosong)"), required=False)

    def __init__(self, *args: object, polres: object, **kwargs: object) -> None:
        from posko.org.lookup import polres_desa

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices: list[tuple[str, str]] = [("", _("— tidak disebutkan —"))]
        choices += [(d.code, d.name) for d in polres_desa(polres).order_by("name")]  # type: ignore[arg-type]
        desa = self.fields["desa"]
        assert isinstance(desa, forms.ChoiceField)
        desa.choices = choices


def _appeal(polres: object, raw: str | None) -> object:

    if not raw or not raw.isdigit() or len(raw) > 12:
        return None
    return public_posts(polres, [PostKind.APPEAL], days=365).filter(pk=int(raw)).first()  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
def tips(request: HttpRequest) -> HttpResponse:
    """/info/: an anonymous tip, in answer to an appeal (``?imbauan=<id>``) or on its own;
    ``?kode=INFO-…`` shows the unit's answer. Nothing about the sender is kept: no session, no
    address (the rate limit counts a keyed hash in the cache only), no device."""
    from posko.org.lookup import desa_of_polres
    from posko.publishing.actions.tips import do_submit_tip, tip_by_code

    polres = current_polres()
    appeal = _appeal(polres, request.POST.get("imbauan") or request.GET.get("imbauan"))
    context: dict[str, object] = {"polres": polres, "appeal": appeal}
    status = 200
    form = TipForm(request.POST or None, polres=polres)
    code = request.GET.get("kode", "").strip()[:30]
    if code:
        limited = hit_anonymous(request, "info-code", "20/10m")
        context["followed"] = None if limited else tip_by_code(polres, code)
        context["code"] = code
    if request.method == "POST":
        if hit_anonymous(request, "info", "5/10m"):
            form.add_error(None, _("Terlalu banyak kiriman. Coba lagi beberapa menit lagi."))
        elif form.is_valid():
            try:
                tip = do_submit_tip(
                    polres,
                    text=form.cleaned_data["text"],
                    appeal=appeal,  # type: ignore[arg-type]
                    desa=desa_of_polres(polres, form.cleaned_data["desa"]),
                )
            except PostError as exc:
                for error in exc.errors:
                    form.add_error(None, error)
            else:
                context["sent"] = tip
                form = TipForm(polres=polres)
        status = 200 if "sent" in context else 400
    context["form"] = form
    return render(request, "publishing/info.html", context, status=status)
