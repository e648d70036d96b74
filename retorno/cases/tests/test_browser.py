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
