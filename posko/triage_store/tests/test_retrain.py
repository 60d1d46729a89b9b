from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from posko.aduan.actions import do_correct_labels, do_submit_aduan
from posko.conftest import PASSWORD
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit
from posko.triage import TriageInput
from posko.triage_store.loader import triager_for
from posko.triage_store.models import TriageModelVersion

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

# A real kind of report the base set does not cover well: nets cut by trawlers.
TEXT = "jaring nelayan kami dipotong kapal trawl tadi subuh, kerugian jutaan, mohon ditindak"


def _category(polres: Unit) -> str:
    return triager_for(polres).classify(TriageInput(id="x", text=TEXT)).category


@pytest.mark.django_db
def test_correction_then_retrain_activates_a_version_that_learns_it(
    polres: Unit, officers: dict[str, Officer], capsys: pytest.CaptureFixture[str]
) -> None:
    aduan = do_submit_aduan(polres, text=TEXT, channel="web")
    wanted = "lingkungan" if aduan.category != "lingkungan" else "penipuan"
    do_correct_labels(aduan, acting_user=officers["operator"].user, category=wanted)

    call_command("triage", "retrain", "--polres", "BLT", "--force")
    out = capsys.readouterr().out
    assert "versi 1" in out and "1 koreksi operator" in out and "AKTIF" in out
    active = TriageModelVersion.objects.get(polres=polres, is_active=True)
    assert active.version == 1 and active.corrections == 1
    assert _category(polres) == wanted


@pytest.mark.django_db
def test_versions_and_rollback(polres: Unit, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("triage", "retrain", "--polres", "BLT", "--force")
    first = TriageModelVersion.objects.get(is_active=True)
    # A second version (same weights; training twice would only slow the test down).
    TriageModelVersion.objects.filter(pk=first.pk).update(is_active=False)
    TriageModelVersion.objects.create(polres=polres, version=2, path=first.path, is_active=True)

    call_command("triage", "rollback", "1", "--polres", "BLT")
    assert TriageModelVersion.objects.get(is_active=True).version == 1
    call_command("triage", "versions", "--polres", "BLT")
    assert "* v1" in capsys.readouterr().out

    call_command("triage", "rollback", "--shipped", "--polres", "BLT")
    assert not TriageModelVersion.objects.filter(is_active=True).exists()


@pytest.mark.django_db(transaction=True)
def test_console_retrain_runs_in_the_background(polres: Unit, officers: dict[str, Officer]) -> None:
    client = Client()
    client.login(username="operator", password=PASSWORD)
    page = client.get("/posko/triase/")
    assert page.status_code == 200 and "model bawaan" in page.content.decode().lower()

    assert client.post("/posko/triase/", {"action": "retrain"}).status_code == 302
    assert not TriageModelVersion.objects.exists()  # queued, not trained in the request
    run_tasks()
    version = TriageModelVersion.objects.get()
    assert version.created_by == officers["operator"].user
    assert "v1" in client.get("/posko/triase/").content.decode()

    petugas = Client()
    petugas.login(username="satlantas", password=PASSWORD)
    assert petugas.get("/posko/triase/").status_code == 403
