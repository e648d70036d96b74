"""Real Chromium: sign in, switch language, sign out; accessibility checked with axe-core."""

import pytest
from django.urls import reverse

from retorno.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ana_signs_in_switches_to_spanish_and_portuguese_and_signs_out(live_server, page, personas):
    sign_in(page, live_server, "ana.milano")
    assert page.title() == "My work – Retorno"
    assert page.locator("h1").inner_text() == "My work"
    assert axe_violations(page) == []

    page.click("button[lang=es]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Mi trabajo"
    assert page.locator("button[lang=es]").get_attribute("aria-current") == "true"

    page.click("button[lang=pt]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pt"
    assert page.locator("h1").inner_text() == "O meu trabalho"
    assert axe_violations(page) == []

    page.click("header button[type=submit]")  # Sign out
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    page.goto(live_server.url + reverse("accounts:profile"))  # signed out: / is the public site
    assert "/accounts/login/" in page.url


def test_the_sign_in_page_shows_errors_accessibly(live_server, page, personas):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "ana.milano")
    page.fill("#id_password", "wrong")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert "There is a problem" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Error: ")
    assert page.input_value("#id_login") == "ana.milano"
    assert axe_violations(page) == []


def test_on_a_phone_the_menu_opens_and_nothing_scrolls_sideways(live_server, phone, personas):
    sign_in(phone, live_server, "pia.dpo")
    menu = phone.locator(".menu-toggle")
    assert menu.is_visible()
    assert not phone.locator("#primary-nav-list").is_visible()
    menu.click()
    assert phone.locator("#primary-nav-list a[href='/audit/']").is_visible()
    phone.goto(live_server.url + "/audit/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(phone) == []


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(live_server, page, personas):
    sign_in(page, live_server, "ana.milano")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
