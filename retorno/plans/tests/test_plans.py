import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from retorno.audit.models import AuditEvent
from retorno.conftest import acting
from retorno.lib.errors import ActionError
from retorno.plans import actions
from retorno.plans.models import Plan, PlanAction
from retorno.plans.tests.factories import approved_plan, lima_case, training_service

pytestmark = pytest.mark.django_db


def test_a_plan_is_drafted_submitted_and_approved_by_another_coordinator(personas):
    case = lima_case(personas)
    lucia, mateo = acting(personas.lucia), acting(personas.mateo)
    plan = actions.draft_plan(case, actor=lucia)
    with pytest.raises(ActionError, match="Add at least one goal"):
        actions.submit_plan(plan, actor=lucia)
    goal = actions.add_goal(plan, actor=lucia, dimension="economic", description="Find work")
    actions.add_action(
        goal, actor=lucia, description="Register at the job centre", responsible="desk"
    )
    plan = actions.submit_plan(plan, actor=lucia)
    plan = actions.approve_plan(plan, actor=mateo)
    assert plan.status == Plan.Status.APPROVED and plan.approved_by == personas.mateo
    assert AuditEvent.objects.filter(verb="plan.approved").exists()


def test_nobody_approves_a_plan_they_wrote(personas):
    case = lima_case(personas)
    mateo = acting(personas.mateo)
    plan = actions.draft_plan(case, actor=mateo)
    goal = actions.add_goal(plan, actor=mateo, dimension="social", description="School")
    actions.add_action(goal, actor=mateo, description="Enrol the children", responsible="desk")
    actions.submit_plan(plan, actor=mateo)
    with pytest.raises(ActionError, match="another coordinator must approve it"):
        actions.approve_plan(plan, actor=mateo)


def test_a_caseworker_cannot_approve(personas):
    case = lima_case(personas)
    plan = actions.draft_plan(case, actor=acting(personas.mateo))
    goal = actions.add_goal(plan, actor=acting(personas.mateo), dimension="social", description="x")
    actions.add_action(goal, actor=acting(personas.mateo), description="y", responsible="desk")
    actions.submit_plan(plan, actor=acting(personas.mateo))
    with pytest.raises(ActionError, match="Only a coordinator"):
        actions.approve_plan(plan, actor=acting(personas.lucia))


def test_changing_an_approved_plan_makes_a_new_version_and_keeps_the_old(personas):
    case = lima_case(personas)
    first = approved_plan(case, personas)
    with pytest.raises(ActionError, match="no longer a draft"):
        actions.add_goal(first, actor=acting(personas.lucia), dimension="social", description="x")
    second = actions.new_version(first, actor=acting(personas.lucia))
    assert second.number == 2 and second.previous == first
    assert PlanAction.objects.filter(goal__plan=second).count() == 1
    goal = second.goals.get()
    actions.add_action(
        goal,
        actor=acting(personas.lucia),
        description="Buy a machine",
        responsible="person",
        estimated_cost=Decimal("400"),
        currency="PEN",
    )
    actions.submit_plan(second, actor=acting(personas.lucia))
    actions.approve_plan(second, actor=acting(personas.mateo))
    first.refresh_from_db()
    assert first.status == Plan.Status.SUPERSEDED
    assert first.goals.get().actions.count() == 1  # the old version is unchanged


def test_the_agreement_is_recorded_after_approval(personas):
    case = lima_case(personas)
    plan = approved_plan(case, personas)
    with pytest.raises(ActionError, match="witness"):
        actions.record_agreement(
            plan, actor=acting(personas.lucia), agreed_on=timezone.localdate(), how="verbal"
        )
    plan = actions.record_agreement(
        plan, actor=acting(personas.lucia), agreed_on=timezone.localdate(), how="signed"
    )
    assert plan.agreed_on == timezone.localdate()


def test_a_service_action_needs_its_service(personas):
    case = lima_case(personas)
    plan = actions.draft_plan(case, actor=acting(personas.lucia))
    goal = actions.add_goal(
        plan, actor=acting(personas.lucia), dimension="economic", description="x"
    )
    with pytest.raises(ActionError, match="Choose the service"):
        actions.add_action(
            goal, actor=acting(personas.lucia), description="Course", responsible="service"
        )


def test_adapting_and_approving_through_the_pages(as_user, personas):
    case = lima_case(personas)
    service = training_service(personas)
    plan = approved_plan(case, personas)
    lucia = as_user(personas.lucia)
    lucia.post(reverse("plans:new_version", args=[case.public_id]))
    draft = Plan.objects.get(case=case, number=2)
    goal = draft.goals.get()
    response = lucia.post(
        reverse("plans:action_add", args=[case.public_id, goal.public_id]),
        {
            "description": "Sewing course",
            "responsible": "service",
            "service": service.pk,
            "due_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
            "estimated_cost": "1.250,50",
            "currency": "PEN",
        },
    )
    assert response.status_code == 302
    assert PlanAction.objects.get(goal=goal, service=service).estimated_cost == Decimal("1250.50")
    lucia.post(reverse("plans:submit", args=[case.public_id]))
    page = lucia.get(reverse("plans:plan", args=[case.public_id])).content.decode()
    assert "Waiting for approval" in page and "Approve plan" not in page
    mateo = as_user(personas.mateo)
    check = mateo.get(reverse("plans:approve", args=[case.public_id])).content.decode()
    assert "Check the plan before you approve it" in check
    mateo.post(reverse("plans:approve", args=[case.public_id]))
    assert Plan.objects.get(case=case, number=2).status == Plan.Status.APPROVED
    compare = mateo.get(reverse("plans:compare", args=[case.public_id])).content.decode()
    assert "Added" in compare and "Curso de costura" in compare
    assert plan.number == 1


def test_the_plan_prints_as_a_pdf_in_the_persons_language(as_user, personas):
    case = lima_case(personas)
    approved_plan(case, personas)
    response = as_user(personas.lucia).get(reverse("plans:pdf", args=[case.public_id, 1]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"plan-{case.reference}-v1-es.pdf" in response["Content-Disposition"]
    assert "María" not in response["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="plan.printed").exists()


def _plan_with_costs(personas):
    case = lima_case(personas)
    lucia = acting(personas.lucia)
    plan = actions.draft_plan(case, actor=lucia)
    goal = actions.add_goal(plan, actor=lucia, dimension="economic", description="A workshop")
    for description, cost, currency in [
        ("Sewing machine", "1250.50", "PEN"),
        ("Fabric", "400", "PEN"),
        ("Travel to Lima", "300", "EUR"),
        ("Advice from the desk", None, ""),
    ]:
        actions.add_action(
            goal,
            actor=lucia,
            description=description,
            responsible="person",
            estimated_cost=Decimal(cost) if cost else None,
            currency=currency,
        )
    actions.submit_plan(plan, actor=lucia)
    return case


def test_the_approval_page_shows_the_total_cost_per_currency(as_user, personas):
    from retorno.accounts.models import User

    case = _plan_with_costs(personas)
    mateo = as_user(personas.mateo)
    url = reverse("plans:approve", args=[case.public_id])
    page = mateo.get(url).content.decode()
    assert "Total estimated cost" in page
    assert "1,650.50 PEN" in page and "300.00 EUR" in page
    User.objects.filter(pk=personas.mateo.pk).update(preferred_language="it")
    page = mateo.get(url).content.decode()
    assert "Costo stimato totale" in page
    assert "1.650,50 PEN" in page and "300,00 EUR" in page
    User.objects.filter(pk=personas.mateo.pk).update(preferred_language="es")
    page = mateo.get(url).content.decode()
    assert "1\u00a0650,50 PEN" in page and "300,00 EUR" in page


def test_the_plan_page_counts_no_cancelled_action_in_the_total(as_user, personas):
    case = _plan_with_costs(personas)
    plan = Plan.objects.get(case=case)
    actions.approve_plan(plan, actor=acting(personas.mateo))
    fabric = PlanAction.objects.get(goal__plan=plan, description="Fabric")
    actions.set_action_status(fabric, actor=acting(personas.lucia), status="cancelled")
    page = as_user(personas.lucia).get(reverse("plans:plan", args=[case.public_id]))
    text = page.content.decode()
    assert "1,250.50 PEN" in text and "1,650.50 PEN" not in text


def _services_in_two_countries(personas):
    from retorno.directory.tests import factories as directory

    lima = training_service(personas)
    andes = directory.organization(personas, name="Asociación Andina")
    directory.service(
        andes, personas, name="Apoyo psicológico", service_type="psychosocial_support"
    )
    la_paz = directory.organization(
        personas, actor=personas.rosa, country="BO", name="Centro Boliviano"
    )
    bolivia = directory.service(la_paz, personas, actor=personas.rosa, name="Taller de tejido")
    return lima, bolivia


def test_the_service_chooser_opens_on_the_return_country_grouped_by_organisation(as_user, personas):
    case = lima_case(personas)
    _lima, bolivia = _services_in_two_countries(personas)
    plan = actions.draft_plan(case, actor=acting(personas.lucia))
    goal = actions.add_goal(plan, actor=acting(personas.lucia), dimension="social", description="x")
    url = reverse("plans:action_add", args=[case.public_id, goal.public_id])
    lucia = as_user(personas.lucia)
    page = lucia.get(url).content.decode()
    chooser = page.split('name="service"', 1)[1].split("</select>", 1)[0]
    assert '<optgroup label="Asociación Andina">' in chooser
    assert '<optgroup label="Centro de Formación Profesional Lima">' in chooser
    assert "Curso de costura" in chooser and "Apoyo psicológico" in chooser
    assert "Taller de tejido" not in chooser
    assert '<option value="PE" selected>' in page
    # Another country, without losing what was typed and without error messages.
    shown = lucia.post(
        url,
        {"description": "Knitting workshop", "service_country": "BO", "show_services": "1"},
    )
    assert shown.status_code == 200
    text = shown.content.decode()
    chooser = text.split('name="service"', 1)[1].split("</select>", 1)[0]
    assert '<optgroup label="Centro Boliviano">' in chooser and "Curso de costura" not in chooser
    assert "Knitting workshop</textarea>" in text and "There is a problem" not in text
    assert not PlanAction.objects.filter(goal=goal).exists()
    saved = lucia.post(
        url,
        {
            "description": "Knitting workshop",
            "responsible": "service",
            "service": bolivia.pk,
            "service_country": "BO",
        },
    )
    assert saved.status_code == 302
    assert PlanAction.objects.get(goal=goal).service == bolivia


def test_the_service_chooser_narrows_by_type(as_user, personas):
    case = lima_case(personas)
    _services_in_two_countries(personas)
    plan = actions.draft_plan(case, actor=acting(personas.lucia))
    goal = actions.add_goal(plan, actor=acting(personas.lucia), dimension="social", description="x")
    url = reverse("plans:action_add", args=[case.public_id, goal.public_id])
    page = as_user(personas.lucia).post(
        url,
        {
            "service_country": "PE",
            "service_type_filter": "psychosocial_support",
            "show_services": "1",
        },
    )
    chooser = page.content.decode().split('name="service"', 1)[1].split("</select>", 1)[0]
    assert "Apoyo psicológico" in chooser and "Curso de costura" not in chooser


def test_the_service_chooser_reads_the_services_in_one_query(as_user, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from retorno.directory.tests import factories as directory

    case = lima_case(personas)
    training_service(personas)
    plan = actions.draft_plan(case, actor=acting(personas.lucia))
    goal = actions.add_goal(plan, actor=acting(personas.lucia), dimension="social", description="x")
    url = reverse("plans:action_add", args=[case.public_id, goal.public_id])
    lucia = as_user(personas.lucia)
    lucia.get(url)
    with CaptureQueriesContext(connection) as few:
        response = lucia.get(url)
    assert response.status_code == 200
    for n in range(5):
        org = directory.organization(personas, name=f"Organización {n}")
        directory.service(org, personas, name=f"Servicio {n}")
    with CaptureQueriesContext(connection) as many:
        response = lucia.get(url)
    assert response.status_code == 200
    assert "Servicio 4" in response.content.decode()
    assert len(many) == len(few)
