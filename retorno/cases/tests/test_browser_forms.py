"""Forms in Chromium: the double-submit guard on a form with a field named "method"."""

import time

import pytest

from retorno.cases.tests.factories import register
from retorno.testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what the submit button shows while the form is posting; sessionStorage outlives the
# navigation that the post ends in.
WATCH_BUTTON = """() => {
  const button = document.querySelector("main button[type=submit]");
  new MutationObserver(() => {
    sessionStorage.setItem("seen", button.textContent + "|" + button.getAttribute("aria-disabled"));
  }).observe(button, {attributes: true, childList: true, characterData: true, subtree: true});
}"""


def slow_post(route):
    # Half a second on the way, so the page shows its busy state as it would on a slow line.
    if route.request.method == "POST":
        time.sleep(0.5)
    route.continue_()


def test_the_consent_form_reads_saving_while_posting_and_logs_no_error(live_server, page, personas):
    case = register(personas.ana)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, "ana.milano")
    page.goto(f"{live_server.url}/cases/{case.public_id}/consent/record/?purpose=case_management")
    page.route("**/consent/record/**", slow_post)
    page.check("#id_given_0")
    page.check("#id_method_0")
    page.evaluate(WATCH_BUTTON)
    with page.expect_navigation():
        page.click("main button[type=submit]")

    assert "The consent is recorded." in page.inner_text("main")
    assert page.evaluate("sessionStorage.getItem('seen')") == "Saving…|true"
    assert errors == []
