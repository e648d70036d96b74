"""The rules of the directory, set up through the real actions."""

import datetime

import pytest

from retorno.audit.models import AuditEvent
from retorno.conftest import acting
from retorno.directory import actions
from retorno.directory.models import Location, Organization, Service, ServiceAtLocation
from retorno.directory.tests.factories import location, organization, service
from retorno.lib.errors import ActionError

pytestmark = pytest.mark.django_db


def test_lima_coordinator_adds_an_organisation_and_it_is_audited(personas):
    org = organization(personas, phones=["01 555 0100"], email="info@example.org")
    assert org.country.code == "PE"
    assert [p.number for p in org.phones.all()] == ["+5115550100"]
    event = AuditEvent.objects.get(verb="directory.organization_created")
    assert event.actor == personas.mateo
    assert event.target_label == "Fundación Andes"
    assert event.changes["name"] == [None, "Fundación Andes"]
    assert event.changes["phones"] == [[], ["+5115550100"]]


@pytest.mark.parametrize("who", ["bruno", "lucia", "rosa", "carla", "eva"])
def test_only_coordinators_of_the_countrys_national_desk_change_its_directory(personas, who):
    with pytest.raises(ActionError) as error:
        organization(personas, actor=personas[who])
    assert error.value.code == "forbidden"
    assert not Organization.objects.exists()


def test_la_paz_coordinator_keeps_bolivias_directory_not_perus(personas):
    org = organization(personas, actor=personas.rosa, country="BO", name="Fundación Illimani")
    assert org.country.code == "BO"
    peru = organization(personas)
    with pytest.raises(ActionError):
        actions.update_organization(peru, actor=acting(personas.rosa), name="Mine")


def test_a_service_records_its_parts_and_its_search_text(personas):
    org = organization(personas)
    place = location(org, personas)
    svc = service(
        org,
        personas,
        locations=[place],
        phones=["987 654 321"],
        languages=["es", "qu", "es"],
        schedules=[{"byday": "FR,MO", "opens_at": "09:00", "closes_at": "17:30"}],
    )
    assert list(svc.locations.all()) == [place]
    assert [lang.code for lang in svc.languages.all()] == ["es", "qu"]
    schedule = svc.schedules.get()
    assert (schedule.byday, schedule.opens_at) == ("MO,FR", datetime.time(9, 0))
    assert svc.phones.get().number == "+51987654321"
    assert "curso de costura" in svc.search_text
    assert "fundacion andes" in svc.search_text
    assert AuditEvent.objects.filter(verb="directory.service_created").count() == 1


def test_texts_are_kept_per_language_and_unknown_languages_refused(personas):
    org = organization(personas)
    svc = service(org, personas, description={"en": " Sewing ", "es": "Costura", "it": ""})
    assert svc.description == {"es": "Costura", "en": "Sewing"}
    with pytest.raises(ActionError, match="Italian, Spanish, Portuguese or English"):
        service(org, personas, name="Otro", description={"fr": "Couture"})


def test_an_edit_based_on_an_old_version_is_refused(personas):
    org = organization(personas)
    svc = service(org, personas)
    mateo = acting(personas.mateo)
    actions.update_service(svc, actor=mateo, expected_version=1, name="Costura industrial")
    with pytest.raises(ActionError, match="Someone else changed this service") as error:
        actions.update_service(svc, actor=mateo, expected_version=1, name="Costura")
    assert error.value.code == "conflict"
    svc.refresh_from_db()
    assert (svc.name, svc.version) == ("Costura industrial", 2)
    event = AuditEvent.objects.get(verb="directory.service_updated")
    assert event.changes == {"name": ["Curso de costura", "Costura industrial"]}


def test_an_edit_that_changes_nothing_records_nothing(personas):
    org = organization(personas)
    svc = service(org, personas, phones=["987 654 321"])
    actions.update_service(
        svc, actor=acting(personas.mateo), name="Curso de costura", phones=["+51 987 654 321"]
    )
    svc.refresh_from_db()
    assert svc.version == 1
    assert not AuditEvent.objects.filter(verb="directory.service_updated").exists()


def test_renaming_an_organisation_refreshes_its_services_search(personas):
    org = organization(personas)
    svc = service(org, personas)
    actions.update_organization(org, actor=acting(personas.mateo), name="Asociación Qhapaq")
    svc.refresh_from_db()
    assert "qhapaq" in svc.search_text


def test_a_service_is_only_at_locations_of_its_own_organisation(personas):
    org = organization(personas)
    other = organization(personas, name="Otra")
    with pytest.raises(ActionError, match="its own organisation"):
        service(org, personas, locations=[location(other, personas)])


def test_wrong_values_are_refused_with_the_field_they_concern(personas):
    org = organization(personas)
    cases = [
        ({"phones": ["12"]}, "phones"),
        ({"schedules": [{"byday": "XX"}]}, "schedules"),
        ({"schedules": [{"opens_at": "18:00", "closes_at": "09:00"}]}, "schedules"),
        ({"languages": ["fr"]}, "languages"),
        ({"minimum_age": 30, "maximum_age": 20}, "maximum_age"),
        ({"email": "nope"}, "email"),
        ({"url": "ftp://x"}, "url"),
        ({"service_type": "magic"}, "service_type"),
    ]
    for fields, field in cases:
        with pytest.raises(ActionError) as error:
            service(org, personas, **fields)
        assert error.value.field == field, fields
    assert not Service.objects.exists()


def test_a_location_needs_a_city_unless_it_is_online(personas):
    org = organization(personas)
    with pytest.raises(ActionError, match="Enter the city"):
        location(org, personas, city="")
    online = location(org, personas, name="Web", city="", location_type="virtual")
    assert online.country.code == "PE"


def test_deactivating_and_reactivating_is_audited_once(personas):
    org = organization(personas)
    svc = service(org, personas)
    place = location(org, personas)
    mateo = acting(personas.mateo)
    actions.set_service_status(svc, actor=mateo, status="inactive")
    actions.set_service_status(svc, actor=mateo, status="inactive")
    actions.set_location_active(place, actor=mateo, active=False)
    actions.set_organization_active(org, actor=mateo, active=False)
    actions.set_organization_active(org, actor=mateo, active=True)
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))[-4:]
    assert verbs == [
        "directory.service_deactivated",
        "directory.location_deactivated",
        "directory.organization_deactivated",
        "directory.organization_reactivated",
    ]
    assert Location.objects.get().is_active is False


def test_a_directory_organisation_links_to_a_partner_of_the_same_country(personas):
    org = organization(personas, retorno_organisation=personas.org("CFPLIM"))
    assert org.on_retorno
    with pytest.raises(ActionError, match="same country"):
        organization(personas, name="X", retorno_organisation=personas.org("EMPBOG"))
    with pytest.raises(ActionError, match="same country"):
        organization(personas, name="Y", retorno_organisation=personas.org("MIL"))


def test_removing_a_location_from_a_service_keeps_the_other_links(personas):
    org = organization(personas)
    a, b = location(org, personas, name="A"), location(org, personas, name="B")
    svc = service(org, personas, locations=[a, b])
    kept = ServiceAtLocation.objects.get(location=a).public_id
    actions.update_service(svc, actor=acting(personas.mateo), locations=[a])
    assert list(ServiceAtLocation.objects.values_list("public_id", flat=True)) == [kept]
    event = AuditEvent.objects.get(verb="directory.service_updated")
    assert event.changes == {"locations": [["A", "B"], ["A"]]}
