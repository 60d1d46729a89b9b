"""Bounds on identifiers and paging taken from URLs and query strings.

Database ids are 64-bit; a larger number in a URL or a filter is not an id of anything and
must answer 404/422, never reach the database (SQLite raises OverflowError on it)."""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 2**63 - 1
MAX_OFFSET = 10**9


class IdConverter:
    """``<id:name>`` in URL patterns: a positive database id (1–18 digits), else no match."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
