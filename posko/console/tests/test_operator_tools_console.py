"""Console side of the operator tools: bulk changes (plain form and htmx), saved views,
macros, the approval page, urgent replies and leave."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from posko.aduan.models import Aduan, AuditEvent, DraftState, MessageKind, ReplyDraft
from posko.aduan.tests.factories import make_aduan
from posko.conftest import PASSWORD
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit
from posko.workbench.actions import do_save_canned_reply
from posko.workbench.macros import do_save_macro, saved_views_for
from posko.workbench.models import Macro, SavedView

pytestmark = pytest.mark.django_db


def _client(officer: Officer) -> Client:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    return client


def _unit(polres: Unit, code: str) -> Unit:
    unit = satuan_of(polres, code)
    assert unit is not None
    return unit


def test_inbox_has_a_checkbox_per_row_and_the_bulk_bar(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = make_aduan(polres)
    body = _client(officers["operator"]).get(reverse("console:inbox")).content.decode()
    assert f'name="codes" value="{aduan.code}"' in body
    assert 'name="all_on_page"' in body and 'data-testid="bulk-bar"' in body


def test_bulk_assign_without_javascript_redirects_back_with_the_filters(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduans = [make_aduan(polres, category="lalu_lintas") for _ in range(2)]
    samapta = _unit(polres, "samapta")
    client = _client(officers["operator"])
    response = client.post(
        reverse("console:bulk"),
        {
            "action": "assign",
            "unit": samapta.pk,
            "codes": [a.code for a in aduans],
            "next": "category=lalu_lintas",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("console:inbox") + "?category=lalu_lintas"
    assert set(
        Aduan.objects.filter(pk__in=[a.pk for a in aduans]).values_list("handling_unit", flat=True)
    ) == {samapta.pk}
    assert AuditEvent.objects.filter(action="assigned").count() == 2
    assert "2 aduan diperbarui" in client.get(response["Location"]).content.decode()


def test_select_all_on_the_page_without_javascript(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduans = [make_aduan(polres) for _ in range(3)]
    response = _client(officers["operator"]).post(
        reverse("console:bulk"),
        {
            "action": "status",
            "status": "diverifikasi",
            "all_on_page": "1",
            "page_codes": [a.code for a in aduans],
        },
    )
    assert response.status_code == 302
    assert set(Aduan.objects.values_list("status", flat=True)) == {"diverifikasi"}


def test_bulk_refusal_changes_nothing_and_says_why(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    mine = make_aduan(polres, category="lalu_lintas")
    client = _client(officers["satlantas"])
    response = client.post(
        reverse("console:bulk"),
        {"action": "assign", "unit": _unit(polres, "samapta").pk, "codes": [mine.code]},
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "Tidak ada aduan yang diubah" in body and mine.code in body
    mine.refresh_from_db()
    assert mine.handling_unit_id == _unit(polres, "satlantas").pk
    # A code the officer cannot see is refused the same way (and reveals nothing).
    hidden = make_aduan(polres, category="pencurian")
    response = client.post(
        reverse("console:bulk"),
        {"action": "status", "status": "diverifikasi", "codes": [mine.code, hidden.code]},
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.status == "baru"
    # A form without a choice is a 400 with the reason.
    response = client.post(reverse("console:bulk"), {"action": "status", "codes": [mine.code]})
    assert response.status_code == 400 and "Pilih status baru" in response.content.decode()


def test_bulk_with_htmx_swaps_the_inbox_in_place(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduans = [make_aduan(polres) for _ in range(2)]
    client = _client(officers["operator"])
    response = client.post(
        reverse("console:bulk"),
        {"action": "join", "codes": [a.code for a in aduans]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'data-testid="bulk-result"' in body
    assert len(set(Aduan.objects.values_list("incident_id", flat=True))) == 1
    refused = _client(officers["satlantas"]).post(
        reverse("console:bulk"),
        {"action": "join", "codes": [a.code for a in aduans]},
        headers={"HX-Request": "true"},
    )
    assert 'data-testid="bulk-error"' in refused.content.decode()


def test_saved_views_are_per_officer_and_shared_only_by_admins(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    operator = _client(officers["operator"])
    response = operator.post(
        reverse("console:save_view"),
        {"name": "Lantas lewat SLA", "query": "category=lalu_lintas&overdue=on&evil=1&page=3"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert view.query == "category=lalu_lintas&overdue=on" and not view.shared
    assert "Lantas lewat SLA" in operator.get(reverse("console:inbox")).content.decode()
    assert list(saved_views_for(officers["satlantas"].user)) == []
    assert (
        operator.post(
            reverse("console:save_view"), {"name": "Semua", "query": "", "shared": "1"}
        ).status_code
        == 403
    )
    _client(officers["admin"]).post(
        reverse("console:save_view"), {"name": "Darurat", "query": "status=baru", "shared": "1"}
    )
    shared = SavedView.objects.get(name="Darurat")
    assert shared in saved_views_for(officers["satlantas"].user)
    assert shared not in saved_views_for(officers["other_operator"].user)
    # Someone else's view cannot be deleted.
    assert _client(officers["satlantas"]).post(
        reverse("console:delete_view", args=[view.pk])
    ).status_code in (403, 404)
    assert operator.post(reverse("console:delete_view", args=[view.pk])).status_code == 302
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_macro_applies_reply_status_and_assignment_in_one_transaction(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    admin = officers["admin"].user
    canned = do_save_canned_reply(
        polres, title="Diterima", text="Laporan {kode} kami terima.", acting_user=admin
    )
    macro = do_save_macro(
        polres,
        title="Terima & Samapta",
        reply=canned,
        status="diverifikasi",
        unit=_unit(polres, "samapta"),
        acting_user=admin,
    )
    aduan = make_aduan(polres, category="lalu_lintas")
    client = _client(officers["operator"])
    page = client.get(reverse("console:aduan_detail", args=[aduan.code])).content.decode()
    assert "Terima &amp; Samapta" in page
    response = client.post(reverse("console:apply_macro", args=[aduan.code]), {"macro": macro.pk})
    assert response.status_code == 302
    aduan.refresh_from_db()
    assert aduan.status == "diverifikasi" and aduan.handling_unit_id == macro.unit_id
    assert aduan.messages.filter(kind=MessageKind.PUBLIC_REPLY, text__contains=aduan.code).exists()
    assert aduan.audit_events.filter(action="macro_applied").count() == 1
    # A petugas may not move it to another unit: the whole macro is refused, nothing changed.
    other = make_aduan(polres, category="lalu_lintas")
    response = _client(officers["satlantas"]).post(
        reverse("console:apply_macro", args=[other.code]), {"macro": macro.pk}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "baru" and not other.messages.filter(kind="public_reply").exists()
    assert not other.audit_events.exclude(action__in=["created", "viewed"]).exists()


def test_only_admins_edit_macros(polres: Unit, officers: dict[str, Officer]) -> None:
    response = _client(officers["operator"]).post(
        reverse("console:macros"), {"title": "X", "status": "diverifikasi"}
    )
    assert response.status_code == 403
    response = _client(officers["admin"]).post(
        reverse("console:macros"), {"title": "Verifikasi", "status": "diverifikasi"}
    )
    assert response.status_code == 302 and Macro.objects.filter(title="Verifikasi").exists()
    response = _client(officers["admin"]).post(reverse("console:macros"), {"title": "Kosong"})
    assert response.status_code == 400
    assert "minimal satu langkah" in response.content.decode()


def _restricted(polres: Unit) -> Aduan:
    return make_aduan(
        polres,
        text="Oknum Satlantas minta uang damai",
        category="pelanggaran_anggota",
        priority="tinggi",
        subject_unit=_unit(polres, "satlantas"),
    )


def test_reply_on_restricted_aduan_becomes_a_draft_the_pimpinan_approves(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = _restricted(polres)
    propam = _client(officers["propam"])
    page = propam.get(reverse("console:aduan_detail", args=[aduan.code])).content.decode()
    assert 'data-testid="needs-approval"' in page
    response = propam.post(
        reverse("console:reply", args=[aduan.code]), {"text": "Laporan Anda kami proses."}
    )
    assert response.status_code == 302
    draft = ReplyDraft.objects.get()
    assert draft.state == DraftState.DRAFT
    assert not aduan.messages.filter(kind=MessageKind.PUBLIC_REPLY).exists()

    assert propam.get(reverse("console:approvals")).status_code == 403
    kapolres = _client(officers["kapolres"])
    listing = kapolres.get(reverse("console:approvals"))
    assert listing.status_code == 200 and "Laporan Anda kami proses." in listing.content.decode()
    response = kapolres.post(
        reverse("console:review_draft", args=[draft.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == DraftState.SENT
    assert aduan.messages.filter(kind=MessageKind.PUBLIC_REPLY).count() == 1
    assert (
        "Laporan Anda kami proses."
        not in kapolres.get(reverse("console:approvals")).content.decode()
    )


def test_changes_requested_and_urgent_reply_from_the_console(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = _restricted(polres)
    propam = _client(officers["propam"])
    propam.post(reverse("console:reply", args=[aduan.code]), {"text": "Sabar."})
    draft = ReplyDraft.objects.get()
    _client(officers["kapolres"]).post(
        reverse("console:review_draft", args=[draft.pk]),
        {"decision": "changes", "reason": "Sebutkan kode lacak dan langkah berikutnya."},
    )
    draft.refresh_from_db()
    assert draft.state == DraftState.CHANGES_REQUESTED
    page = propam.get(reverse("console:aduan_detail", args=[aduan.code])).content.decode()
    assert "Sebutkan kode lacak" in page
    response = propam.post(
        reverse("console:reply", args=[aduan.code]),
        {"text": "Segera amankan diri, petugas menuju lokasi.", "urgent": "on"},
    )
    assert response.status_code == 302
    assert aduan.messages.filter(kind=MessageKind.PUBLIC_REPLY).count() == 1


def test_officer_marks_leave_from_my_tasks(polres: Unit, officers: dict[str, Officer]) -> None:
    client = _client(officers["samapta"])
    assert "Tandai sedang cuti" in client.get(reverse("console:my_tasks")).content.decode()
    assert client.post(reverse("console:leave"), {"on_leave": "1"}).status_code == 302
    officers["samapta"].refresh_from_db()
    assert officers["samapta"].on_leave
    assert "Selesai cuti" in client.get(reverse("console:my_tasks")).content.decode()
