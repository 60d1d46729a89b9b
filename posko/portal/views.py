"""Public portal: report, track, contacts. No login, no personal data out.

Bahasa Indonesia first (the source language of every message), English when the visitor
chooses it with the language switcher (``posko/locale/en``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from posko.aduan.actions import do_submit_aduan
from posko.aduan.actions.intake import Reporter
from posko.aduan.actions.reporter import ReporterKeyRefused, do_add_reporter_information
from posko.aduan.codes import is_valid_code, normalize_code
from posko.aduan.models import Aduan, AduanMessage, Channel, MessageKind
from posko.aduan.reporter_key import reporter_key_matches
from posko.core.ratelimit import hit, is_limited
from posko.org.lookup import get_polres_by_prefix
from posko.org.models import Officer, Role, Unit, UnitKind
from posko.portal.forms import LacakForm, LaporForm, TambahInformasiForm
from posko.regions.models import RegionLevel

LAST_CODE_SESSION_KEY = "posko_last_code"
REPORTER_KEY_SESSION_KEY = "posko_reporter_key"


def current_polres() -> Unit:
    polres = get_polres_by_prefix(settings.POSKO_DEFAULT_POLRES)
    if polres is None:
        raise Http404(_("Polres belum dikonfigurasi."))
    return polres


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"polres": current_polres()})


@require_http_methods(["GET", "POST"])
def lapor(request: HttpRequest) -> HttpResponse:
    polres = current_polres()
    if request.method == "POST":
        # Every attempt counts against a wider limit before anything is parsed or decoded
        # (photos are expensive); only accepted reports count against the report limit, so
        # a citizen's typo does not use it up.
        too_many_attempts = hit(request, "lapor-attempt", settings.POSKO_RATE_REPORT_ATTEMPTS)
        form = LaporForm(request.POST, request.FILES, polres=polres)
        if too_many_attempts or is_limited(request, "lapor", settings.POSKO_RATE_REPORT):
            form.add_error(
                None,
                _(
                    "Terlalu banyak laporan dari perangkat ini. Silakan coba lagi beberapa menit "
                    "lagi, atau hubungi 110 untuk keadaan darurat."
                ),
            )
            return render(request, "portal/lapor.html", _lapor_context(form, polres), status=429)
        if form.is_valid():
            hit(request, "lapor", settings.POSKO_RATE_REPORT)
            data = form.cleaned_data
            aduan = do_submit_aduan(
                polres,
                text=data["text"],
                channel=Channel.WEB,
                reporter=Reporter(
                    name=data["name"],
                    phone=data["phone"],
                    anonymous=data["anonymous"],
                    confidential=data["confidential"],
                ),
                desa=data["desa"],
                category=data["category"] or None,
                latitude=data["latitude"],
                longitude=data["longitude"],
                photos=form.cleaned_photos,
            )
            request.session[LAST_CODE_SESSION_KEY] = aduan.code
            # Shown once on the next page, then dropped from the session.
            request.session[REPORTER_KEY_SESSION_KEY] = aduan.issued_reporter_key
            return redirect("portal:lapor_terkirim")
        return render(request, "portal/lapor.html", _lapor_context(form, polres), status=400)
    return render(request, "portal/lapor.html", _lapor_context(LaporForm(polres=polres), polres))


def _lapor_context(form: LaporForm, polres: Unit) -> dict[str, object]:
    return {
        "form": form,
        "polres": polres,
        "map_tile_url": settings.POSKO_MAP_TILE_URL,
        "map_attribution": settings.POSKO_MAP_ATTRIBUTION,
        "map_center": settings.POSKO_MAP_CENTER,
    }


def lapor_terkirim(request: HttpRequest) -> HttpResponse:
    code = request.session.get(LAST_CODE_SESSION_KEY)
    if not code:
        return redirect("portal:lapor")
    key = request.session.pop(REPORTER_KEY_SESSION_KEY, "")
    link = (
        request.build_absolute_uri(reverse("portal:tambah_informasi", args=[code, key]))
        if key
        else ""
    )
    return render(request, "portal/lapor_terkirim.html", {"code": code, "reporter_link": link})


@require_http_methods(["GET", "POST"])
def tambah_informasi(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The reporter's secret link: add information and photos to their own report."""
    if hit(request, "reporter-link", settings.POSKO_RATE_REPORTER_LINK):
        return render(
            request,
            "portal/tambah_informasi.html",
            {"refused": _("Terlalu banyak percobaan. Silakan tunggu sebentar lalu coba lagi.")},
            status=429,
        )
    code = normalize_code(code)
    aduan = Aduan.objects.filter(code=code).first() if is_valid_code(code) else None
    if aduan is None or not reporter_key_matches(aduan, key):
        return _link_refused(request)
    form = TambahInformasiForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_add_reporter_information(
                aduan, key=key, text=form.cleaned_data["text"], photos=form.cleaned_photos
            )
        except ReporterKeyRefused as exc:
            form.add_error(None, str(exc))
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Terima kasih, informasi Anda sudah kami terima."))
            return redirect("portal:tambah_informasi", code=aduan.code, key=key)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "portal/tambah_informasi.html", {"aduan": aduan, "form": form}, status=status
    )


def _link_refused(request: HttpRequest) -> HttpResponse:
    # The same answer for an unknown code and a wrong key: the link reveals nothing.
    return render(
        request,
        "portal/tambah_informasi.html",
        {"refused": _("Tautan ini tidak berlaku. Periksa kembali tautan dari pesan Anda.")},
        status=404,
    )


def lacak(request: HttpRequest) -> HttpResponse:
    form = LacakForm(request.GET or None)
    if form.is_valid():
        return redirect("portal:lacak_detail", code=normalize_code(form.cleaned_data["kode"]))
    return render(request, "portal/lacak.html", {"form": form})


def lacak_detail(request: HttpRequest, code: str) -> HttpResponse:
    code = normalize_code(code)
    if hit(request, "lacak", settings.POSKO_RATE_TRACK):
        return render(
            request,
            "portal/lacak.html",
            {
                "form": LacakForm(initial={"kode": code}),
                "error": _("Terlalu banyak percobaan. Silakan tunggu sebentar lalu coba lagi."),
            },
            status=429,
        )
    aduan = None
    if is_valid_code(code):
        aduan = (
            Aduan.objects.filter(code=code)
            .select_related("kecamatan", "polres")
            .prefetch_related(
                "status_changes",
                Prefetch(
                    "messages",
                    queryset=AduanMessage.objects.filter(kind=MessageKind.PUBLIC_REPLY),
                    to_attr="public_replies",
                ),
            )
            .first()
        )
    if aduan is None:
        return render(
            request,
            "portal/lacak.html",
            {
                "form": LacakForm(initial={"kode": code}),
                "error": _("Aduan dengan kode %(code)s tidak ditemukan. Periksa kembali kode Anda.")
                % {"code": code},
            },
            status=404,
        )
    return render(request, "portal/lacak_detail.html", {"aduan": aduan})


def kontak(request: HttpRequest) -> HttpResponse:
    polres = current_polres()
    kapolres = (
        Officer.objects.filter(unit=polres, role=Role.PIMPINAN).select_related("user").first()
    )
    polsek_list = (
        Unit.objects.filter(parent=polres, kind=UnitKind.POLSEK)
        .prefetch_related("kecamatan")
        .order_by("name")
    )
    rows = []
    assert polres.region is not None
    bhabins = {
        desa.code: officer
        for officer in Officer.objects.filter(role=Role.BHABINKAMTIBMAS, unit__parent=polres)
        .select_related("user", "unit")
        .prefetch_related("desa")
        for desa in officer.desa.all()
    }
    for kec in polres.region.children.filter(level=RegionLevel.KECAMATAN).order_by("name"):
        polsek = next((p for p in polsek_list if kec in p.kecamatan.all()), None)
        desa_rows = [(d, bhabins.get(d.code)) for d in kec.children.order_by("name")]
        rows.append({"kecamatan": kec, "polsek": polsek, "desa": desa_rows})
    return render(
        request, "portal/kontak.html", {"polres": polres, "kapolres": kapolres, "rows": rows}
    )
