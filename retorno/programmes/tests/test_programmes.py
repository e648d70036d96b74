"""Programmes and cycles, kept by administrators at the same addresses as before their move."""

import datetime

from retorno.audit.models import AuditEvent
from retorno.cases.tests.factories import register
from retorno.programmes.models import Cycle, Programme


def test_it_lists_the_programmes_at_their_address(personas, as_user):
    response = as_user(personas.admin).get("/programmes/")

    assert response.status_code == 200
    assert "RETORNO" in response.content.decode()


def test_an_administrator_adds_a_programme(personas, as_user):
    response = as_user(personas.admin).post(
        "/programmes/new/", {"code": "pilot-2", "name": "Pilot two", "description": ""}
    )

    programme = Programme.objects.get(code="PILOT-2")
    assert response.status_code == 302
    assert response["Location"] == f"/programmes/{programme.public_id}/"
    event = AuditEvent.objects.get(verb="programme.created")
    assert event.actor == personas.admin
    assert event.target_type == "programmes.programme"
    assert event.target_id == str(programme.public_id)
    assert event.detail == {"name": "Pilot two"}


def test_an_administrator_adds_a_cycle(personas, as_user):
    programme = Programme.objects.get(code="RETORNO")
    response = as_user(personas.admin).post(
        f"/programmes/{programme.public_id}/cycles/new/",
        {"name": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "target_people": 900},
    )

    cycle = Cycle.objects.get(programme=programme, name="2027")
    assert response.status_code == 302
    assert cycle.starts_on == datetime.date(2027, 1, 1)
    assert AuditEvent.objects.get(verb="cycle.created").target_id == str(cycle.public_id)


def test_a_caseworker_may_not_see_the_programmes(personas, as_user):
    assert as_user(personas.ana).get("/programmes/").status_code == 403


def test_a_case_belongs_to_the_current_cycle_of_its_desk(personas):
    case = register(personas.ana)

    assert case.cycle == Cycle.objects.get(programme__code="RETORNO", desks=case.owning_desk)
