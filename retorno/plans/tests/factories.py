"""A case in reintegration at Lima with services to refer to, built through the actions."""

from retorno.cases import actions as case_actions
from retorno.cases.tests.factories import consent, handed_over, register
from retorno.conftest import acting
from retorno.directory.tests import factories as directory
from retorno.plans import actions


def lima_case(personas):
    """María, handed over from Milan to Lima, accepted, and assigned to Lucía."""
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    return case_actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )


def training_service(personas):
    org = directory.organization(
        personas,
        name="Centro de Formación Profesional Lima",
        kind="training_centre",
        retorno_organisation=personas.org("CFPLIM"),
    )
    directory.location(org, personas)
    return directory.service(org, personas, name="Curso de costura")


def offline_service(personas):
    org = directory.organization(personas, name="Fundación Andes", kind="ngo")
    return directory.service(
        org, personas, name="Apoyo psicológico", service_type="psychosocial_support"
    )


def approved_plan(case, personas, *, service=None, writer=None, approver=None):
    writer = acting(writer or personas.lucia)
    approver = acting(approver or personas.mateo)
    plan = actions.draft_plan(case, actor=writer)
    goal = actions.add_goal(
        plan, actor=writer, dimension="economic", description="Work as a seamstress in Lima"
    )
    actions.add_action(
        goal,
        actor=writer,
        description="Sewing course",
        responsible="service" if service else "desk",
        service=service,
    )
    actions.submit_plan(plan, actor=writer)
    return actions.approve_plan(plan, actor=approver)


def sharing_consent(case, personas, partner_code="CFPLIM"):
    return consent(case, personas.lucia, "partner_sharing", partner=personas.org(partner_code))
