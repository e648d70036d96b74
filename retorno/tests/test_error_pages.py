"""Error pages: a wrong address meets Retorno's own page, in the person's language, even in
the demo, which runs with DEBUG on."""

import pytest
from django.urls import reverse


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True
    settings.RETORNO_DEMO = True
    settings.RETORNO_TECHNICAL_404 = False
    return settings


def test_a_missing_page_in_the_demo_is_retornos_page(client, demo_settings, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Page not found" in page
    assert '<a href="/">Go to My work</a>' in page
    assert '<header class="site-header">' in page
    assert '<footer class="site-footer">' in page
    assert "URLconf" not in page
    assert "api/v1/" not in page


def test_a_missing_page_is_in_the_language_chosen(client, demo_settings, db):
    client.cookies["django_language"] = "it"

    page = client.get("/no-such-page/").content.decode()

    assert '<html lang="it"' in page
    assert "<h1>Pagina non trovata</h1>" in page
    assert "URLconf" not in page


def test_a_record_you_may_not_see_in_the_demo_is_retornos_page(personas, as_user, demo_settings):
    from retorno.cases.tests.factories import register

    case = register(personas.ana)

    response = as_user(personas.dario).get(reverse("cases:case", args=[case.public_id]))

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_developers_can_ask_for_djangos_technical_page(client, demo_settings, db):
    demo_settings.RETORNO_TECHNICAL_404 = True

    page = client.get("/no-such-page/").content.decode()

    assert "URLconf" in page


def test_the_api_keeps_its_json_404_in_the_demo(client, demo_settings, db):
    response = client.get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
