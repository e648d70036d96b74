"""Who may see and change reintegration plans: the plan is part of the case, so the case's
access decides (cases.access); only the owning desk changes it."""

from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts.access import get_or_404
from retorno.cases.access import FULL, cases_visible_to
from retorno.plans.models import Goal, Plan, PlanAction


def plans_visible_to(user) -> QuerySet[Plan]:
    return Plan.objects.filter(case__in=cases_visible_to(user))


def plans_of_case(case) -> QuerySet[Plan]:
    """The versions of a case's plan; the case must come from cases.access with full access."""
    if getattr(case, "access", None) != FULL:
        raise Http404
    return Plan.objects.filter(case=case).select_related("drafted_by", "approved_by")


def current_plan(case) -> Plan | None:
    """The version people work on: the open draft or submission if there is one, otherwise the
    latest approved version."""
    plans = plans_of_case(case)
    return (
        plans.filter(status__in=[Plan.Status.DRAFT, Plan.Status.SUBMITTED]).first()
        or plans.filter(status=Plan.Status.APPROVED).first()
        or plans.first()
    )


def get_plan_version(case, number) -> Plan:
    plan = plans_of_case(case).filter(number=number).first()
    if plan is None:
        raise Http404
    return plan


def get_goal_for_user(user, plan: Plan, public_id) -> Goal:
    return get_or_404(Goal.objects.filter(plan=plan), public_id)


def get_action_for_user(user, plan: Plan, public_id) -> PlanAction:
    return get_or_404(
        PlanAction.objects.filter(goal__plan=plan).select_related("goal", "service"), public_id
    )


def plan_actions_visible_to(user) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(goal__plan__in=plans_visible_to(user))
