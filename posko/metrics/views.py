"""The public transparency dashboard (/transparansi/): reads only the metrics layer, never
personal data; restricted categories as counts only; counts under five suppressed."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from posko.metrics.dashboard import public_figures
from posko.org.lookup import get_polres_by_prefix


def _months(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("bulan", "12"))
    except ValueError:
        return 12


@require_GET
def transparansi(request: HttpRequest) -> HttpResponse:
    prefix = request.GET.get("polres", "") or settings.POSKO_DEFAULT_POLRES
    polres = get_polres_by_prefix(prefix)
    if polres is None:
        raise Http404("Polres tidak dikenal")
    context = {
        "polres": polres,
        "cache_seconds": settings.POSKO_METRICS_CACHE_SECONDS,
        "map_tile_url": settings.POSKO_MAP_TILE_URL,
        "map_tile_attribution": settings.POSKO_MAP_ATTRIBUTION,
        **public_figures(polres, _months(request)),
    }
    return render(request, "metrics/transparansi.html", context)
