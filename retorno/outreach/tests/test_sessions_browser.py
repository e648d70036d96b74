"""The campaign's pages in Chromium, at 1280 px and on a 360 px phone: Olga counts the people at
a held session on her phone, reads the session and the campaign figures; axe-core finds nothing
serious or critical, and nothing is wider than the phone's screen."""

import os
from pathlib import Path

import pytest

from retorno.outreach.models import AttendanceCount
from retorno.outreach.tests.test_figures import build_world
from retorno.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set to a folder to keep the screenshots of the pages (to look at them).
SHOTS = os.environ.get("RETORNO_SCREENSHOTS")


def look(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    assert axe_violations(page) == [], name
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, f"{name} is wider than the screen"


@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_session_and_the_figures(
    live_server, request, personas, campaign, make_session, lead_fields, device
):
    cycle = build_world(personas, campaign, make_session, lead_fields)
    milan = campaign.sessions.filter(region="IT-25", status="held").get()
    page = request.getfixturevalue(device)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, "olga.outreach")
    base = live_server.url

    page.goto(f"{base}/outreach/")
    assert milan.title in page.inner_text("main")
    look(page, f"campaign-{device}")

    page.goto(f"{base}/outreach/sessions/new/")
    look(page, f"session-form-{device}")

    page.goto(f"{base}/outreach/sessions/{milan.public_id}/counts/")
    page.select_option("#id_form-1-nationality", "EC")
    page.select_option("#id_form-1-sex", "female")
    page.fill("#id_form-1-age_45-59", "6")
    look(page, f"counts-{device}")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert AttendanceCount.objects.get(session=milan, nationality="EC").count == 6
    assert page.url.endswith(f"/outreach/sessions/{milan.public_id}/")
    look(page, f"session-{device}")

    page.goto(f"{base}/outreach/figures/?cycle={cycle.public_id}")
    assert "Lombardia" in page.inner_text("main")
    look(page, f"figures-{device}")
    assert errors == []
