"""The inbox's filter and bulk forms draw their selects with FastSelect: the HTML must be
exactly what Django's own Select renders (same ids, labels, groups, selected state)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from posko.console.forms import InboxFilterForm
from posko.console.tools_views import BulkForm
from posko.core.widgets import FastSelect
from posko.org.models import Officer, Unit


def _stock(field: forms.BoundField) -> str:
    """The bound field rendered through a plain forms.Select with the same state."""
    widget = forms.Select(attrs=field.field.widget.attrs, choices=field.field.widget.choices)
    return field.as_widget(widget=widget)


def _compare(form: forms.Form) -> int:
    compared = 0
    for field in form:
        if isinstance(field.field.widget, FastSelect):
            fast = str(field)
            assert fast == _stock(field), field.name
            assert "<option" in fast
            compared += 1
    return compared


@pytest.mark.parametrize(
    "query",
    ["", "status=semua&category=lainnya&desa=19.06.02.2001&channel=wa", "desa=nope&status=x"],
)
def test_filter_form_selects_match_django(polres: Unit, query: str) -> None:
    form = InboxFilterForm(QueryDict(query), polres=polres)
    form.is_valid()
    assert _compare(form) == 6
    assert "<optgroup label=" in str(form["desa"])
    if "19.06.02.2001" in query:
        assert 'value="19.06.02.2001" selected>' in str(form["desa"])


def test_filter_form_of_a_bhabinkamtibmas_matches_django(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    form = InboxFilterForm(polres=polres, officer=officers["bhabin_gantung"])
    assert _compare(form) >= 2


def test_bulk_form_selects_match_django(polres: Unit) -> None:
    form = BulkForm(QueryDict("action=status&status=selesai"), polres=polres)
    form.is_valid()
    assert _compare(form) == 3
    assert "selected>" in str(form["status"])


def test_fast_select_escapes_and_marks_like_django() -> None:
    class Tricky(forms.Form):
        pick = forms.ChoiceField(
            choices=[('a"<b>', "<i>&</i>"), ("g", [("1", "x'y"), ("2", "z")])],
            widget=FastSelect(attrs={"data-x": '"q"', "disabled": True, "hidden": False}),
        )

    form: Any = Tricky(QueryDict("pick=1"))
    form.is_valid()
    assert _compare(form) == 1
    assert "&lt;i&gt;&amp;&lt;/i&gt;" in str(form["pick"])


def test_unit_pickers_list_django_choices_without_a_server_side_cursor(polres: Unit) -> None:
    """The unit and Polsek pickers offer exactly Django's ModelChoiceIterator choices, read
    with one plain SELECT each (Django's own opens a DECLARE … CURSOR on PostgreSQL)."""
    filters = InboxFilterForm(polres=polres)
    bulk = BulkForm(QueryDict(""), polres=polres)
    fields = [filters["unit"], filters["polsek"], bulk["unit"]]
    with CaptureQueriesContext(connection) as ctx:
        rendered = [str(field) for field in fields]
    assert all("<option" in html for html in rendered)
    assert len(ctx.captured_queries) == 3
    assert not [q for q in ctx.captured_queries if "DECLARE" in q["sql"].upper()]
    for field in fields:
        listed = list(field.field.choices)  # type: ignore[attr-defined]
        assert len(listed) > 2
        assert listed == list(ModelChoiceIterator(field.field))  # type: ignore[arg-type]
