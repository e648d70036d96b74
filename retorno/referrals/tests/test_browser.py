"""Issue 4 in Chromium: Lucía adapts the plan drafted in Milan, Mateo approves it, Lucía refers
the person to the training centre, Carla accepts and completes the referral, Lucía sees the
action done; Carla cannot open any other case."""

import pytest

from retorno.cases import actions as case_actions
from retorno.cases.tests.factories import handed_over, register
from retorno.conftest import acting
from retorno.plans.tests.factories import approved_plan, training_service
from retorno.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.click("header button[type=submit]")
    page.wait_for_load_state()


def test_a_plan_adapted_in_lima_and_a_referral_answered_by_the_training_centre(
    live_server, page, personas
):
    service = training_service(personas)
    case = register(personas.ana)
    # Drafted before departure in Milan, approved there by another person.
    approved_plan(case, personas, writer=personas.ana, approver=personas.bruno)
    handover = handed_over(case, personas.ana, personas.org("LIM"))
    case = case_actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    other = register(personas.lucia, given_names="Rosa", first_surname="Flores")
    base = live_server.url
    plan_url = f"{base}/cases/{case.public_id}/plan/"

    # Lucía adapts the plan: a new version with the sewing course at the training centre.
    sign_in(page, live_server, "lucia.lima")
    page.goto(plan_url)
    page.click("text=Change the plan (new version)")
    page.wait_for_load_state()
    assert "Version 2" in page.inner_text("main")
    page.click("text=Add an action")
    page.fill("#id_description", "Sewing course at the training centre")
    page.check("label:has-text('A service from the directory')")
    page.select_option("#id_service", label=service.name)
    page.fill("#id_estimated_cost", "350,00")
    page.select_option("#id_currency", "PEN")
    page.click("main button[type=submit]:has-text('Save')")
    page.wait_for_load_state()
    page.click("text=Submit for approval")
    page.wait_for_load_state()
    assert "waiting for approval" in page.inner_text("main")
    sign_out(page)

    # Mateo approves it.
    sign_in(page, live_server, "mateo.lima")
    assert "1 plan waiting for your approval" in page.inner_text("main")
    page.goto(plan_url + "approve/")
    assert page.inner_text("h1") == "Check the plan before you approve it"
    page.click("text=Approve version 2")
    page.wait_for_load_state()
    assert "Version 2 of the plan is approved." in page.inner_text("main")
    sign_out(page)

    # Lucía records consent to share with the training centre, then refers.
    sign_in(page, live_server, "lucia.lima")
    page.goto(plan_url)
    page.click("text=Refer to this service")
    page.wait_for_load_state()
    assert "has not agreed to share their data" in page.inner_text("main")
    page.click("main button:has-text('Record consent')")
    page.wait_for_load_state()
    page.check("#id_given_0")
    page.check("#id_method_0")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(plan_url)
    page.click("text=Refer to this service")
    page.wait_for_load_state()
    assert "What Centro de Formación Profesional Lima will see" in page.inner_text("main")
    assert axe_violations(page) == []
    page.click("text=Send referral")
    page.wait_for_load_state()
    assert "They reply in Retorno" in page.inner_text("main")
    sign_out(page)

    # Carla accepts it, and later completes it.
    sign_in(page, live_server, "carla.partner")
    assert "Referrals (1 new)" in page.inner_text("main")
    page.click("text=Curso de costura")
    page.wait_for_load_state()
    assert "María Quispe Huamán" in page.inner_text("main")
    assert axe_violations(page) == []
    page.click("text=Accept referral")
    page.wait_for_load_state()
    page.click("text=Record the outcome")
    page.wait_for_load_state()
    page.check("text=Completed, with a certificate")
    page.click("button:has-text('Continue')")
    page.wait_for_load_state()
    assert "Check the outcome before you record it" in page.inner_text("main")
    assert axe_violations(page) == []
    page.click("text=Record outcome: Completed, with a certificate")
    page.wait_for_load_state()
    assert "the outcome is recorded" in page.inner_text("main")
    # Carla cannot open any other case.
    for url in (f"/cases/{other.public_id}/", f"/cases/{case.public_id}/", "/cases/"):
        response = page.goto(base + url)
        assert response.status == 403
    sign_out(page)

    # Lucía sees the action done.
    sign_in(page, live_server, "lucia.lima")
    page.goto(plan_url)
    row = page.locator("tr", has_text="Sewing course at the training centre")
    assert row.locator("select").input_value() == "done"
    assert "Referral: Completed, with a certificate" in row.inner_text()


def test_a_referral_typed_before_recording_consent_is_not_lost(live_server, page, personas):
    from retorno.plans.tests.factories import lima_case

    service = training_service(personas)
    case = lima_case(personas)
    approved_plan(case, personas, service=service)
    sign_in(page, live_server, "lucia.lima")
    page.goto(f"{live_server.url}/cases/{case.public_id}/plan/")
    page.click("text=Refer to this service")
    page.wait_for_load_state()
    page.fill("#id_need", "Evening classes: she works in the mornings")
    page.check("label:has-text('Languages')")
    page.uncheck("label:has-text('Phone')")
    page.click("main button:has-text('Record consent')")
    page.wait_for_load_state()
    assert page.is_checked("input[name=purpose][value=partner_sharing]")
    page.check("#id_given_0")
    page.check("#id_method_0")
    page.click("main button[type=submit]:has-text('Record consent')")
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Your referral is as you left it" in main
    assert page.input_value("#id_need") == "Evening classes: she works in the mornings"
    ticked = page.eval_on_selector_all(
        "input[name=shared_fields]:checked", "boxes => boxes.map(b => b.value)"
    )
    assert ticked == ["name", "email", "need", "languages"]
    page.click("text=Send referral")
    page.wait_for_load_state()
    assert "They reply in Retorno" in page.inner_text("main")
