"""The public site in Chromium on a 360 px phone with JavaScript off: every public page in the
four languages reads without a horizontal scroll and axe-core finds no serious or critical
violation; a first visit of the home page and of the Peru guide stays light; a visitor reads
the Peru guide in Spanish and asks to be contacted without JavaScript."""

import pytest

from retorno.directory.tests import factories
from retorno.outreach.models import Lead
from retorno.outreach.tests.public_site import publish_site
from retorno.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PAGES = ["", "offer/", "eligibility/", "how-it-works/", "faq/", "desks/", "privacy/", "guides/",
         "guides/pe/", "sessions/", "SESSION", "contact/", "contact/thanks/", "refer/",
         "refer/thanks/"]  # fmt: skip
# Bytes of a first visit (HTML and CSS, uncompressed): the budget the site must stay under.
BUDGET = 60_000


@pytest.fixture
def site(personas, make_session):
    publish_site(personas)
    org = factories.organization(personas, name="SENCE Perú", phones=[{"number": "+5114567890"}])
    lima = factories.location(org, personas)
    for number in range(8):
        factories.service(org, personas, name=f"Servicio público {number}", locations=[lima])
    return make_session(capacity=2)


@pytest.fixture
def no_js(browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="es-PE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def with_js(browser):
    context = browser.new_context(viewport=PHONE, locale="es-PE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def paths(session):
    return [p.replace("SESSION", f"sessions/{session.public_id}/") for p in PAGES]


def test_every_public_page_in_every_language_on_a_phone(live_server, site, no_js, with_js):
    problems = []
    for lang in ("it", "es", "pt", "en"):
        for path in paths(site):
            url = f"{live_server.url}/{lang}/{path}"
            response = no_js.goto(url)
            assert response.status == 200, url
            # Without JavaScript the page is laid out as a visitor without it sees it; the width
            # is read through the DevTools protocol, which a page's settings do not stop.
            width = no_js.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{url}: {width}px wide")
            # axe-core needs the page's JavaScript on: the same page in a second context.
            with_js.goto(url)
            problems += [f"{url}: {v}" for v in axe_violations(with_js)]
    assert problems == []


def first_visit_bytes(browser, url) -> dict:
    """The bytes of every response of a first visit (HTML, CSS), bodies read once loaded."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url)
    page.wait_for_load_state("load")
    sizes = {response.url.rsplit("/", 2)[-2] + "/" + response.url.rsplit("/", 1)[-1]:
             len(response.body()) for response in responses}  # fmt: skip
    context.close()
    return sizes


def test_a_first_visit_is_light(live_server, site, browser, capsys):
    home = first_visit_bytes(browser, f"{live_server.url}/es/")
    guide = first_visit_bytes(browser, f"{live_server.url}/es/guides/pe/")
    with capsys.disabled():
        print(f"\nfirst visit, uncompressed: home {home}, Peru guide {guide}")
    # The page, its one style sheet and the browser's favicon: no script, font or image.
    for visit in (home, guide):
        assert visit["outreach/public.css"] > 1000
        assert set(visit) - {"outreach/public.css", "retorno/favicon.svg"} == {
            next(name for name in visit if name.endswith("/"))
        }
    assert sum(home.values()) < BUDGET
    assert sum(guide.values()) < BUDGET


def test_a_visitor_reads_the_peru_guide_and_asks_to_be_contacted(
    live_server, site, no_js, settings
):
    settings.RETORNO_FORM_MIN_SECONDS = 0
    no_js.goto(f"{live_server.url}/es/guides/")
    no_js.click("main a[href='/es/guides/pe/']")
    assert "Servicio público 3" in no_js.inner_text("main")
    no_js.click("header nav.primary a[href='/es/contact/']")
    no_js.fill("#id_given_names", "Rosa Elena")
    no_js.fill("#id_surnames", "Quispe")
    no_js.check("#id_channel_1")  # WhatsApp
    no_js.fill("#id_phone", "+39 333 123 4567")
    no_js.select_option("#id_region", "IT-25")
    no_js.select_option("#id_return_country", "PE")
    # A first try without consent: the form comes back with everything typed.
    no_js.click("main form button[type=submit]")
    assert no_js.locator(".error-summary").count() == 1
    assert no_js.input_value("#id_given_names") == "Rosa Elena"
    assert no_js.input_value("#id_region") == "IT-25"
    no_js.check("#id_consent")
    no_js.click("main form button[type=submit]")
    assert no_js.url.endswith("/es/contact/thanks/")
    assert "Rosa" not in no_js.content()
    assert Lead.objects.get().given_names == "Rosa Elena"
    assert no_js.context.cookies() == []
