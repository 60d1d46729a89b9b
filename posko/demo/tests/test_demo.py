from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command

from posko.aduan.models import Aduan
from posko.org.models import Officer, Role
from posko.triage_store.models import Landmark


@pytest.mark.django_db
def test_seeding_twice_is_harmless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_DEMO_PASSWORD", "kata-sandi-demo-1")
    call_command("seed_demo")
    counts = (Aduan.objects.count(), Officer.objects.count(), Landmark.objects.count())
    call_command("seed_demo")
    assert (Aduan.objects.count(), Officer.objects.count(), Landmark.objects.count()) == counts
    assert Officer.objects.filter(role=Role.BHABINKAMTIBMAS).count() == 39
    for username in (
        "operator",
        "kapolres",
        "propam",
        "satlantas",
        "polsek.gantung",
        "bhabin.gantung",
        "auditor",
    ):
        assert Officer.objects.get(user__username=username).user.check_password("kata-sandi-demo-1")
    assert counts[0] >= 15


@pytest.mark.django_db
def test_demo_has_two_polres_rolled_up_for_kapolda_and_mabes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.test import Client

    from posko.aduan.access import visible_aduan
    from posko.aduan.models.choices import RESTRICTED_CATEGORIES
    from posko.aduan.models.policy import SlaPolicy
    from posko.org.models import Unit, UnitKind

    monkeypatch.setenv("POSKO_DEMO_PASSWORD", "kata-sandi-demo-1")
    call_command("seed_demo")
    belitung = Unit.objects.get(kind=UnitKind.POLRES, code_prefix="BLG")
    assert belitung.name == "Polres Belitung" and belitung.region.code == "19.02"  # type: ignore[union-attr]
    assert belitung.parent is not None and belitung.parent.name == "Polda Kepulauan Bangka Belitung"
    assert SlaPolicy.objects.filter(polres=belitung).exists()  # onboarded with its defaults
    assert Aduan.objects.filter(polres=belitung).count() >= 8
    assert Aduan.objects.filter(polres=belitung, category__in=RESTRICTED_CATEGORIES).exists()
    for username in ("kapolda", "mabes"):
        officer = Officer.objects.get(user__username=username)
        seen = visible_aduan(officer.user)
        assert set(seen.values_list("polres__code_prefix", flat=True)) == {"BLT", "BLG"}
        assert not seen.filter(category__in=RESTRICTED_CATEGORIES).exists()
        client = Client()
        assert client.login(username=username, password="kata-sandi-demo-1")
        html = client.get("/posko/komando/").content.decode()
        assert "Perbandingan Polres" in html
        assert "Polres Belitung<" in html and "Polres Belitung Timur<" in html
    kapolres = Officer.objects.get(user__username="kapolres.blg")
    assert set(visible_aduan(kapolres.user).values_list("polres__code_prefix", flat=True)) == {
        "BLG"
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker_pid(parent: int, default: int | None = None) -> int:
    """The pid of the live ``db_worker`` child of ``posko serve`` (Linux /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == parent and b"db_worker" in cmdline and stat[0] != "Z":
            return int(entry.name)
    if default is not None:
        return default
    raise AssertionError("no task worker found")


def test_serve_demo_runs_production_server_with_static_files(tmp_path: Path) -> None:
    """`posko serve --demo` on the embedded default: gunicorn + worker, static files, healthz."""
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in {"POSKO_DATABASE_URL", "POSKO_2FA_ROLES"}
    }
    env.update(POSKO_DATA_DIR=str(tmp_path / "var"), POSKO_DEMO_PASSWORD="demo-uji-123")
    proc = subprocess.Popen(
        [sys.executable, "-m", "posko", "serve", "--demo", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "demo server did not come up in 120 s"
            time.sleep(0.5)
        page = httpx.get(f"{base}/lapor/", timeout=5)
        assert page.status_code == 200 and "Buat laporan" in page.text
        assert "gunicorn" in page.headers.get("server", "")
        css = httpx.get(f"{base}/static/posko/posko.css", timeout=5)
        assert css.status_code == 200 and "--navy" in css.text
        login = httpx.post(
            f"{base}/posko/masuk/", data={"username": "operator", "password": "x"}, timeout=5
        )
        assert login.status_code == 403  # CSRF protection is on in the real server
        # The demo's shared accounts log in with the password alone (no POSKO_2FA_ROLES given).
        with httpx.Client(base_url=base, timeout=5) as browser:
            form = browser.get("/posko/masuk/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            assert token is not None
            logged_in = browser.post(
                "/posko/masuk/",
                data={
                    "username": "operator",
                    "password": "demo-uji-123",
                    "csrfmiddlewaretoken": token.group(1),
                },
            )
            assert logged_in.status_code == 302 and logged_in.headers["location"] == "/posko/"
            assert "Kotak masuk aduan" in browser.get("/posko/").text

        # A task worker killed with SIGKILL takes nothing down and is started again.
        worker = _worker_pid(proc.pid)
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while _worker_pid(proc.pid, default=worker) == worker:
            assert time.monotonic() < deadline, "the task worker was not started again"
            time.sleep(0.5)
        assert proc.poll() is None
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode == 0
