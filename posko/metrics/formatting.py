"""Formatting the metrics layer's figures (durations, percentages, counts) as Django's
``number_format`` does, with the request language's separators and the unit strings looked
up once: the template filters use a fresh ``Numbers`` per value, the command view's tables
(``command_rows``) one per page (a roll-up page formats about a thousand figures)."""

from __future__ import annotations

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from posko.metrics.queries import SMALL

DASH = "—"


class Numbers:
    """``django.utils.formats.number_format`` for the current language, its three format
    look-ups done once."""

    def __init__(self) -> None:
        lang = get_language()
        self._decimal = get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)
        self._grouping = get_format("NUMBER_GROUPING", lang, use_l10n=True)
        self._thousand = get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)
        self._durations: dict[float, str] = {}

    def number(
        self, value: float, decimal_pos: int | None = None, force_grouping: bool = False
    ) -> str:
        """What ``number_format`` (and so ``{{ value }}`` for a number) shows."""
        return str(
            numberformat.format(
                value,
                self._decimal,
                decimal_pos,
                self._grouping,
                self._thousand,
                force_grouping=force_grouping,
                use_l10n=True,
            )
        )

    def duration(self, minutes: float | None) -> str:
        """12 mnt · 3,4 jam · 2,1 hari; an em dash when unknown (the estimates are bucket
        midpoints: a page repeats a few dozen values)."""
        if minutes is None:
            return DASH
        shown = self._durations.get(minutes)
        if shown is None:
            if minutes < 60:
                shown = _("%(n)s mnt") % {"n": self.number(round(minutes), 0)}
            elif minutes < 48 * 60:
                shown = _("%(n)s jam") % {"n": self.number(minutes / 60, 1)}
            else:
                shown = _("%(n)s hari") % {"n": self.number(minutes / 1440, 1)}
            self._durations[minutes] = shown
        return shown

    def pct(self, value: float | None) -> str:
        return DASH if value is None else f"{self.number(value, 1)} %"

    def suppress(self, count: int | None) -> str:
        """Counts from 1 to 4 are shown as "<5" so no single report can be recognised."""
        if not count:
            return "0"
        return f"<{SMALL}" if count < SMALL else self.number(count, 0, force_grouping=True)
