"""In Chromium, at 1280 px and on a 360 px phone: Olga finds a new lead in Milan's inbox, opens
it and turns it into an inquiry case; Ana then opens the case from the lead. Axe finds no serious
or critical violation on the inbox or the lead page. With RETORNO_SCREENSHOTS set to a folder,
the pages are saved there as PNG."""

import os
from pathlib import Path

import pytest

from retorno.accounts.actions import set_preferred_language
from retorno.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def async_unsafe(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def shot(page, name):
    folder = os.environ.get("RETORNO_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", ["wide", "phone"])
def test_olga_turns_a_lead_into_a_case_that_ana_opens(
    live_server, page, phone, personas, make_lead, size
):
    tab = page if size == "wide" else phone
    for user in (personas.olga, personas.ana):
        set_preferred_language(user, actor=user, language="en")
    lead = make_lead(
        source="organisation",
        referrer_name="Associazione Todo Cambia",
        referrer_contact="Marta Ruiz",
    )
    make_lead(given_names="Carmen", surnames="Vargas", channel="email", email="c@example.org")
    sign_in(tab, live_server, "olga.outreach")
    tab.goto(f"{live_server.url}/outreach/leads/")
    assert tab.locator("h1").inner_text() == "Leads"
    assert axe_violations(tab) == []
    shot(tab, f"leads-inbox-{size}")
    tab.get_by_role("link", name=lead.reference).click()
    tab.wait_for_load_state()
    assert "Associazione Todo Cambia" in tab.inner_text("main")
    assert axe_violations(tab) == []
    shot(tab, f"lead-page-{size}")
    tab.get_by_role("button", name="Open an inquiry case").click()
    tab.wait_for_load_state()
    main = tab.inner_text("main")
    assert "is now inquiry case" in main
    lead.refresh_from_db()
    assert lead.case is not None
    shot(tab, f"lead-converted-{size}")
    tab.click("header button[type=submit]")  # sign out
    tab.wait_for_load_state()
    sign_in(tab, live_server, "ana.milano")
    tab.goto(f"{live_server.url}/outreach/leads/{lead.public_id}/")
    tab.get_by_role("link", name=lead.case.reference).click()
    tab.wait_for_load_state()
    assert "Rosa Elena" in tab.inner_text("main")
