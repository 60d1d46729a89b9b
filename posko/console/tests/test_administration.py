from __future__ import annotations

import re

import pytest
from django.test import Client

from posko.conftest import PASSWORD
from posko.org.models import Officer


def _page(username: str, path: str = "/posko/administrasi/") -> tuple[int, str]:
    client = Client()
    client.login(username=username, password=PASSWORD)
    response = client.get(path)
    return response.status_code, response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "links"),
    [
        (
            "admin",
            {
                "landmark",
                "triase",
                "kanal/akun",
                "kanal/templat",
                "pengaturan/sla",
                "makro",
                "balasan-siap",
            }
            | {"patroli/antrean", "pengaturan/penugasan", "pengaturan/persetujuan-balasan"},
        ),
        ("operator", {"landmark", "triase", "makro", "balasan-siap"}),
        (
            "kapolres",
            {"landmark", "triase", "pengaturan/sla", "makro", "balasan-siap"}
            | {"pengaturan/penugasan", "pengaturan/persetujuan-balasan"},
        ),
    ],
)
def test_administration_lists_what_each_role_may_open(
    officers: dict[str, Officer], username: str, links: set[str]
) -> None:
    status, html = _page(username)
    assert status == 200
    section = html.split('data-testid="admin-pages"', 1)[1]
    found = set(re.findall(r'href="/posko/([a-z/-]+?)/"', section))
    assert found == links
    for link in links:  # every card opens for this role
        assert _page(username, f"/posko/{link}/")[0] == 200


@pytest.mark.django_db
def test_units_have_no_administration_and_a_short_menu(officers: dict[str, Officer]) -> None:
    assert _page("satlantas")[0] == 403
    status, html = _page("admin", "/posko/")
    assert status == 200
    nav = html.split('class="con-nav"', 1)[1].split("</nav>", 1)[0]
    assert nav.count("<a ") <= 6 and "/posko/administrasi/" in nav
