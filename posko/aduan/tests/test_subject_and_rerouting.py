from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.access import AduanNotFound, visible_aduan
from posko.aduan.actions import do_assign_aduan, do_correct_labels, do_submit_aduan
from posko.aduan.actions.intake import Reporter
from posko.aduan.actions.subject import SubjectError, do_set_complaint_subject
from posko.aduan.models import AuditEvent
from posko.conftest import PASSWORD
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit

MEMBER = "Oknum anggota lantas minta uang damai waktu razia di simpang Manggar"


def sat(polres: Unit, code: str) -> Unit:
    unit = satuan_of(polres, code)
    assert unit is not None
    return unit


def _client(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_propam_records_the_unit_concerned_which_then_loses_sight(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = do_submit_aduan(polres, text=MEMBER, channel="web", category="pelanggaran_anggota")
    satlantas = satuan_of(polres, "satlantas")
    assert aduan.handling_unit == satuan_of(polres, "propam")

    denied = _client("operator").post(
        f"/posko/aduan/{aduan.code}/diadukan/",
        {"unit": satlantas.pk},  # type: ignore[union-attr]
    )
    assert denied.status_code == 404  # the operator cannot even see it
    response = _client("propam").post(
        f"/posko/aduan/{aduan.code}/diadukan/",
        {"unit": satlantas.pk, "officer": officers["satlantas"].pk},  # type: ignore[union-attr]
    )
    assert response.status_code == 302
    aduan.refresh_from_db()
    assert aduan.subject_unit == satlantas and aduan.subject_officer == officers["satlantas"]
    assert AuditEvent.objects.filter(aduan=aduan, action="subject_set").exists()
    assert not visible_aduan(officers["satlantas"].user).filter(pk=aduan.pk).exists()
    assert visible_aduan(officers["kapolres"].user).filter(pk=aduan.pk).exists()


@pytest.mark.django_db
def test_subject_rules(polres: Unit, officers: dict[str, Officer]) -> None:
    propam_user = officers["propam"].user
    plain = do_submit_aduan(polres, text="Lampu jalan mati di Manggar", channel="web")
    with pytest.raises(SubjectError):  # only restricted complaints have a subject
        do_set_complaint_subject(
            plain, unit=None, officer=None, acting_user=officers["kapolres"].user
        )
    with pytest.raises(AduanNotFound):  # Propam does not even see an ordinary aduan
        do_set_complaint_subject(plain, unit=None, officer=None, acting_user=propam_user)
    aduan = do_submit_aduan(polres, text=MEMBER, channel="web", category="pelanggaran_anggota")
    with pytest.raises(SubjectError):  # Propam handles it; it cannot be "about" Propam too
        do_set_complaint_subject(
            aduan, unit=satuan_of(polres, "propam"), officer=None, acting_user=propam_user
        )
    with pytest.raises(SubjectError):  # officer not in the named unit
        do_set_complaint_subject(
            aduan,
            unit=satuan_of(polres, "samapta"),
            officer=officers["satlantas"],
            acting_user=propam_user,
        )


@pytest.mark.django_db
def test_correcting_to_a_restricted_category_reroutes_it(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = do_submit_aduan(
        polres, text="Mohon info syarat perpanjangan SIM C", channel="web", category="pelayanan"
    )
    assert aduan.handling_unit == satuan_of(polres, "spkt")
    do_assign_aduan(aduan, sat(polres, "spkt"), acting_user=officers["operator"].user)
    do_correct_labels(aduan, acting_user=officers["operator"].user, category="pelanggaran_anggota")
    aduan.refresh_from_db()
    assert aduan.handling_unit == satuan_of(polres, "propam")
    assert visible_aduan(officers["propam"].user).filter(pk=aduan.pk).exists()


@pytest.mark.django_db
def test_correction_keeps_an_explicit_assignment(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = do_submit_aduan(
        polres,
        text="Ada yang jual sabu di rumah kos dekat pelabuhan",
        channel="web",
        category="narkoba",
    )
    samapta = sat(polres, "samapta")
    do_assign_aduan(aduan, samapta, acting_user=officers["operator"].user)
    do_correct_labels(aduan, acting_user=officers["operator"].user, category="perjudian")
    aduan.refresh_from_db()
    assert aduan.handling_unit == samapta  # the operator chose Samapta; the correction keeps it

    other = do_submit_aduan(
        polres,
        text="Ada yang jual sabu di rumah kos dekat pelabuhan",
        channel="web",
        category="narkoba",
    )
    do_correct_labels(other, acting_user=officers["operator"].user, category="perjudian")
    other.refresh_from_db()
    assert other.handling_unit == satuan_of(polres, "satreskrim")  # followed the new label


@pytest.mark.django_db
def test_relabelling_a_restricted_complaint_never_exposes_it_to_its_subject(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    """Propam re-labels a complaint about Satlantas to lalu_lintas: it is not re-routed to
    Satlantas, and even when handed there explicitly Satlantas (the subject) cannot read it."""
    aduan = do_submit_aduan(
        polres,
        text=MEMBER,
        channel="web",
        category="pelanggaran_anggota",
        reporter=Reporter(name="Budi Pelapor", phone="081234567890"),
    )
    propam_user = officers["propam"].user
    do_set_complaint_subject(
        aduan, unit=sat(polres, "satlantas"), officer=None, acting_user=propam_user
    )
    do_correct_labels(aduan, acting_user=propam_user, category="lalu_lintas")
    aduan.refresh_from_db()
    assert aduan.category == "lalu_lintas"
    assert aduan.handling_unit == sat(polres, "propam")  # not moved to the unit concerned
    satlantas_user = officers["satlantas"].user
    assert not visible_aduan(satlantas_user).filter(pk=aduan.pk).exists()
    # Handed to Satlantas on purpose: the subject still never sees it (nor its reporter).
    do_assign_aduan(aduan, sat(polres, "satlantas"), acting_user=officers["kapolres"].user)
    assert not visible_aduan(satlantas_user).filter(pk=aduan.pk).exists()
    response = _client("satlantas").get(f"/posko/aduan/{aduan.code}/")
    assert response.status_code == 404
    assert b"081234567890" not in _client("satlantas").get("/posko/?status=semua").content


@pytest.mark.django_db
def test_every_read_of_a_restricted_aduan_is_audited(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    """Weakness 8: the API list, the inbox preview and photos record a view like the page."""
    from posko.api.actions import do_create_api_token

    aduan = do_submit_aduan(polres, text=MEMBER, channel="web", category="pelanggaran_anggota")
    plain = do_submit_aduan(polres, text="Lampu jalan mati di Manggar", channel="web")

    def views(via: str) -> int:
        return AuditEvent.objects.filter(aduan=aduan, action="viewed", data__via=via).count()

    token = do_create_api_token(officers["kapolres"].user)
    listed = Client().get("/api/v1/aduan", headers={"Authorization": f"Bearer {token}"})
    assert aduan.code in listed.content.decode()
    assert views("api") == 1
    assert _client("kapolres").get("/posko/").status_code == 200
    assert views("inbox") == 1
    assert _client("kapolres").get(f"/posko/aduan/{aduan.code}/").status_code == 200
    assert views("detail") == 1
    assert not AuditEvent.objects.filter(aduan=plain, action="viewed").exists()
