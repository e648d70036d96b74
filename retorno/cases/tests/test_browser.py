"""The whole journey in Chromium: Milan registers a family, records consent and a session,
hands the case over; Lima accepts it and assigns Lucía; Darío at Madrid cannot open it."""

import datetime

import pytest
from django.utils import timezone

from retorno.cases.models import Case
from retorno.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.click("header button[type=submit]")
    page.wait_for_load_state()


def test_the_journey_from_milan_to_lima(live_server, browser, personas):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url

    # Ana registers María and her two children.
    sign_in(page, live_server, "ana.milano")
    page.goto(base + "/cases/new/")
    page.fill("#id_given_names", "María")
    page.fill("#id_first_surname", "Quispe")
    page.fill("#id_second_surname", "Huamán")
    page.check("#id_sex_0")
    page.fill("#id_birth_day", "27")
    page.fill("#id_birth_month", "3")
    page.fill("#id_birth_year", "1986")
    page.select_option("#id_nationality", "PE")
    page.select_option("#id_return_country", "PE")
    page.fill("#id_return_city", "Lima")
    page.fill("#id_phone_home", "987 654 321")
    assert axe_violations(page) == []
    page.click("text=Register person and open case")
    page.wait_for_load_state()
    assert "The person is registered and case MIL-" in page.inner_text("main")
    case_url = page.url
    reference = Case.objects.get().reference
    assert page.title() == f"Summary – Case {reference} – Retorno"
    assert axe_violations(page) == []

    for name in ("Pedro", "Lucía"):
        page.goto(case_url + "household/add/")
        page.check("#id_relationship_0")  # child
        page.fill("#id_given_names", name)
        page.fill("#id_first_surname", "Quispe")
        page.fill("#id_birth_year", "2015")
        page.click("text=Add household member")
        page.wait_for_load_state()
    assert "with 2 children" in page.inner_text(".identity-bar")

    # Consent to case management and to the transfer.
    for purpose in ("case_management", "transfer"):
        page.goto(case_url + f"consent/record/?purpose={purpose}")
        page.check("#id_given_0")
        page.check("#id_method_0")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert "The consent is recorded." in page.inner_text("main")

    # A counselling session.
    page.goto(case_url + "journal/add/")
    page.fill(
        "#id_summary", "First counselling session: she wants to go back to Lima with the children."
    )
    page.fill("#id_duration_minutes", "45")
    page.click("text=Save entry")
    page.wait_for_load_state()
    assert "First counselling session" in page.inner_text("main")

    # Through the European phases.
    for phase in ("Intake", "Preparation", "Ready to depart"):
        page.goto(case_url + "phase/")
        page.check(f"label:has-text('{phase}')")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert f"The case is now in the phase: {phase}." in page.inner_text("main")

    # The handover, checked before it is sent.
    page.click("text=Hand over case")
    page.select_option("#id_to_desk", label="Lima national desk")
    travel = timezone.localdate() + datetime.timedelta(days=14)
    page.fill("#id_travel_date", travel.isoformat())
    page.fill("#id_situation", "Returns with two children after losing her job.")
    page.fill("#id_needs", "Housing for the first months; school places; work.")
    page.click("text=Continue")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Check the handover before you send it"
    assert axe_violations(page) == []
    page.click("text=Hand over case to Lima national desk")
    page.wait_for_load_state()
    assert "Case handed over" in page.inner_text("main")
    sign_out(page)

    # Mateo accepts it and assigns Lucía.
    sign_in(page, live_server, "mateo.lima")
    assert "1 handover waiting for your desk" in page.inner_text("main")
    page.click(f"text=Case {reference} from Milan desk")
    page.wait_for_load_state()
    assert "Returns with two children" in page.inner_text("main")
    page.click("text=Accept handover")
    page.wait_for_load_state()
    page.select_option("#id_caseworker", label="Lucía Mendoza")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "You accepted the handover." in page.inner_text("main")
    assert "Lima national desk" in page.inner_text(".identity-bar")
    sign_out(page)

    # Lucía sees it on her My work page.
    sign_in(page, live_server, "lucia.lima")
    page.click("a[href*='phase=reception']")
    page.wait_for_load_state()
    assert reference in page.inner_text("main")
    sign_out(page)

    # Darío at Madrid cannot open it.
    sign_in(page, live_server, "dario.madrid")
    response = page.goto(case_url)
    assert response.status == 404
    page.goto(base + "/cases/")
    assert reference not in page.inner_text("main")
    context.close()


def test_the_case_list_on_a_phone_is_cards_and_does_not_scroll_sideways(
    live_server, phone, personas
):
    from retorno.cases.tests.factories import register

    for n in range(3):
        register(personas.lucia, given_names=f"Persona {n}")
    sign_in(phone, live_server, "lucia.lima")
    phone.goto(live_server.url + "/cases/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(phone) == []
