"""The command view's table rows, built in Python.

A roll-up page lists about 130 rows of six to eight figures; rendered by the template
language every row cost a ``{% url %}`` or two, three to four filters and eight variable
look-ups each localized on its own (about a third of the page's CPU). Here the inbox URL,
the number formats and the unit strings are looked up once per page and each row is a few
string joins. The HTML is the one the former template loops produced, byte for byte
(``tests/test_command_rows.py`` renders both and compares). Each table is built when the
template asks for it (``{{ tables.months }}`` calls the method), so the parts inside the
template's fragment cache cost nothing on a cached request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from posko.metrics.formatting import DASH, Numbers
from posko.metrics.queries import Figures


class CommandTables:
    """The ``<tbody>`` contents of the command view's tables (``figures``: the view's
    context; ``comparison``: (Polres, figures) pairs of a roll-up)."""

    def __init__(self, figures: dict[str, Any], comparison: list[tuple[Any, Figures]]) -> None:
        self._figures = figures
        self._comparison = comparison
        self._inbox = escape(reverse("console:inbox"))

    @cached_property
    def _numbers(self) -> Numbers:
        """The formats of the language the page is rendered in."""
        return Numbers()

    def _csat(self, value: float | None) -> str:
        return self._numbers.number(value) if value else DASH

    def _rows(self, rows: Iterable[Figures], param: str) -> SafeString:
        """A satuan, Polsek or officer table (``param``: the inbox filter a row links to,
        "" for none)."""
        n, inbox = self._numbers, self._inbox
        parts = []
        for r in rows:
            label: str = escape(r.label)
            counts = r.counts
            opened, overdue = n.number(counts.get("open", 0)), n.number(r.overdue)
            if param and r.value:
                link = f"{inbox}?status=terbuka&amp;{param}={escape(r.value)}"
                label = f'<a href="{link}">{label}</a>'
                if r.overdue:
                    overdue = (
                        f'<a href="{inbox}?status=terbuka&amp;overdue=on&amp;'
                        f'{param}={escape(r.value)}">{overdue}</a>'
                    )
            parts.append(
                f'<tr><th scope="row">{label}</th><td data-v="{opened}">{opened}</td>'
                f'<td data-v="{n.number(r.overdue)}">{overdue}</td>'
                f"<td>{n.number(counts.get('received', 0))}</td>"
                f"<td>{escape(n.duration(r.first_median))}</td>"
                f"<td>{escape(n.pct(r.first_met_pct))}</td>"
                f"<td>{escape(n.duration(r.resolution_median))}</td>"
                f"<td>{self._csat(r.csat_avg)}</td></tr>"
            )
        if not parts:
            empty = escape(gettext("Belum ada data pada periode ini."))
            parts.append(f'<tr><td colspan="8">{empty}</td></tr>')
        return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)

    def satuan(self) -> SafeString:
        return self._rows(self._figures["satuan"], "unit")

    def polsek(self) -> SafeString:
        return self._rows(self._figures["polsek"], "polsek")

    def officers(self) -> SafeString:
        return self._rows(self._figures["officers"], "")

    def comparison(self) -> SafeString:
        n = self._numbers
        parts = []
        for unit, f in self._comparison:
            received = n.number(f.counts.get("received", 0))
            parts.append(
                f'<tr><th scope="row">{escape(unit.name)}</th>'
                f'<td data-v="{received}">{received}</td>'
                f"<td>{n.number(f.counts.get('open', 0))}</td>"
                f"<td>{escape(n.duration(f.first_median))}</td>"
                f"<td>{escape(n.pct(f.first_met_pct))}</td>"
                f"<td>{escape(n.pct(f.resolution_met_pct))}</td></tr>"
            )
        return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)

    def months(self) -> SafeString:
        n = self._numbers
        parts = []
        for m in self._figures["months"]:
            received = n.number(m.counts.get("received", 0))
            resolved = n.number(m.counts.get("resolved", 0))
            parts.append(
                f'<tr><th scope="row">{escape(m.value)}</th>'
                f'<td data-v="{received}">{received}</td>'
                f'<td data-v="{resolved}">{resolved}</td>'
                f"<td>{escape(n.duration(m.first_median))}</td>"
                f"<td>{escape(n.pct(m.first_met_pct))}</td></tr>"
            )
        return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)

    def _linked(self, rows: Iterable[Figures], param: str, resolution: bool) -> SafeString:
        """The category (``resolution``: its median and SLA met) or channel table."""
        n, inbox = self._numbers, self._inbox
        parts = []
        for c in rows:
            received = n.number(c.counts.get("received", 0))
            if resolution:
                last = (
                    f"<td>{escape(n.duration(c.resolution_median))}</td>"
                    f"<td>{escape(n.pct(c.resolution_met_pct))}</td>"
                )
            else:
                last = f"<td>{escape(n.duration(c.first_median))}</td>"
            parts.append(
                f'<tr><th scope="row"><a href="{inbox}?status=semua&amp;{param}='
                f'{escape(quote(c.value))}">{escape(c.label)}</a></th>'
                f'<td data-v="{received}">{received}</td>'
                f"<td>{n.number(c.counts.get('open', 0))}</td>{last}</tr>"
            )
        return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)

    def categories(self) -> SafeString:
        return self._linked(self._figures["categories"], "category", resolution=True)

    def channels(self) -> SafeString:
        return self._linked(self._figures["channels"], "channel", resolution=False)
