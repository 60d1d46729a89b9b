"""``posko polres add`` onboards a second Polres in one command; the Polda officer sees both."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from posko.aduan.tests.factories import make_aduan
from posko.conftest import PASSWORD, make_officer
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.org.models import Role, Unit, UnitKind
from posko.regions.models import Region

pytestmark = pytest.mark.django_db


def test_polres_add_and_the_polda_roll_up(polres: Unit) -> None:
    out = StringIO()
    call_command(
        "polres",
        "add",
        "--kabupaten",
        "19.02",
        "--prefix",
        "blg",
        "--name",
        "Polres Belitung",
        "--polda",
        "19",
        stdout=out,
    )
    belitung = Unit.objects.get(kind=UnitKind.POLRES, code_prefix="BLG")
    assert belitung.parent == polres.parent  # the same Polda Kepulauan Bangka Belitung
    assert "Polres Belitung (BLG)" in out.getvalue()
    assert Unit.objects.filter(parent=belitung, kind=UnitKind.POLSEK).exists()
    assert Region.objects.filter(code__startswith="19.02.", level=4).exists()
    call_command(  # idempotent
        "polres",
        "add",
        "--kabupaten",
        "19.02",
        "--prefix",
        "BLG",
        "--name",
        "Polres Belitung",
        stdout=StringIO(),
    )
    assert Unit.objects.filter(kind=UnitKind.POLRES, code_prefix="BLG").count() == 1
    with pytest.raises(CommandError):
        call_command("polres", "add", "--kabupaten", "99.99", "--prefix", "XX", "--name", "X")
    with pytest.raises(CommandError):
        call_command("polres", "add", "--kabupaten", "19.03", "--prefix", "BLG", "--name", "Lain")

    make_aduan(polres, category="pencurian")
    make_aduan(belitung, category="narkoba")
    do_rebuild_metrics()
    make_officer("kapolda", Role.PIMPINAN, polres.parent)  # type: ignore[arg-type]
    client = Client()
    assert client.login(username="kapolda", password=PASSWORD)
    html = client.get("/posko/komando/").content.decode()
    assert "Perbandingan Polres" in html and "Polres Belitung<" in html
