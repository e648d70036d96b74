"""The public site's pages: in the reader's language or another with a notice, never a draft,
a public 404, search-engine and sharing metadata, no cookie, counted views, and the visitor of
/ sent to the public home in their browser's language."""

import pytest
from django.test import Client

from retorno.outreach.models import PublicCount
from retorno.outreach.tests.public_site import publish_page, publish_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(personas):
    publish_site(personas)


@pytest.mark.parametrize("lang", ["it", "es", "pt", "en"])
def test_home_in_each_language(site, lang):
    response = Client().get(f"/{lang}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in page
    assert response["Content-Language"] == lang
    assert "is not yet available" not in page


def test_home_has_metadata_for_search_engines_and_sharing(site):
    page = Client().get("/es/").content.decode()
    assert "<title>Volver a casa, con apoyo (home) · " in page
    assert '<meta name="description" content="El programa de retorno voluntario asistido.">' in page
    assert '<link rel="canonical" href="http://testserver/es/">' in page
    for code in ("it", "es", "pt", "en"):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/">' in page
    assert '<meta property="og:title" content="Volver a casa, con apoyo (home)">' in page
    assert '<meta property="og:locale" content="es_ES">' in page
    assert '<meta property="og:url" content="http://testserver/es/">' in page
    assert '<meta property="og:type" content="website">' in page
    assert '<meta property="og:site_name"' in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_language_switcher_links_the_same_page(site):
    page = Client().get("/es/faq/").content.decode()
    assert '<a href="/it/faq/" hreflang="it" lang="it">Italiano</a>' in page
    assert '<a href="/en/faq/" hreflang="en" lang="en">English</a>' in page
    assert '<span aria-current="true" lang="es">Español</span>' in page


def test_navigation_and_footer(site):
    page = Client().get("/en/offer/").content.decode()
    for label in ("What we offer", "Who can take part", "How it works", "Country guides",
                  "Info sessions", "Ask to be contacted", "FAQ", "Desks", "Privacy notice",
                  "For organisations: refer a person", "Staff sign-in"):  # fmt: skip
        assert label in page
    assert '<a href="/en/offer/" aria-current="page">What we offer</a>' in page
    assert 'href="/accounts/login/"' in page


def test_page_missing_in_the_language_shows_the_available_one_with_a_notice(personas):
    publish_page(personas, "faq", languages=("it",))
    page = Client().get("/en/faq/").content.decode()
    assert "This page is not yet available in English; it is shown in Italian." in page
    assert '<article lang="it" class="prose">' in page


def test_a_draft_is_never_shown(personas):
    publish_page(personas, "offer", draft_after=True)
    page = Client().get("/it/offer/").content.decode()
    assert "Tornare a casa, con un sostegno (offer)" in page
    assert "SECRET DRAFT TEXT" not in page and "DRAFT TITLE" not in page


def test_a_page_never_published_is_a_public_404(personas):
    from retorno.accounts.middleware import act_as
    from retorno.outreach.actions import content

    olga = act_as(personas.olga)
    page = content.create_page(actor=olga, key="desks", kind="page")
    content.save_version(
        page, actor=olga, language="it", title="Titolo in bozza", description="d", body="BOZZA"
    )
    response = Client().get("/it/desks/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "BOZZA" not in text
    assert "Titolo in bozza" not in text
    assert 'href="/static/outreach/public.css"' in text  # the public site's own style
    assert Client().get("/es/desks")["Location"] == "/es/desks/"
    unknown = Client().get("/es/no-such-page/")
    assert unknown.status_code == 404
    assert '<html lang="es">' in unknown.content.decode()
    assert 'href="/static/outreach/public.css"' in unknown.content.decode()


def test_no_cookie_on_any_public_page(site, make_session):
    session = make_session()
    client = Client()
    urls = ["/es/", "/es/offer/", "/es/guides/", "/es/guides/pe/", "/es/sessions/",
            f"/es/sessions/{session.public_id}/", "/es/contact/", "/es/refer/",
            "/es/sessions/calendar.ics", "/sitemap.xml", "/robots.txt", "/es/faq/"]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
    assert not client.cookies


def test_content_pages_may_be_cached_forms_not(site):
    assert Client().get("/es/offer/")["Cache-Control"] == "public, max-age=300"
    assert "no-store" in Client().get("/es/contact/")["Cache-Control"]


def test_views_are_counted_without_anything_of_the_visitor(site):
    Client().get("/es/offer/")
    Client().get("/es/offer/")
    Client().get("/it/offer/")
    counts = {(c.name, c.language): c.count for c in PublicCount.objects.filter(kind="view")}
    assert counts[("offer", "es")] == 2
    assert counts[("offer", "it")] == 1


@pytest.mark.parametrize(
    ("accept", "target"), [("es-PE,es;q=0.9", "/es/"), ("pt-BR", "/pt/"), ("de", "/en/")]
)
def test_a_visitor_of_the_root_goes_to_the_public_home_in_their_language(db, accept, target):
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_staff_still_land_on_their_home(personas):
    client = Client()
    client.force_login(personas.ana)
    assert client.get("/").status_code == 200


def test_robots_txt():
    text = Client().get("/robots.txt").content.decode()
    assert "Allow: /es/" in text
    assert "Allow: /static/outreach/" in text  # the style sheet search engines render with
    assert "Disallow: /\n" in text  # staff pages, whatever their path
    assert "Disallow: /api/" in text
    assert "Disallow: /outreach/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_sitemap_lists_pages_and_guides_with_alternates(site):
    from xml.etree import ElementTree

    response = Client().get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert "http://testserver/es/guides/pe/" in locs
    assert "http://testserver/it/offer/" in locs
    assert "http://testserver/pt/" in locs
    peru = next(
        u for u in root.findall("s:url", ns) if u.find("s:loc", ns).text.endswith("/es/guides/pe/")
    )
    alternates = {a.get("hreflang"): a.get("href") for a in peru.findall("x:link", ns)}
    assert alternates["it"] == "http://testserver/it/guides/pe/"
    assert len(alternates) == 4
