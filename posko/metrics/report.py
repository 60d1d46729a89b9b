"""The monthly report of a Polres (or of a Polda's Polres together): the month's figures against
the previous month, per category and Polsek, with a bar chart drawn as SVG; rendered to PDF by
WeasyPrint. Figures come from the metrics layer, the same queries as the dashboards."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from posko.metrics.dashboard import category_labels, unit_labels
from posko.metrics.queries import Figures, breakdown, by_polres, total
from posko.org.lookup import polres_units
from posko.org.models import Unit, UnitKind


@dataclass(frozen=True)
class Month:
    start: date
    end: date

    @property
    def label(self) -> str:
        return self.start.strftime("%Y-%m")


def parse_month(text: str) -> Month:
    """``2026-11`` → the calendar month; ValueError when malformed."""
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        raise ValueError(f"bulan harus berbentuk YYYY-MM, bukan {text!r}") from None
    return Month(first, first.replace(day=calendar.monthrange(year, month)[1]))


def previous(month: Month) -> Month:
    last = month.start.toordinal() - 1
    return parse_month(date.fromordinal(last).strftime("%Y-%m"))


def _bars(rows: list[Figures], width: int = 420) -> list[dict[str, Any]]:
    top = max((r.received for r in rows), default=0) or 1
    return [
        {"label": r.label, "n": r.received, "w": round(width * r.received / top), "y": i * 22}
        for i, r in enumerate(rows)
    ]


def report_context(scope: Unit, month: Month) -> dict[str, Any]:
    """The figures of the report of ``scope``: a Polres, or a Polda (its Polres together: the
    totals and categories from the Polda's own rows, which hold their sums; the Polsek and
    the comparison from each Polres's)."""
    units = polres_units(scope) if scope.kind == UnitKind.POLDA else [scope]
    polda = scope.pk if scope.kind == UnitKind.POLDA else None
    ids = [u.pk for u in units]
    prev = previous(month)
    categories = breakdown(ids, month.start, month.end, "category", restricted=None, polda=polda)
    labels = category_labels()
    category_rows = sorted(categories.values(), key=lambda f: -f.received)
    for row in category_rows:
        row.label = labels.get(row.value, row.value)
    polsek = breakdown(ids, month.start, month.end, "polsek", restricted=None)
    names = unit_labels(polsek)
    polsek_rows = sorted(polsek.values(), key=lambda f: -f.received)
    for row in polsek_rows:
        row.label = names.get(row.value, "Polres (tanpa Polsek)")
    per_polres = by_polres(ids, month.start, month.end) if len(units) > 1 else {}
    return {
        "units": units,
        "title": units[0].name if len(units) == 1 else (units[0].parent or units[0]).name,
        "month": month,
        "previous": prev,
        "this": total(ids, month.start, month.end, restricted=None, polda=polda),
        "before": total(ids, prev.start, prev.end, restricted=None, polda=polda),
        "categories": category_rows,
        "bars": _bars(category_rows),
        "svg_height": 22 * len(category_rows) + 4,
        "polsek": polsek_rows,
        "comparison": [(u, per_polres[u.pk]) for u in units if u.pk in per_polres],
        "generated": timezone.localtime(),
    }


def monthly_report_html(scope: Unit, month: Month) -> str:
    return render_to_string("metrics/report_monthly.html", report_context(scope, month))


def monthly_report_pdf(scope: Unit, month: Month) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=monthly_report_html(scope, month)).write_pdf())
