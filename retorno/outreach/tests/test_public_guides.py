"""The country guides: the eight countries named in the reader's language, a guide's text and
below it the directory's public services of that country, grouped by type, never a service or
a place kept from the public, in a constant number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from retorno.directory.tests import factories
from retorno.outreach.tests.public_site import publish_page

pytestmark = pytest.mark.django_db


def test_the_eight_countries_in_the_readers_language(personas):
    page = Client().get("/es/guides/").content.decode()
    for name, code in (("Bolivia", "bo"), ("Brasil", "br"), ("Perú", "pe"), ("Uruguay", "uy")):
        assert f'<a href="/es/guides/{code}/">{name}</a>' in page
    english = Client().get("/en/guides/").content.decode()
    assert '<a href="/en/guides/br/">Brazil</a>' in english


def test_a_country_not_of_return_is_not_found(personas):
    assert Client().get("/es/guides/ar/").status_code == 404
    assert Client().get("/es/guides/PE/").status_code == 404


def peru_directory(personas):
    org = factories.organization(
        personas,
        name="SENCE Perú",
        phones=[{"number": "+5114567890"}],
        website="https://sence.example",
    )
    lima = factories.location(org, personas)
    hidden_place = factories.location(
        org, personas, name="Casa refugio", address_1="Calle Secreta 1", city="Callao",
        not_public=True,
    )  # fmt: skip
    factories.service(org, personas, name="Curso de costura", locations=[lima])
    factories.service(
        org, personas, name="Apoyo psicosocial", service_type="psychosocial_support",
        locations=[hidden_place],
    )  # fmt: skip
    factories.service(org, personas, name="Refugio para sobrevivientes", not_public=True)
    return org, lima


def test_the_guide_and_its_public_services(personas):
    publish_page(personas, "guide-pe", kind="guide", country="PE", languages=("es",),
                 body="## Documentos\n\nLleve su pasaporte.")  # fmt: skip
    peru_directory(personas)
    page = Client().get("/en/guides/pe/").content.decode()
    assert "Lleve su pasaporte." in page
    assert "This page is not yet available in English; it is shown in Spanish." in page
    assert "Public programmes and services in Peru" in page
    assert "<h3>Psychosocial support</h3>" in page
    assert "<h3>Vocational training and professionalisation</h3>" in page
    assert "Curso de costura" in page and "Apoyo psicosocial" in page
    assert "SENCE Perú" in page and "<dd>Lima</dd>" in page
    assert 'href="tel:+5114567890"' in page
    assert "Curso de costura industrial de tres meses." in page
    # Never a service or a place kept from the public.
    assert "Refugio para sobrevivientes" not in page
    assert "Casa refugio" not in page and "Callao" not in page and "Calle Secreta" not in page


def test_another_countrys_services_are_not_in_the_guide(personas):
    peru_directory(personas)
    page = Client().get("/es/guides/cl/").content.decode()
    assert "Curso de costura" not in page
    assert "This guide is being written." in Client().get("/en/guides/cl/").content.decode()


def test_the_guide_runs_a_constant_number_of_queries(personas):
    org, lima = peru_directory(personas)
    Client().get("/es/guides/pe/")  # warm what is read once per process
    with CaptureQueriesContext(connection) as few:
        Client().get("/es/guides/pe/")
    for number in range(6):
        factories.service(org, personas, name=f"Servicio {number}", locations=[lima],
                          phones=[{"number": f"+51145678{number}0"}])  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        page = Client().get("/es/guides/pe/").content.decode()
    assert "Servicio 5" in page
    assert len(many.captured_queries) == len(few.captured_queries)
