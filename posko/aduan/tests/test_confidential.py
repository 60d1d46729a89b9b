"""Confidential mode: the reporter's identity only for the handling unit's head, Propam and
the Kapolres — checked across roles in the selector, the console detail and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.access import may_see_reporter, reporter_identity, visible_aduan
from posko.aduan.models import Aduan
from posko.aduan.tests.factories import make_aduan
from posko.api.actions import do_create_api_token
from posko.conftest import make_officer
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Role, Unit

NAME, PHONE = "Rahmat Hidayat", "+6281299887766"

# role key -> may see the confidential reporter of an aduan handled by Satlantas
MATRIX = {
    "admin": False,
    "operator": False,
    "auditor": False,
    "kapolres": True,
    "propam": True,
    "satlantas": True,  # head of the handling unit
    "satlantas_member": False,  # same unit, not its head
    "samapta": False,  # head of another unit
    "satreskrim": False,
    "polsek_gantung": False,
    "bhabin_gantung": False,
}


@pytest.fixture
def people(officers: dict[str, Officer], polres: Unit) -> dict[str, Officer]:
    unit = satuan_of(polres, "satlantas")
    assert unit is not None
    return {**officers, "satlantas_member": make_officer("lantas.anggota", Role.PETUGAS, unit)}


@pytest.fixture
def confidential(polres: Unit) -> Aduan:
    return make_aduan(
        polres,
        category="lalu_lintas",
        desa="19.06.02.2001",
        handling_unit=satuan_of(polres, "satlantas"),
        reporter_name=NAME,
        reporter_phone=PHONE,
        confidential=True,
    )


@pytest.mark.parametrize(("role", "allowed"), MATRIX.items())
def test_reporter_identity_matrix(
    people: dict[str, Officer], confidential: Aduan, role: str, allowed: bool
) -> None:
    user = people[role].user
    identity = reporter_identity(user, confidential)
    assert may_see_reporter(user, confidential) is allowed
    assert (identity.name, identity.phone) == ((NAME, PHONE) if allowed else ("", ""))
    assert identity.hidden is not allowed
    assert identity.contactable is allowed


def test_a_plain_report_shows_identity_to_whoever_sees_it(
    people: dict[str, Officer], polres: Unit
) -> None:
    plain = make_aduan(polres, reporter_name=NAME, reporter_phone=PHONE)
    assert reporter_identity(people["operator"].user, plain).name == NAME
    anonymous = make_aduan(polres)
    assert reporter_identity(people["kapolres"].user, anonymous).anonymous


@pytest.mark.parametrize(("role", "allowed"), MATRIX.items())
def test_console_detail_masks_identity_and_contact_links(
    people: dict[str, Officer], confidential: Aduan, role: str, allowed: bool
) -> None:
    user = people[role].user
    if not visible_aduan(user).filter(pk=confidential.pk).exists():
        pytest.skip("this role does not see the aduan at all")
    client = Client()
    client.force_login(user)
    html = client.get(f"/posko/aduan/{confidential.code}/").content.decode()
    assert (NAME in html) is allowed
    assert (PHONE in html) is allowed
    assert ('data-testid="tel"' in html) is allowed
    assert ('data-testid="reporter-confidential"' in html) is not allowed


@pytest.mark.parametrize(("role", "allowed"), MATRIX.items())
def test_api_masks_identity(
    people: dict[str, Officer], confidential: Aduan, role: str, allowed: bool
) -> None:
    user = people[role].user
    if not visible_aduan(user).filter(pk=confidential.pk).exists():
        pytest.skip("this role does not see the aduan at all")
    headers = {"Authorization": f"Bearer {do_create_api_token(user)}"}
    client = Client()
    listed = client.get("/api/v1/aduan", {"status": "semua"}, headers=headers).json()["items"]
    detail = client.get(f"/api/v1/aduan/{confidential.code}", headers=headers).json()
    for data in [next(a for a in listed if a["code"] == confidential.code), detail]:
        assert data["reporter"]["confidential"] is True
        assert data["reporter"]["name"] == (NAME if allowed else "")
        assert data["reporter"]["phone"] == (PHONE if allowed else "")
