"""The API docs page in Chromium: it needs nothing our content-security policy blocks."""

import pytest

from retorno.testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_shows_no_content_security_policy_error(live_server, page, personas):
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    sign_in(page, live_server, "ana.milano")

    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary")
    page.click(".opblock-summary >> nth=0")  # open an operation, which draws more of the page
    page.wait_for_selector(".opblock-body")
    page.wait_for_load_state("networkidle")

    assert page.inner_text(".info .title").startswith("Retorno API")
    assert messages == []
