"""Every directory action leaves its audit event: the verb, who, on what, and what changed."""

import pytest

from retorno.conftest import acting
from retorno.directory import actions
from retorno.directory.tests.factories import location, organization, service
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


def test_organisations_programmes_services_and_locations(personas):
    mateo = acting(personas.mateo)
    org = organization(personas)
    assert_audited("directory.organization_created", actor=mateo, target=org)
    actions.update_organization(org, actor=mateo, name="Fundación Andes Perú")
    assert_audited(
        "directory.organization_updated",
        actor=mateo,
        target=org,
        changes={"name": ["Fundación Andes", "Fundación Andes Perú"]},
    )
    org = actions.set_organization_active(org, actor=mateo, active=False)
    assert_audited(
        "directory.organization_deactivated",
        actor=mateo,
        target=org,
        changes={"is_active": [True, False]},
    )
    org = actions.set_organization_active(org, actor=mateo, active=True)
    assert_audited(
        "directory.organization_reactivated",
        actor=mateo,
        target=org,
        changes={"is_active": [False, True]},
    )
    program = actions.create_program(org, actor=mateo, name="Retorno Productivo")
    assert_audited("directory.program_created", actor=mateo, target=program)
    actions.update_program(program, actor=mateo, name="Retorno Productivo 2")
    assert_audited(
        "directory.program_updated",
        actor=mateo,
        target=program,
        changes={"name": ["Retorno Productivo", "Retorno Productivo 2"]},
    )
    course = service(org, personas)
    assert_audited("directory.service_created", actor=mateo, target=course)
    actions.update_service(course, actor=mateo, name="Curso de costura industrial")
    assert_audited(
        "directory.service_updated",
        actor=mateo,
        target=course,
        changes={"name": ["Curso de costura", "Curso de costura industrial"]},
    )
    course = actions.set_service_status(course, actor=mateo, status="inactive")
    assert_audited(
        "directory.service_deactivated",
        actor=mateo,
        target=course,
        changes={"status": ["active", "inactive"]},
    )
    actions.set_service_status(course, actor=mateo, status="active")
    assert_audited(
        "directory.service_reactivated",
        actor=mateo,
        target=course,
        changes={"status": ["inactive", "active"]},
    )
    site = location(org, personas)
    assert_audited("directory.location_created", actor=mateo, target=site)
    actions.update_location(site, actor=mateo, name="Sede norte")
    assert_audited(
        "directory.location_updated",
        actor=mateo,
        target=site,
        changes={"name": ["Sede central", "Sede norte"]},
    )
    site = actions.set_location_active(site, actor=mateo, active=False)
    assert_audited(
        "directory.location_deactivated",
        actor=mateo,
        target=site,
        changes={"is_active": [True, False]},
    )
    actions.set_location_active(site, actor=mateo, active=True)
    assert_audited(
        "directory.location_reactivated",
        actor=mateo,
        target=site,
        changes={"is_active": [False, True]},
    )
