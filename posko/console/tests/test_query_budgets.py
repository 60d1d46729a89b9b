"""Query-count budgets: every console page and the API list make a fixed number of queries,
whatever the number of aduan (no per-row query)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from posko.aduan.actions import do_add_message
from posko.aduan.actions.incidents import do_join_incident
from posko.aduan.tests.factories import make_aduan
from posko.api.models import ApiToken, hash_token
from posko.org.models import Officer, Unit

# (user, url, budget): what each page makes today, plus one (the inbox pages 7 fewer since the
# header's counts and the list's count became one statement). The inbox lists the officer's saved
# views; the aduan page reads its macros, open reply drafts and whether replies need approval.
# The inbox reads the Polres's units once (filter and bulk pickers, the rows' unit names) and the
# rows' desa/kecamatan and officers apart from the page (no joins: cheaper to plan at 1 M); a
# field officer has no bulk form and no Polres-wide desa picker.
PAGES = [
    ("operator", "/posko/", 13),
    ("operator", "/posko/?status=semua&q=jalan", 11),
    ("operator", "/posko/?overdue=on", 11),
    ("operator", "/posko/tugas-saya/", 10),
    ("bhabin_gantung", "/posko/", 14),
    ("polsek_gantung", "/posko/", 13),
    ("operator", "/posko/perubahan/", 10),
    ("operator", "/posko/aduan/{code}/", 23),
    ("operator", "/posko/aduan/baru/", 8),
    ("operator", "/posko/notifikasi/", 9),
    ("operator", "/posko/administrasi/", 7),
    ("operator", "/posko/landmark/", 9),
    ("operator", "/posko/triase/", 12),
    ("operator", "/posko/moderasi/", 9),
    ("operator", "/posko/insiden/{incident}/", 11),
    ("admin", "/posko/pengaturan/sla/", 11),
    ("admin", "/posko/kanal/akun/", 7),
    ("admin", "/posko/kanal/templat/", 7),
]


def _fill(polres: Unit, officers: dict[str, Officer], n: int) -> dict[str, Any]:
    made = [
        make_aduan(polres, desa="19.06.02.2001", priority=p, reporter_name="Warga")
        for _ in range(n)
        for p in ("darurat", "tinggi", "sedang")
    ]
    for aduan in made[:n]:
        do_add_message(
            aduan, "Sedang kami cek.", public=True, acting_user=officers["operator"].user
        )
    do_join_incident(made[1], made[0], acting_user=officers["operator"].user)
    made[0].refresh_from_db()
    return {"code": made[0].code, "incident": made[0].incident_id}


def _queries(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("who", "url", "budget"), PAGES, ids=[f"{w}:{u}" for w, u, _ in PAGES])
def test_console_page_query_budget(
    polres: Unit, officers: dict[str, Officer], who: str, url: str, budget: int
) -> None:
    client = Client()
    client.force_login(officers[who].user)
    few = _fill(polres, officers, 2)
    first = _queries(client, url.format(**few))
    _fill(polres, officers, 12)
    again = _queries(client, url.format(**few))
    assert again <= budget, f"{url}: {again} queries (budget {budget})"
    assert again <= first + 1, f"{url}: {first} → {again} queries as aduan grew"


def test_api_list_query_budget(
    polres: Unit, officers: dict[str, Officer], django_assert_max_num_queries: Any
) -> None:
    raw = ApiToken.generate()
    ApiToken.objects.create(user=officers["operator"].user, key_hash=hash_token(raw))
    _fill(polres, officers, 10)
    client = Client()
    with django_assert_max_num_queries(10):
        response = client.get(
            "/api/v1/aduan?status=semua", headers={"Authorization": f"Bearer {raw}"}
        )
    assert response.status_code == 200 and response.json()["count"] == 30
    assert response.json()["count_capped"] is False
