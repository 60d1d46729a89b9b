"""The console's monthly reports (/posko/laporan-bulanan/): the generated PDFs of the
officer's Polres (a Polda's officers: the Polda's and its Polres's; Mabes: all) with download,
and "buat sekarang" for pimpinan (``actions.reports.do_generate_monthly_report``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from posko.metrics.actions.reports import (
    GENERATE_ROLES,
    REPORT_ROLES,
    do_generate_monthly_report,
    last_month,
    own_scope,
    report_month_choices,
    report_scope_units,
    visible_reports,
)
from posko.metrics.models import MonthlyReport
from posko.metrics.report import parse_month
from posko.org.permissions import NotPermitted, officer_of


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request.user)
    if officer is None or officer.role not in REPORT_ROLES:
        return HttpResponseForbidden(_("Laporan bulanan hanya untuk pimpinan dan auditor."))
    return render(
        request,
        "metrics/report_list.html",
        {
            "reports": visible_reports(request.user),
            "may_generate": officer.role in GENERATE_ROLES,
            "own_scope": own_scope(officer),
            "months": report_month_choices(),
            "default_month": last_month().label,
            "current_officer": officer,
        },
    )


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    officer = officer_of(request.user)
    if officer is None or officer.role not in REPORT_ROLES:
        raise Http404
    report = (
        MonthlyReport.objects.filter(pk=pk, unit__in=report_scope_units(officer))
        .exclude(pdf=b"")
        .select_related("unit")
        .first()
    )
    if report is None:
        raise Http404
    name = f"laporan-{report.unit.code_prefix or report.unit.pk}-{report.month:%Y-%m}.pdf"
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    try:
        month = parse_month(request.POST.get("bulan", ""))
    except ValueError:
        messages.error(request, _("Bulan tidak valid (YYYY-MM)."))
        return redirect("reports:list")
    try:
        report = do_generate_monthly_report(month, acting_user=request.user)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    messages.success(
        request,
        _("Laporan %(month)s untuk %(unit)s sudah dibuat.")
        % {"month": month.label, "unit": report.unit.name},
    )
    return redirect("reports:list")
