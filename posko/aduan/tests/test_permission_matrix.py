"""The permission matrix: one declared table of role × action × object scope, run three
times — against the actions themselves, through the console, and through the API.

The table is written out by hand from the product's rules (taxonomy: restricted categories
are visible only to the handling unit, the Kapolres/Wakapolres and auditors, never to the unit
the complaint is about; auditors read only; moving an aduan to another unit is for operators
and pimpinan; the subject of a complaint is recorded by Propam or pimpinan). It is not derived
from the code under test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from posko.aduan.access import AduanNotFound, AduanPermissionDenied
from posko.aduan.actions import (
    do_add_message,
    do_assign_aduan,
    do_change_status,
    do_correct_labels,
)
from posko.aduan.actions.subject import do_set_complaint_subject
from posko.aduan.models import Aduan
from posko.aduan.tests.factories import make_aduan
from posko.api.actions import do_create_api_token
from posko.conftest import PASSWORD
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit

OK, DENIED, NOT_FOUND = "ok", "denied", "not_found"
V, R, N = "may change", "reads only", "does not see"

ROLES = [
    "operator",
    "kapolres",
    "auditor",
    "propam",
    "satlantas",
    "satreskrim",
    "polsek_gantung",
    "bhabin_gantung",
    "other_operator",
]
# Scopes: an ordinary aduan of Satlantas in Manggar; a complaint about Satlantas (restricted,
# handled by Propam); an ordinary aduan of another Polres.
SCOPES = ["lantas", "restricted_about_satlantas", "other_polres"]

# Who sees what (declared).
VISIBILITY: dict[str, dict[str, str]] = {
    "lantas": {
        "operator": V,
        "kapolres": V,
        "auditor": R,
        "propam": N,
        "satlantas": V,
        "satreskrim": N,
        "polsek_gantung": N,
        "bhabin_gantung": N,
        "other_operator": N,
    },
    "restricted_about_satlantas": {
        "operator": N,
        "kapolres": V,
        "auditor": R,
        "propam": V,
        "satlantas": N,  # the unit concerned
        "satreskrim": N,
        "polsek_gantung": N,
        "bhabin_gantung": N,
        "other_operator": N,
    },
    "other_polres": {
        **dict.fromkeys(ROLES, N),
        "other_operator": V,
    },
}
DISPATCH = {"operator", "kapolres", "other_operator"}
SUBJECT = {"kapolres", "propam"}

ACTIONS = ["status", "note", "labels", "assign_same_unit", "assign_other_unit", "subject"]


def expected(role: str, action: str, scope: str) -> str:
    seen = VISIBILITY[scope][role]
    if seen == N:
        return NOT_FOUND
    if seen == R:
        return DENIED
    if action == "assign_other_unit" and role not in DISPATCH:
        return DENIED
    if action == "subject" and role not in SUBJECT:
        return DENIED
    return OK


CASES = [
    (role, action, scope)
    for role in ROLES
    for action in ACTIONS
    for scope in SCOPES
    if action != "subject" or scope == "restricted_about_satlantas"
]


@pytest.fixture
def world(polres: Unit, other_polres: Unit, officers: dict[str, Officer]) -> dict[str, Aduan]:
    satlantas = satuan_of(polres, "satlantas")
    return {
        "lantas": make_aduan(
            polres, text="Lampu lalu lintas mati", category="lalu_lintas", desa="19.06.01.2003"
        ),
        "restricted_about_satlantas": make_aduan(
            polres,
            text="Oknum Satlantas minta uang damai",
            category="pelanggaran_anggota",
            priority="tinggi",
            desa="19.06.01.2003",
            subject_unit=satlantas,
        ),
        "other_polres": make_aduan(other_polres, text="Motor hilang", category="pencurian"),
    }


def _other_unit(aduan: Aduan) -> Unit:
    unit = satuan_of(aduan.polres, "samapta")
    assert unit is not None and unit.pk != aduan.handling_unit_id
    return unit


def _do(action: str, aduan: Aduan, officer: Officer) -> None:
    user = officer.user
    if action == "status":
        do_change_status(aduan, "diverifikasi", acting_user=user)
    elif action == "note":
        do_add_message(aduan, "catatan uji", public=False, acting_user=user)
    elif action == "labels":
        do_correct_labels(aduan, tone="kritik", acting_user=user)
    elif action == "assign_same_unit":
        assert aduan.handling_unit is not None
        do_assign_aduan(aduan, aduan.handling_unit, acting_user=user)
    elif action == "assign_other_unit":
        do_assign_aduan(aduan, _other_unit(aduan), acting_user=user)
    elif action == "subject":
        do_set_complaint_subject(
            aduan, unit=satuan_of(aduan.polres, "satreskrim"), officer=None, acting_user=user
        )


def _outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except AduanNotFound:
        return NOT_FOUND
    except AduanPermissionDenied:
        return DENIED
    return OK


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "scope"), CASES)
def test_actions_enforce_the_matrix(
    world: dict[str, Aduan], officers: dict[str, Officer], role: str, action: str, scope: str
) -> None:
    aduan = world[scope]
    before = (aduan.status, aduan.tone, aduan.handling_unit_id, aduan.subject_unit_id)
    outcome = _outcome(lambda: _do(action, aduan, officers[role]))
    assert outcome == expected(role, action, scope)
    if outcome != OK:  # a refusal changes nothing
        aduan.refresh_from_db()
        after = (aduan.status, aduan.tone, aduan.handling_unit_id, aduan.subject_unit_id)
        assert after == before
        assert not aduan.messages.filter(text="catatan uji").exists()


def _console_post(action: str, aduan: Aduan) -> tuple[str, dict[str, Any]]:
    code = aduan.code
    if action == "status":
        return f"/posko/aduan/{code}/status/", {"status": "diverifikasi", "reason": ""}
    if action == "note":
        return f"/posko/aduan/{code}/balas/", {"text": "catatan uji", "internal": "on"}
    if action == "labels":
        return f"/posko/aduan/{code}/label/", {
            "category": aduan.category,
            "priority": aduan.priority,
            "tone": "kritik",
            "desa": aduan.desa_id or "",
        }
    if action == "assign_same_unit":
        return f"/posko/aduan/{code}/tugaskan/", {"unit": aduan.handling_unit_id, "officer": ""}
    if action == "assign_other_unit":
        return f"/posko/aduan/{code}/tugaskan/", {"unit": _other_unit(aduan).pk, "officer": ""}
    unit = satuan_of(aduan.polres, "satreskrim")
    assert unit is not None
    return f"/posko/aduan/{code}/diadukan/", {"unit": unit.pk, "officer": ""}


CONSOLE_STATUS = {OK: 302, DENIED: 403, NOT_FOUND: 404}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "scope"), CASES)
def test_console_enforces_the_matrix(
    world: dict[str, Aduan], officers: dict[str, Officer], role: str, action: str, scope: str
) -> None:
    client = Client()
    assert client.login(username=officers[role].user.username, password=PASSWORD)
    url, data = _console_post(action, world[scope])
    response = client.post(url, data)
    assert response.status_code == CONSOLE_STATUS[expected(role, action, scope)], response.content[
        :300
    ]


API_ACTIONS = {"status", "note"}
API_STATUS = {OK: 201, DENIED: 403, NOT_FOUND: 404}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "action", "scope"), [case for case in CASES if case[1] in API_ACTIONS]
)
def test_api_enforces_the_matrix(
    world: dict[str, Aduan], officers: dict[str, Officer], role: str, action: str, scope: str
) -> None:
    token = do_create_api_token(officers[role].user)
    aduan = world[scope]
    body: dict[str, Any]
    if action == "status":
        path, body = f"/api/v1/aduan/{aduan.code}/status", {"status": "diverifikasi"}
    else:
        path, body = (
            f"/api/v1/aduan/{aduan.code}/replies",
            {"text": "catatan uji", "internal": True},
        )
    headers = {"Authorization": f"Bearer {token}"}
    response = Client().post(path, body, content_type="application/json", headers=headers)
    want = API_STATUS[expected(role, action, scope)]
    if want == 201 and action == "status":
        want = 200
    assert response.status_code == want, response.content[:300]


# --- the operator tools: bulk changes, macros, reply approval ------------------------------
# A bulk change is the single-aduan action applied to each row: it is allowed exactly when the
# action is, and any refusal (not found or denied) refuses the whole bulk (403 in the console).
# A macro is its steps: allowed when each step is. Approving a reply is for pimpinan who see
# the aduan (``REPLY_APPROVER_ROLES``); everyone else who sees it is denied.

TOOL_ACTIONS = {
    "bulk_status": "status",
    "bulk_assign_other_unit": "assign_other_unit",
    "macro_status": "status",
    "macro_assign_other_unit": "assign_other_unit",
}
TOOL_CASES = [(r, a, s) for r in ROLES for a in TOOL_ACTIONS for s in SCOPES]
APPROVERS = {"kapolres"}
APPROVAL_SCOPES = ["restricted_about_satlantas", "lantas"]


def expected_tool(role: str, action: str, scope: str) -> str:
    want = expected(role, TOOL_ACTIONS[action], scope)
    if action.startswith("bulk") and want == NOT_FOUND:
        return DENIED  # the bulk says which row refused; it never tells seen from unseen
    return want


def expected_approval(role: str, scope: str) -> str:
    seen = VISIBILITY[scope][role]
    if seen == N:
        return NOT_FOUND
    return OK if role in APPROVERS else DENIED


def _tool_outcome(call: Callable[[], Any]) -> str:
    from posko.org.permissions import NotPermitted

    try:
        call()
    except AduanNotFound:
        return NOT_FOUND
    except NotPermitted:
        return DENIED
    return OK


def _macro(aduan: Aduan, action: str) -> Any:
    from posko.workbench.models import Macro

    if action.endswith("status"):
        return Macro.objects.create(polres=aduan.polres, title=action, status="diverifikasi")
    return Macro.objects.create(polres=aduan.polres, title=action, unit=_other_unit(aduan))


def _do_tool(action: str, aduan: Aduan, officer: Officer) -> None:
    from posko.aduan.actions.bulk import do_bulk_assign, do_bulk_change_status
    from posko.workbench.macros import do_apply_macro

    user = officer.user
    if action == "bulk_status":
        do_bulk_change_status([aduan], "diverifikasi", acting_user=user)
    elif action == "bulk_assign_other_unit":
        do_bulk_assign([aduan], _other_unit(aduan), acting_user=user)
    else:
        do_apply_macro(_macro(aduan, action), aduan, acting_user=user)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "scope"), TOOL_CASES)
def test_operator_tools_enforce_the_matrix(
    world: dict[str, Aduan], officers: dict[str, Officer], role: str, action: str, scope: str
) -> None:
    aduan = world[scope]
    before = (aduan.status, aduan.handling_unit_id)
    outcome = _tool_outcome(lambda: _do_tool(action, aduan, officers[role]))
    assert outcome == expected_tool(role, action, scope)
    if outcome != OK:
        aduan.refresh_from_db()
        assert (aduan.status, aduan.handling_unit_id) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "scope"), TOOL_CASES)
def test_console_operator_tools_enforce_the_matrix(
    world: dict[str, Aduan], officers: dict[str, Officer], role: str, action: str, scope: str
) -> None:
    aduan = world[scope]
    client = Client()
    assert client.login(username=officers[role].user.username, password=PASSWORD)
    if action.startswith("bulk"):
        data: dict[str, Any] = {"codes": [aduan.code]}
        if action == "bulk_status":
            data.update(action="status", status="diverifikasi")
        else:
            data.update(action="assign", unit=_other_unit(aduan).pk)
        response = client.post("/posko/massal/", data)
    else:
        macro = _macro(aduan, action)
        response = client.post(f"/posko/aduan/{aduan.code}/makro/", {"macro": macro.pk})
    want = CONSOLE_STATUS[expected_tool(role, action, scope)]
    if action == "bulk_assign_other_unit" and officers[role].unit.polres != aduan.polres:
        want = 400  # the bulk form offers only the officer's own Polres's units
    assert response.status_code == want, response.content[:300]
    if want != 302:
        aduan.refresh_from_db()
        assert aduan.status == "baru"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", APPROVAL_SCOPES)
def test_reply_approval_enforces_the_matrix(
    world: dict[str, Aduan], officers: dict[str, Officer], role: str, scope: str
) -> None:
    from posko.aduan.actions.approvals import do_approve_reply_draft
    from posko.aduan.models import DraftState, ReplyDraft

    aduan = world[scope]
    draft = ReplyDraft.objects.create(
        aduan=aduan, text="Balasan uji", author=officers["admin"].user
    )
    outcome = _tool_outcome(lambda: do_approve_reply_draft(draft, acting_user=officers[role].user))
    assert outcome == expected_approval(role, scope)
    draft.refresh_from_db()
    assert (draft.state == DraftState.APPROVED) == (outcome == OK)
    # Through the console (a fresh draft).
    other = ReplyDraft.objects.create(
        aduan=aduan, text="Balasan dua", author=officers["admin"].user
    )
    client = Client()
    assert client.login(username=officers[role].user.username, password=PASSWORD)
    response = client.post(
        f"/posko/persetujuan/{other.pk}/", {"decision": "changes", "reason": "x"}
    )
    assert response.status_code == CONSOLE_STATUS[expected_approval(role, scope)]
