"""Field officers (Bhabinkamtibmas, Polsek officers) work one aduan at a time from a phone:
their inbox has no bulk actions (no bulk form, no row checkboxes); office roles keep them.
The saved views fold under their title on a phone, for everyone."""

from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.tests.factories import make_aduan
from posko.console.forms import is_field_officer
from posko.org.models import Officer, Unit


def _inbox(officer: Officer) -> str:
    client = Client()
    client.force_login(officer.user)
    response = client.get("/posko/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ("bhabin_gantung", True),
        ("polsek_gantung", True),
        ("operator", False),
        ("satreskrim", False),
    ],
)
def test_bulk_actions_only_for_office_roles(
    polres: Unit, officers: dict[str, Officer], who: str, field: bool
) -> None:
    aduan = make_aduan(polres, desa="19.06.02.2001", category="pencurian")
    assert is_field_officer(officers[who]) is field
    html = _inbox(officers[who])
    if who != "satreskrim":  # the satuan sees its own work only
        assert f'data-code="{aduan.code}"' in html
    assert ('id="bulk-form"' in html) is not field
    assert ("data-bulk-pick" in html) is not field
    assert ("data-bulk-all" in html) is not field
    # The saved views stay, folded on a phone (details with data-collapse-on-phone).
    assert 'class="saved-views-box" open data-collapse-on-phone' in html


def test_field_officer_empty_inbox_spans_the_table(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    html = _inbox(officers["bhabin_gantung"])
    assert '<td colspan="8" class="empty">' in html
    assert '<td colspan="9" class="empty">' in _inbox(officers["operator"])
