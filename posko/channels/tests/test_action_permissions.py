"""The actions outside aduan's core check the actor themselves, so a command, a task or an API
handler that calls them cannot skip a rule the console's views would apply; each change leaves
one audit row with a label (never a raw code)."""

from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.access import AduanNotFound, AduanPermissionDenied, IncidentNotFound
from posko.aduan.actions.incidents import do_join_incident, do_merge_incidents
from posko.aduan.audit import audit_detail, audit_label
from posko.aduan.models import AuditEvent
from posko.aduan.tests.factories import make_aduan
from posko.channels.actions.accounts import do_save_account, do_set_account_active
from posko.channels.actions.moderation import do_dismiss
from posko.channels.models import ChannelAccount, ModerationItem, ModerationState
from posko.channels.testing import FakeApi
from posko.channels.tests.test_console import stream  # noqa: F401 - fixture
from posko.org.models import Officer, Unit
from posko.org.permissions import NotPermitted
from posko.regions.models import Region
from posko.triage_store.actions.landmarks import do_add_landmark, do_delete_landmark
from posko.triage_store.actions.training import do_activate_triage_model
from posko.triage_store.models import Landmark

pytestmark = pytest.mark.django_db


def test_landmarks_only_by_triage_setup_roles_of_the_polres_and_audited(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    desa = Region.objects.get(code="19.06.02.2001")
    for name in ("satreskrim", "auditor", "bhabin_gantung", "other_operator"):
        with pytest.raises(NotPermitted):
            do_add_landmark(polres, name="Pasar Ikan", desa=desa, acting_user=officers[name].user)
    assert not Landmark.objects.exists() and not AuditEvent.objects.exists()

    operator = officers["operator"].user
    landmark = do_add_landmark(polres, name="Pasar Ikan", desa=desa, acting_user=operator)
    with pytest.raises(NotPermitted):
        do_delete_landmark(landmark, acting_user=officers["satlantas"].user)
    landmark_id = landmark.pk
    do_delete_landmark(landmark, acting_user=operator)

    added, deleted = AuditEvent.objects.filter(polres=polres).order_by("id")
    assert [added.action, deleted.action] == ["landmark_added", "landmark_deleted"]
    assert added.actor == operator and added.target == f"landmark:{landmark_id}"
    assert audit_label("landmark_added") == "Landmark ditambahkan"
    assert audit_detail(added) == "Pasar Ikan (desa 19.06.02.2001)"


def test_activating_a_model_version_is_checked_and_audited(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    with pytest.raises(NotPermitted):
        do_activate_triage_model(polres, None, acting_user=officers["samapta"].user)
    do_activate_triage_model(polres, None, acting_user=officers["kapolres"].user)
    [row] = AuditEvent.objects.filter(action="triage_model_activated")
    assert row.actor == officers["kapolres"].user and row.target == "triage_model"
    assert audit_detail(row) == "model bawaan → model bawaan"


def test_grouping_reports_is_for_dispatch_roles_on_reports_they_see(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    first = make_aduan(polres, desa="19.06.02.2001")
    second = make_aduan(polres, desa="19.06.02.2001")
    with pytest.raises(AduanNotFound):  # reports Satlantas does not handle stay invisible
        do_join_incident(first, second, acting_user=officers["satlantas"].user)
    with pytest.raises(AduanPermissionDenied):  # the Bhabinkamtibmas sees them, may not group
        do_join_incident(first, second, acting_user=officers["bhabin_gantung"].user)
    incident = do_join_incident(first, second, acting_user=officers["operator"].user)
    third, fourth = make_aduan(polres), make_aduan(polres)
    other = do_join_incident(third, fourth, acting_user=officers["operator"].user)
    with pytest.raises(NotPermitted):
        do_merge_incidents(incident, other, acting_user=officers["satreskrim"].user)
    # Another Polres's operator cannot see these incidents at all.
    with pytest.raises(IncidentNotFound):
        do_merge_incidents(incident, other, acting_user=officers["other_operator"].user)
    do_merge_incidents(incident, other, acting_user=officers["kapolres"].user)
    assert set(incident.aduan.values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
        fourth.pk,
    }


def test_official_accounts_are_for_the_polres_admin_or_posko_itself(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    for name in ("operator", "kapolres", "other_operator"):
        with pytest.raises(NotPermitted):
            do_save_account(polres, "telegram", external_id="bot1", acting_user=officers[name].user)
    assert not ChannelAccount.objects.exists()
    account = do_save_account(polres, "telegram", external_id="bot1", acting_user=None)  # CLI
    with pytest.raises(NotPermitted):
        do_set_account_active(account, False, acting_user=officers["operator"].user)
    do_set_account_active(account, False, acting_user=officers["admin"].user)
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "channel_account_created",
        "channel_account_disabled",
    ]


@pytest.mark.django_db(transaction=True)
def test_moderation_by_moderators_of_the_polres_and_audited(
    client: Client,
    stream: dict[str, ModerationItem],  # noqa: F811 - fixture
    officers: dict[str, Officer],
    fake_api: FakeApi,
) -> None:
    item = stream["akun_anonim99"]
    for name in ("satreskrim", "auditor", "other_operator"):
        with pytest.raises(NotPermitted):
            do_dismiss(item, acting_user=officers[name].user)
    item.refresh_from_db()
    assert item.state == ModerationState.NEW
    do_dismiss(item, acting_user=officers["operator"].user)
    [row] = AuditEvent.objects.filter(action="comment_dismissed")
    assert row.target == f"moderation:{item.pk}" and row.actor == officers["operator"].user
    assert audit_label(row.action) == "Komentar publik diabaikan"
