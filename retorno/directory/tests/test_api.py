"""The directory's API: same access, actions and audit as the pages."""

import uuid

import pytest
from rest_framework.test import APIClient

from retorno.audit.models import AuditEvent
from retorno.directory.models import Organization, Service
from retorno.directory.tests.factories import location, organization, service

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/directory/services/"
ORGANISATIONS = "/api/v1/directory/organisations/"


@pytest.fixture
def peru(personas):
    org = organization(personas)
    place = location(org, personas)
    svc = service(
        org,
        personas,
        locations=[place],
        languages=["es", "qu"],
        description={"es": "Curso de costura.", "en": "Sewing course."},
    )
    shelter = service(
        org,
        personas,
        name="Refugio",
        service_type="gbv_trafficking_support",
        description={"es": "Acogida segura."},
        not_public=True,
    )
    return {"org": org, "location": place, "service": svc, "shelter": shelter}


def test_anonymous_gets_401_and_roles_without_the_directory_403(api_as, personas, peru):
    svc = f"{SERVICES}{peru['service'].public_id}/"
    for url in (SERVICES, ORGANISATIONS, svc):
        assert APIClient().get(url).status_code == 401
    for who in ("pia", "admin"):
        api = api_as(personas[who])
        assert api.get(SERVICES).status_code == 403
        assert api.get(svc).status_code == 403


def test_services_are_listed_with_codes_and_the_lists_filters(api_as, personas, peru):
    api = api_as(personas.lucia)
    body = api.get(SERVICES, {"language": "qu"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == str(peru["service"].public_id)
    assert row["service_type"] == "vocational_training"
    assert row["cities"] == ["Lima"]
    assert row["languages"] == ["es", "qu"]
    assert row["description"] == {"es": "Curso de costura.", "en": "Sewing course."}
    assert api.get(SERVICES, {"q": "COSTURA"}).json()["count"] == 1
    assert api.get(SERVICES, {"country": "BO"}).json()["count"] == 0
    bad = api.get(SERVICES, {"service_type": "magic"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_a_partner_does_not_get_a_service_kept_from_the_public(api_as, personas, peru):
    api = api_as(personas.carla)
    assert api.get(SERVICES).json()["count"] == 1
    assert api.get(f"{SERVICES}{peru['shelter'].public_id}/").status_code == 404
    staff = api_as(personas.eva).get(f"{SERVICES}{peru['shelter'].public_id}/").json()
    assert staff["not_public"] is True


def test_the_service_list_runs_a_constant_number_of_queries(
    api_as, personas, peru, django_assert_max_num_queries
):
    api = api_as(personas.lucia)
    with django_assert_max_num_queries(9) as few:
        assert api.get(SERVICES).status_code == 200
    for i in range(30):
        service(peru["org"], personas, name=f"Servicio {i}", languages=["es"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(SERVICES, {"page_size": 200}).json()["count"] == 32


def test_mateo_creates_and_changes_a_service_and_both_are_audited(api_as, personas, peru):
    api = api_as(personas.mateo)
    created = api.post(
        SERVICES,
        {
            "organization": str(peru["org"].public_id),
            "name": "Bolsa de trabajo",
            "service_type": "job_placement",
            "description": {"es": "Ofertas de empleo."},
            "locations": [str(peru["location"].public_id)],
            "phones": [{"number": "01 555 0101"}],
            "schedules": [{"byday": "MO,TU", "opens_at": "09:00", "closes_at": "13:00"}],
            "languages": [{"code": "es"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["phones"][0]["number"] == "+5115550101"
    assert body["locations"][0]["city"] == "Lima"
    assert body["schedules"][0]["opens_at"] == "09:00"
    url = f"{SERVICES}{body['id']}/"
    changed = api.patch(url, {"version": 1, "status": "inactive"}, format="json")
    assert changed.status_code == 200 and changed.json()["status"] == "inactive"
    stale = api.patch(url, {"version": 1, "name": "Otra"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"directory.service_created", "directory.service_updated"} <= verbs


@pytest.mark.parametrize("who", ["bruno", "lucia", "rosa"])
def test_only_the_countrys_coordinators_write(api_as, personas, peru, who):
    api = api_as(personas[who])
    svc = f"{SERVICES}{peru['service'].public_id}/"
    body = {"organization": str(peru["org"].public_id), "name": "X", "service_type": "housing"}
    assert api.post(SERVICES, body, format="json").status_code == 403
    assert api.patch(svc, {"version": 1, "name": "X"}, format="json").status_code == 403
    org = f"{ORGANISATIONS}{peru['org'].public_id}/"
    assert api.patch(org, {"version": 1, "name": "X"}, format="json").status_code == 403
    assert Service.objects.filter(name="X").count() == 0


def test_organisations_are_created_in_the_coordinators_country(api_as, personas):
    body = {"kind": "public_agency", "name": "SENA", "description": {"es": "Formación."}}
    assert api_as(personas.bruno).post(ORGANISATIONS, body, format="json").status_code == 403
    created = api_as(personas.andres).post(ORGANISATIONS, body, format="json")
    assert created.status_code == 201
    assert created.json()["country"] == "CO"
    assert Organization.objects.get().country.code == "CO"


def test_wrong_values_come_back_in_the_error_shape(api_as, personas, peru):
    api = api_as(personas.mateo)
    response = api.post(
        SERVICES,
        {
            "organization": str(peru["org"].public_id),
            "name": "X",
            "service_type": "housing",
            "description": {"fr": "Logement"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "description": ["Write texts in Italian, Spanish, Portuguese or English (it, es, pt, en)."]
    }
    missing = api.post(
        SERVICES,
        {"organization": str(uuid.uuid4()), "name": "X", "service_type": "housing"},
        format="json",
    )
    assert missing.status_code == 400
    assert "organization" in missing.json()["error"]["fields"]


def test_an_organisation_shows_its_visible_locations_and_services(api_as, personas, peru):
    url = f"{ORGANISATIONS}{peru['org'].public_id}/"
    staff = api_as(personas.lucia).get(url).json()
    assert sorted(s["name"] for s in staff["services"]) == ["Curso de costura", "Refugio"]
    partner = api_as(personas.carla).get(url).json()
    assert [s["name"] for s in partner["services"]] == ["Curso de costura"]
    assert staff["locations"][0]["address_1"] == "Av. Principal 100"


def test_locations_are_added_and_changed_through_the_api(api_as, personas, peru):
    api = api_as(personas.mateo)
    created = api.post(
        f"{ORGANISATIONS}{peru['org'].public_id}/locations/",
        {"name": "Refugio", "city": "Lima", "not_public": True},
        format="json",
    )
    assert created.status_code == 201
    url = f"/api/v1/directory/locations/{created.json()['id']}/"
    changed = api.patch(url, {"version": 1, "region": "Lima"}, format="json")
    assert changed.json()["region"] == "Lima"
    assert api_as(personas.carla).get(url).status_code == 404
