"""Issue 10 in Chromium, in Spanish: Lucía requests a micro-enterprise grant with a supplier's
quote, Mateo approves it, Lucía records the first instalment with its receipt, and the budget
page shows what is committed and paid. The policy and the envelope are set through the
factories, as programme coordination would have set them."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from retorno.accounts.actions import set_preferred_language
from retorno.grants.models import Grant
from retorno.grants.tests import factories as f
from retorno.plans.tests.factories import approved_plan, lima_case
from retorno.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVE = "main form[method=post] button[type=submit]:not([name])"


def es(message, **values):
    with translation.override("es"):
        return gettext(message) % values if values else gettext(message)


def sign_out(page):
    page.click("header button[type=submit]")
    page.wait_for_load_state()


def saved(page):
    page.locator(SAVE).first.click()
    page.wait_for_load_state()
    assert not page.locator(".error-summary").count(), page.inner_text(".error-summary")


def test_a_micro_enterprise_grant_requested_approved_and_paid_in_spanish(
    live_server, browser, personas, tmp_path
):
    for user in (personas.lucia, personas.mateo):
        set_preferred_language(user, actor=user, language="es")
    case = lima_case(personas)
    approved_plan(case, personas)
    f.policy(case.cycle, personas, threshold="2500")
    f.envelope(case.cycle, personas.org("LIM"), personas, "20000")
    quote = tmp_path / "cotizacion.pdf"
    quote.write_bytes(f.PDF)
    receipt = tmp_path / "recibo.pdf"
    receipt.write_bytes(f.PDF)
    context = browser.new_context(locale="es-PE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    try:
        # Lucía requests the grant from the economic action of the plan.
        sign_in(page, live_server, "lucia.lima")
        page.goto(f"{base}/cases/{case.public_id}/plan/")
        page.click(f"main a[href='/grants/new/{f.economic_action(case).public_id}/']")
        page.wait_for_load_state()
        assert page.inner_text("h1") == es("Request a grant")
        page.check("input[name=grant_type][value=self_employment]")
        page.select_option("#id_currency", "PEN")
        page.fill("#id_amount", "8.600")
        page.fill("#id_rate", "4,3")
        page.fill("#id_purpose", "Abrir un taller de costura")
        page.fill("#id_business_activity", "Taller de costura en casa: arreglos y uniformes")
        page.fill("#id_business_startup_costs", "Máquina de coser industrial 3.800 PEN")
        page.fill("#id_business_monthly_income", "1.800")
        page.fill("#id_business_monthly_costs", "700")
        page.fill("#id_business_assets", "Una máquina doméstica y un cuarto")
        saved(page)
        assert es("The request is saved as a draft.") in page.inner_text("main")
        grant = Grant.objects.get(case=case)
        assert es("at least one supplier quote") in page.inner_text("main")
        page.click(f"main a[href='/grants/{grant.public_id}/quotes/add/']")
        page.set_input_files("#id_file", str(quote))
        page.fill("#id_supplier", "Máquinas del Sur SAC")
        page.fill("#id_amount", "3.800")
        saved(page)
        assert "Máquinas del Sur SAC" in page.inner_text("main")
        page.click(f"main form[action='/grants/{grant.public_id}/submit/'] button")
        page.wait_for_load_state()
        grant.refresh_from_db()
        assert grant.status == Grant.Status.SUBMITTED
        assert not axe_violations(page)
        sign_out(page)

        # Mateo, who did not prepare it, approves it.
        sign_in(page, live_server, "mateo.lima")
        page.click(f"main a[href='/grants/{grant.public_id}/decide/']")
        page.wait_for_load_state()
        assert page.inner_text("h1") == es("Check the request before you decide")
        assert "8.600,00" in page.inner_text("main") and "2.000,00" in page.inner_text("main")
        assert not axe_violations(page)
        page.check("input[name=decision][value=approve]")
        saved(page)
        grant.refresh_from_db()
        assert grant.status == Grant.Status.APPROVED
        sign_out(page)

        # Lucía records the first instalment, with its receipt.
        sign_in(page, live_server, "lucia.lima")
        page.goto(f"{base}/grants/{grant.public_id}/")
        instalment = grant.instalments.get()
        page.click(
            f"main a[href='/grants/{grant.public_id}/instalments/{instalment.public_id}/pay/']"
        )
        page.wait_for_load_state()
        assert page.locator("#id_paid_on").input_value() == datetime.date.today().isoformat()
        page.check("input[name=method][value=transfer]")
        page.set_input_files("#id_receipt", str(receipt))
        saved(page)
        grant.refresh_from_db()
        assert grant.status == Grant.Status.PAID
        assert instalment.receipts.count() == 1

        sign_out(page)

        # Lima's budget, as its coordinator reads it, shows what is committed and paid.
        sign_in(page, live_server, "mateo.lima")
        page.goto(f"{base}/grants/budget/")
        page.wait_for_load_state()
        main = page.inner_text("main")
        assert page.inner_text("h1").startswith(es("Budget of %(desk)s", desk="").strip())
        assert "2.000,00\xa0€" in main and "20.000,00\xa0€" in main and "18.000,00\xa0€" in main
        assert es("Committed") in main and es("Paid") in main
        assert not axe_violations(page)
    finally:
        context.close()
    assert errors == []
