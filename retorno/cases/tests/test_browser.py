"""Case pages in Chromium. The journey from Milan to Lima, in every language, is
retorno/tests/test_journey_browser.py."""

import pytest

from retorno.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_typing_a_name_quickly_on_the_register_form_logs_no_console_error(
    live_server, page, personas
):
    # Each field left asks for look-alikes; a newer request used to abort the one still running,
    # which htmx reports as a console error.
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, "ana.milano")
    page.goto(live_server.url + "/cases/new/")
    for selector, value in (
        ("#id_given_names", "María"),
        ("#id_first_surname", "Quispe"),
        ("#id_second_surname", "Huamán"),
        ("#id_birth_day", "27"),
        ("#id_birth_month", "3"),
        ("#id_birth_year", "1986"),
    ):
        page.fill(selector, value)
        page.press(selector, "Tab")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert errors == []


def test_the_error_summary_links_to_the_fields_readably(live_server, page, personas):
    sign_in(page, live_server, "ana.milano")
    page.goto(live_server.url + "/cases/new/")
    page.fill("#id_given_names", "María")
    page.fill("#id_birth_month", "13")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error-summary a[href^='#']").count() == 1
    assert axe_violations(page) == []
