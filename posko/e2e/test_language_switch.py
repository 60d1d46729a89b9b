"""The ID/EN switcher of the portal and of the console in a real browser: a plain form (no
script), under strict CSP."""

from __future__ import annotations

from typing import Any

import pytest

from posko.conftest import PASSWORD
from posko.e2e.test_citizen_flow import shot
from posko.org.models import Officer, Unit


@pytest.mark.django_db(transaction=True)
def test_switch_to_english_and_back(page: Any, live_server: Any, polres: Unit) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/lacak/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Lacak laporan"
    english = page.locator(".lang-switch button[value=en]")
    assert english.get_attribute("aria-pressed") == "false"

    english.click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/lacak/"  # back on the same page
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Track a report"
    assert page.locator(".lang-switch button[value=en]").get_attribute("aria-pressed") == "true"
    shot(page, "10-lacak-en")

    # The choice is kept from page to page.
    page.click(".pub-nav >> text=Make a report")
    assert page.locator("h1").inner_text() == "Make a report"
    page.fill("#id_text", "short")
    page.click("form.form--public button[type=submit]")
    assert "Your report has not been sent" in page.content()

    page.click(".lang-switch button[value=id]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Buat laporan"
    assert problems == []  # nothing refused by the Content-Security-Policy


@pytest.mark.django_db(transaction=True)
def test_console_switches_to_english_and_back(
    page: Any, live_server: Any, officers: dict[str, Officer]
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/posko/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.click(".lang-switch button[value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Log in"
    page.fill("#id_username", "operator")
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Report inbox"
    shot(page, "11-konsol-en")

    page.click(".con-nav >> text=Record a report")
    assert page.locator("h1").inner_text() == "Record a report"
    page.click(".con-header .lang-switch button[value=id]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Catat aduan"
    assert problems == []  # nothing refused by the Content-Security-Policy
