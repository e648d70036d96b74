"""The campaign's way in, end to end in Chromium: a visitor on a 360 px phone with JavaScript off
reads the Peru guide in Spanish and asks to be contacted; Olga, outreach officer at Milan, finds
the lead and turns it into an inquiry case at the Milan desk; Ana, caseworker at Milan, then
finds the case in her desk's list; and no public page ever shows what the visitor sent."""

import pytest

from retorno.accounts.actions import set_preferred_language
from retorno.accounts.middleware import act_as
from retorno.outreach.management.commands.load_public_content import load_public_content
from retorno.outreach.models import Lead
from retorno.testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["", "offer/", "eligibility/", "how-it-works/", "faq/", "desks/", "privacy/",
          "guides/", "guides/pe/", "sessions/", "contact/", "refer/"]  # fmt: skip


@pytest.fixture(autouse=True)
def async_unsafe(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_visitor_asks_for_help_and_becomes_an_inquiry_case_at_milan(
    live_server, browser, page, personas, settings
):
    settings.RETORNO_FORM_MIN_SECONDS = 0
    load_public_content(act_as(personas.olga))  # the texts the programme ships
    for user in (personas.olga, personas.ana):
        set_preferred_language(user, actor=user, language="it")

    # The visitor, on a phone without JavaScript, in Spanish.
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="es-PE"
    )
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}/")
    assert visitor.url == f"{live_server.url}/es/"
    visitor.click("header nav.primary a[href='/es/guides/']")
    visitor.click("main a[href='/es/guides/pe/']")
    assert visitor.locator("html").get_attribute("lang") == "es"
    assert visitor.inner_text("h1") == "Volver a Perú: guía práctica"
    assert "SUNEDU" in visitor.inner_text("main")
    visitor.click("header nav.primary a[href='/es/contact/']")
    visitor.fill("#id_given_names", "Yolanda")
    visitor.fill("#id_surnames", "Ccori Mamani")
    visitor.check("#id_channel_1")  # WhatsApp
    visitor.fill("#id_phone", "+39 345 678 9012")
    visitor.select_option("#id_region", "IT-21")  # Piedmont: Milan's desk
    visitor.fill("#id_province", "Torino")
    visitor.select_option("#id_return_country", "PE")
    visitor.check("#id_consent")
    visitor.click("main form button[type=submit]")
    assert visitor.url.endswith("/es/contact/thanks/")
    assert "Yolanda" not in visitor.content()
    assert context.cookies() == []
    lead = Lead.objects.get(given_names="Yolanda")
    assert (lead.desk.code, lead.status, lead.source) == ("MIL", "new", "site")

    # Olga finds the lead in Milan's inbox and opens an inquiry case.
    sign_in(page, live_server, "olga.outreach")
    page.goto(f"{live_server.url}/outreach/leads/")
    page.get_by_role("link", name=lead.reference).click()
    page.wait_for_load_state()
    assert "Ccori Mamani" in page.inner_text("main")
    page.locator("main form:has(input[name=action][value=convert]) button[type=submit]").click()
    page.wait_for_load_state()
    lead.refresh_from_db()
    assert lead.status == "converted"
    case = lead.case
    assert (case.owning_desk.code, case.phase) == ("MIL", "inquiry")
    assert case.reference in page.inner_text("main")
    page.click("header button[type=submit]")  # sign out
    page.wait_for_load_state()

    # Ana finds the new inquiry in her desk's case list.
    sign_in(page, live_server, "ana.milano")
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("link", name=case.reference).first.click()
    page.wait_for_load_state()
    assert "Yolanda" in page.inner_text("main")

    # The public site never shows what the visitor sent, in any language.
    for language in ("es", "it", "pt", "en"):
        for path in PUBLIC:
            visitor.goto(f"{live_server.url}/{language}/{path}")
            content = visitor.content()
            for sent in ("Yolanda", "Ccori", "678 9012", lead.reference, case.reference):
                assert sent not in content, (language, path, sent)
    context.close()
