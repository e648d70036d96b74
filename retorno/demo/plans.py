"""Demo reintegration plans and referrals: an approved plan for every demo case in
reintegration (drafted by a caseworker, approved by a coordinator), and referrals in every
status, several to the Lima training centre whose staff (carla.partner) answer in Retorno."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from retorno.accounts.middleware import act_as
from retorno.accounts.models import Membership
from retorno.cases.actions import record_consent
from retorno.cases.models import Case, Consent
from retorno.directory.models import Service
from retorno.plans import actions as plan_actions
from retorno.plans.models import Plan, PlanAction
from retorno.referrals import actions as referral_actions
from retorno.referrals.models import Referral

GOALS = [
    (
        "economic",
        "Find stable work or start a small business within a year.",
        [
            (
                "Vocational training in the trade practised in Europe",
                "service",
                "vocational_training",
                350,
            ),
            ("Register with the public employment service", "service", "job_search", None),
        ],
    ),
    (
        "social",
        "Settle the family: school places for the children and a place to live.",
        [
            ("Enrol the children at school", "desk", None, None),
            ("Help with rent for the first three months", "desk", None, 600),
        ],
    ),
    (
        "psychosocial",
        "Cope with the return and rebuild networks at home.",
        [("Counselling sessions with a psychologist", "service", "psychosocial_support", None)],
    ),
]

STATUS_SCRIPT = [
    Referral.Status.SENT,
    Referral.Status.ACCEPTED,
    Referral.Status.IN_PROGRESS,
    Referral.Status.COMPLETED,
    Referral.Status.DECLINED,
    Referral.Status.NOT_DELIVERED,
]


def _staff(desk, role):
    membership = (
        Membership.objects.filter(organisation=desk, role=role, is_active=True)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    return act_as(membership.user, desk.code) if membership else None


def _service(country, service_type):
    services = Service.objects.filter(
        organization__country=country, service_type=service_type, not_public=False
    ).select_related("organization__retorno_organisation")
    linked = services.filter(organization__retorno_organisation__isnull=False).first()
    return linked or services.first()


@transaction.atomic
def ensure_demo_plans() -> int:
    if Plan.objects.filter(case__person__desk_reference__startswith="DEMO-").exists():
        return 0
    today = timezone.localdate()
    made = 0
    cases = (
        Case.objects.filter(
            person__desk_reference__startswith="DEMO-", phase__in=["reintegration", "follow_up"]
        )
        .select_related("owning_desk", "person")
        .order_by("reference")
    )
    for n, case in enumerate(cases):
        desk = case.owning_desk
        writer = _staff(desk, "caseworker")
        approver = _staff(desk, "coordinator")
        if writer is None or approver is None:
            continue
        plan = plan_actions.draft_plan(case, actor=writer)
        plan_actions.update_plan_summary(
            plan,
            actor=writer,
            summary="Back home with the family, working, and the children at school.",
        )
        country = case.person.return_country.code
        for dimension, text, steps in GOALS:
            goal = plan_actions.add_goal(plan, actor=writer, dimension=dimension, description=text)
            for description, responsible, service_type, cost in steps:
                service = _service(country, service_type) if service_type else None
                plan_actions.add_action(
                    goal,
                    actor=writer,
                    description=description,
                    responsible=responsible if service else "desk",
                    service=service,
                    due_on=today + datetime.timedelta(days=30 * (1 + len(steps))),
                    estimated_cost=Decimal(cost) if cost else None,
                    currency="PEN" if cost and country == "PE" else ("USD" if cost else ""),
                )
        plan_actions.submit_plan(plan, actor=writer)
        plan_actions.approve_plan(plan, actor=approver)
        plan_actions.record_agreement(
            plan, actor=writer, agreed_on=today - datetime.timedelta(days=2), how="signed"
        )
        made += 1
        _demo_referrals(case, plan, writer, n, today)
    return made


def _demo_referrals(case, plan, writer, n, today):
    actions_with_service = PlanAction.objects.filter(
        goal__plan=plan, service__isnull=False
    ).select_related("service__organization__retorno_organisation")
    for k, action in enumerate(actions_with_service):
        partner = referral_actions.ensure_partner_organisation(
            action.service.organization, actor=writer
        )
        if referral_actions.sharing_consent(case, action.service) is None:
            record_consent(
                case,
                actor=writer,
                purpose=Consent.Purpose.PARTNER_SHARING,
                partner=partner,
                given=True,
                decided_on=today - datetime.timedelta(days=3),
                method=Consent.Method.SIGNED_FORM,
            )
        referral = referral_actions.refer(
            case,
            actor=writer,
            service=action.service,
            need=action.description,
            shared_fields=["name", "phone", "need", "languages"],
            plan_action=action,
        )
        target = STATUS_SCRIPT[(n + k) % len(STATUS_SCRIPT)]
        answerer = _answerer(referral, writer)
        path = {
            Referral.Status.SENT: [],
            Referral.Status.ACCEPTED: [Referral.Status.ACCEPTED],
            Referral.Status.IN_PROGRESS: [Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS],
            Referral.Status.COMPLETED: [Referral.Status.ACCEPTED, Referral.Status.COMPLETED],
            Referral.Status.DECLINED: [Referral.Status.DECLINED],
            Referral.Status.NOT_DELIVERED: [
                Referral.Status.ACCEPTED,
                Referral.Status.NOT_DELIVERED,
            ],
        }[target]
        for status in path:
            text = {
                Referral.Status.DECLINED: "The course is full until March.",
                Referral.Status.NOT_DELIVERED: "The person did not come to the first two sessions.",
                Referral.Status.COMPLETED: "Finished the course with a certificate.",
            }.get(status, "")
            referral_actions.change_status(referral, actor=answerer, status=status, text=text)
        if target == Referral.Status.SENT and n % 2:
            # An old referral nobody answered: overdue on the caseworker's My work page.
            Referral.objects.filter(pk=referral.pk).update(
                reply_by=today - datetime.timedelta(days=3)
            )


def _answerer(referral, writer):
    if referral.recipient is None:
        return writer
    membership = (
        referral.recipient.memberships.filter(is_active=True).select_related("user").first()
    )
    return act_as(membership.user, referral.recipient.code)
