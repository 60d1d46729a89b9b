"""The reporter answers the satisfaction question on the tracking page (the tracking code is
what identifies the reporter, as on /lacak/<code>/)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posko.aduan.codes import is_valid_code, normalize_code
from posko.aduan.models import Aduan
from posko.core.ratelimit import hit
from posko.metrics.actions.satisfaction import SatisfactionError, do_answer_satisfaction
from posko.metrics.forms import SatisfactionForm


def _error(request: HttpRequest, code: str, errors: list[str], status: int) -> HttpResponse:
    back = reverse("portal:lacak_detail", args=[code]) if is_valid_code(code) else ""
    return render(
        request, "metrics/satisfaction_error.html", {"errors": errors, "back": back}, status=status
    )


@require_POST
def answer(request: HttpRequest, code: str) -> HttpResponse:
    code = normalize_code(code)
    if hit(request, "kepuasan", settings.POSKO_RATE_TRACK):
        return _error(request, code, [_("Terlalu banyak percobaan. Silakan tunggu sebentar.")], 429)
    aduan = Aduan.objects.filter(code=code).first() if is_valid_code(code) else None
    if aduan is None:
        return _error(request, code, [_("Aduan tidak ditemukan.")], 404)
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return _error(request, code, errors, 400)
    try:
        do_answer_satisfaction(aduan, form.answer())
    except SatisfactionError as exc:
        return _error(request, code, [str(exc)], 400)
    return redirect(reverse("portal:lacak_detail", args=[code]) + "#kepuasan")
