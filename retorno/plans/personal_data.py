"""What plans holds about a person (the plans of their cases) and how it anonymises it: the
texts go, the structure stays for statistics (dimensions, statuses, dates, services, costs)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.audit.events import record
from retorno.lib.plugins import PersonDataSection
from retorno.plans.models import Goal, Plan, PlanAction


def _plans(person):
    return Plan.objects.filter(case__person=person)


def person_data(person) -> list[PersonDataSection]:
    plans = list(_plans(person).select_related("case").order_by("case_id", "number"))
    goals = list(Goal.objects.filter(plan__in=plans).order_by("plan_id", "position", "pk"))
    actions = list(PlanAction.objects.filter(goal__in=goals).order_by("goal_id", "position", "pk"))
    sections = []
    for plan in plans:
        rows = [
            (str(_("case")), plan.case.reference),
            (str(_("version")), str(plan.number)),
            (str(_("status")), str(plan.get_status_display())),
        ]
        if plan.summary:
            rows.append((str(_("summary")), plan.summary))
        if plan.agreed_on:
            rows.append((str(_("agreed by the person on")), str(plan.agreed_on)))
        if plan.agreement_witness:
            rows.append((str(_("witness")), plan.agreement_witness))
        for goal in (g for g in goals if g.plan_id == plan.pk):
            rows.append((str(goal.get_dimension_display()), goal.description))
            rows += [
                (str(_("action")), action.description)
                for action in actions
                if action.goal_id == goal.pk
            ]
        sections.append(PersonDataSection(_("Reintegration plan"), tuple(rows)))
    return sections


def anonymise_person(person, *, actor) -> int:
    """Blank the texts of the plans of the person's cases; atomic, audited (`plan.anonymised`)."""
    with transaction.atomic():
        plans = _plans(person)
        changed = {
            "plans": plans.update(summary="", agreement_witness=""),
            "goals": Goal.objects.filter(plan__in=plans).update(description=""),
            "actions": PlanAction.objects.filter(goal__plan__in=plans).update(description=""),
        }
        if changed["plans"]:
            record(
                "plan.anonymised",
                actor=actor,
                target=person,
                person_id=person.public_id,
                detail=changed,
            )
    return sum(changed.values())
