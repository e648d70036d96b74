"""Who reads what of the directory, and what the public may see."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from retorno.conftest import acting
from retorno.directory import access, actions
from retorno.directory.tests.factories import location, organization, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def lima(personas):
    """A public service, a shelter not shown to the public, and the training centre's own
    service not shown to the public either."""
    org = organization(personas)
    street = location(org, personas)
    hidden_place = location(org, personas, name="Refugio", address_1="", not_public=True)
    public = service(org, personas, locations=[street, hidden_place])
    shelter = service(
        org,
        personas,
        name="Casa de acogida",
        service_type="gbv_trafficking_support",
        not_public=True,
        locations=[hidden_place],
    )
    cfp = organization(
        personas,
        name="CFP Lima",
        kind="training_centre",
        retorno_organisation=personas.org("CFPLIM"),
    )
    own = service(cfp, personas, name="Curso interno", not_public=True)
    return {"public": public, "shelter": shelter, "own": own, "hidden_place": hidden_place}


def names(qs):
    return sorted(qs.values_list("name", flat=True))


def test_the_public_sees_neither_hidden_services_nor_hidden_places(personas, lima):
    assert names(access.services_visible_to_public()) == ["Curso de costura"]
    assert names(access.locations_visible_to_public()) == ["Sede central"]
    actions.set_service_status(lima["public"], actor=acting(personas.mateo), status="inactive")
    assert names(access.services_visible_to_public()) == []


def test_an_inactive_organisation_has_no_public_services(personas, lima):
    actions.set_organization_active(
        lima["public"].organization, actor=acting(personas.mateo), active=False
    )
    assert names(access.services_visible_to_public()) == []
    assert names(access.locations_visible_to_public()) == []


@pytest.mark.parametrize("who", ["lucia", "ana", "bruno", "mateo", "eva"])
def test_desk_staff_and_me_see_every_service_of_every_country(personas, lima, who):
    user = acting(personas[who])
    assert names(access.services_visible_to(user)) == [
        "Casa de acogida",
        "Curso de costura",
        "Curso interno",
    ]
    assert access.sees_not_public(user)


def test_a_partner_sees_what_the_public_sees_and_its_own_services(personas, lima):
    carla = acting(personas.carla)
    assert names(access.services_visible_to(carla)) == ["Curso de costura", "Curso interno"]
    assert "Refugio" not in names(access.locations_visible_to(carla))
    with pytest.raises(Http404):
        access.get_service_for_user(carla, lima["shelter"].public_id)
    assert names(access.services_of_own_organisation(carla)) == ["Curso interno"]


def test_an_outreach_officer_sees_only_what_the_public_sees(personas, lima):
    assert names(access.services_visible_to(acting(personas.olga))) == ["Curso de costura"]


@pytest.mark.parametrize("who", ["pia", "admin"])
def test_the_dpo_and_administrators_do_not_read_the_directory(personas, lima, who):
    user = acting(personas[who])
    assert not access.may_read(user)
    assert not access.services_visible_to(user).exists()
    assert not access.organizations_visible_to(user).exists()


def test_only_the_countrys_national_desk_coordinators_may_write(personas, lima):
    svc = lima["public"]
    assert access.get_service_for_user(acting(personas.mateo), svc.public_id, write=True)
    for who in ("bruno", "lucia", "rosa", "eva", "carla"):
        with pytest.raises(PermissionDenied):
            access.get_service_for_user(acting(personas[who]), svc.public_id, write=True)
    assert access.maintained_country(acting(personas.mateo)) == "PE"
    assert access.maintained_country(acting(personas.bruno)) is None


def test_an_unknown_or_malformed_id_is_a_404(personas):
    with pytest.raises(Http404):
        access.get_service_for_user(acting(personas.lucia), "not-a-uuid")
