"""Every change to reintegration plans: drafted at the European desk, adapted at the national
desk, approved by a coordinator who did not write it, agreed by the person. Atomic, audited,
on the case's timeline."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.audit.events import diff
from retorno.cases.actions import event
from retorno.cases.rules import (
    audit_case,
    require_capability,
    require_case_open,
    require_case_owner,
)
from retorno.lib.errors import ActionError
from retorno.plans.models import Goal, Plan, PlanAction
from retorno.plans.rules import approval_problem


def _require_draft(plan: Plan) -> None:
    if plan.status != Plan.Status.DRAFT:
        raise ActionError(
            _("This version is no longer a draft. Make a new version to change it."),
            code="not_draft",
        )


def _contributed(plan: Plan, actor) -> None:
    # Everyone who wrote part of a version; none of them may approve it (four eyes).
    ids = set(plan.contributors or [])
    if actor.pk not in ids:
        plan.contributors = sorted(ids | {actor.pk})
        plan.save(update_fields=["contributors"])


@transaction.atomic
def draft_plan(case, *, actor, summary: str = "") -> Plan:
    require_case_owner(actor, case)
    require_case_open(case)
    if Plan.objects.filter(case=case, status__in=["draft", "submitted"]).exists():
        raise ActionError(_("This case already has a plan being written."), code="already_done")
    last = Plan.objects.filter(case=case).order_by("-number").first()
    if last is not None:
        raise ActionError(_("Make a new version of the approved plan instead."))
    plan = Plan.objects.create(
        case=case,
        number=1,
        summary=summary,
        drafted_by=actor,
        drafted_at_desk=actor.organisation,
        contributors=[actor.pk],
    )
    audit_case("plan.drafted", actor=actor, case=case, detail={"plan": str(plan.public_id)})
    event(case, "plan_drafted", actor=actor, number=1)
    return plan


@transaction.atomic
def update_plan_summary(plan: Plan, *, actor, summary: str) -> Plan:
    require_case_owner(actor, plan.case)
    _require_draft(plan)
    changes = diff(plan, {"summary": summary})
    if changes:
        plan.summary = summary
        plan.save(update_fields=["summary"])
        _contributed(plan, actor)
        audit_case("plan.changed", actor=actor, case=plan.case, changes=changes)
    return plan


def _touch(plan: Plan, actor, what: str, **detail) -> None:
    _contributed(plan, actor)
    audit_case(
        "plan.changed",
        actor=actor,
        case=plan.case,
        detail={"plan": str(plan.public_id), "what": what, **detail},
    )


@transaction.atomic
def add_goal(plan: Plan, *, actor, dimension: str, description: str) -> Goal:
    require_case_owner(actor, plan.case)
    _require_draft(plan)
    if not description.strip():
        raise ActionError(_("Describe the goal"), field="description")
    position = plan.goals.filter(dimension=dimension).count()
    goal = Goal.objects.create(
        plan=plan, dimension=dimension, description=description.strip(), position=position
    )
    _touch(plan, actor, "goal_added", dimension=dimension)
    return goal


@transaction.atomic
def update_goal(goal: Goal, *, actor, dimension: str, description: str) -> Goal:
    plan = goal.plan
    require_case_owner(actor, plan.case)
    _require_draft(plan)
    if not description.strip():
        raise ActionError(_("Describe the goal"), field="description")
    changes = diff(goal, {"dimension": dimension, "description": description.strip()})
    if changes:
        goal.dimension = dimension
        goal.description = description.strip()
        goal.save(update_fields=["dimension", "description"])
        _touch(plan, actor, "goal_changed", changes=changes)
    return goal


@transaction.atomic
def remove_goal(goal: Goal, *, actor) -> None:
    plan = goal.plan
    require_case_owner(actor, plan.case)
    _require_draft(plan)
    if goal.actions.filter(referrals__isnull=False).exists():
        raise ActionError(_("A referral was made from this goal's actions; cancel them instead."))
    goal.delete()
    _touch(plan, actor, "goal_removed")


ACTION_FIELDS = ("description", "responsible", "service", "due_on", "estimated_cost", "currency")


def _check_action(fields: dict) -> dict:
    if not (fields.get("description") or "").strip():
        raise ActionError(_("Say what is to be done"), field="description")
    if fields.get("responsible") == PlanAction.Responsible.SERVICE and not fields.get("service"):
        raise ActionError(_("Choose the service from the directory"), field="service")
    if fields.get("responsible") != PlanAction.Responsible.SERVICE:
        fields["service"] = None
    cost = fields.get("estimated_cost")
    if cost is not None and cost < 0:
        raise ActionError(_("The cost cannot be negative"), field="estimated_cost")
    if cost is not None and not fields.get("currency"):
        raise ActionError(_("Choose the currency of the cost"), field="currency")
    fields["description"] = fields["description"].strip()
    return fields


@transaction.atomic
def add_action(goal: Goal, *, actor, **fields) -> PlanAction:
    plan = goal.plan
    require_case_owner(actor, plan.case)
    _require_draft(plan)
    fields = _check_action({k: v for k, v in fields.items() if k in ACTION_FIELDS})
    action = PlanAction.objects.create(goal=goal, position=goal.actions.count(), **fields)
    _touch(plan, actor, "action_added")
    return action


@transaction.atomic
def update_action(action: PlanAction, *, actor, **fields) -> PlanAction:
    plan = action.goal.plan
    require_case_owner(actor, plan.case)
    _require_draft(plan)
    fields = _check_action({k: v for k, v in fields.items() if k in ACTION_FIELDS})
    changes = diff(action, fields)
    if changes:
        for name, value in fields.items():
            setattr(action, name, value)
        action.save(update_fields=list(fields))
        _touch(plan, actor, "action_changed", changes=changes)
    return action


@transaction.atomic
def remove_action(action: PlanAction, *, actor) -> None:
    plan = action.goal.plan
    require_case_owner(actor, plan.case)
    _require_draft(plan)
    if action.referrals.exists():
        raise ActionError(_("A referral was made from this action; cancel the action instead."))
    action.delete()
    _touch(plan, actor, "action_removed")


@transaction.atomic
def set_action_status(action: PlanAction, *, actor, status: str) -> PlanAction:
    """Progress on an action (planned, in progress, done, cancelled) is recorded on the
    version in force without a new version: it is what happened, not a change of plan."""
    plan = action.goal.plan
    require_case_owner(actor, plan.case)
    if status not in PlanAction.Status.values:
        raise ActionError(_("Choose the status"), field="status")
    if plan.status == Plan.Status.SUPERSEDED:
        raise ActionError(_("This version was replaced. Update the current version."))
    if action.status == status:
        return action
    changes = diff(action, {"status": status})
    action.status = status
    action.save(update_fields=["status"])
    audit_case(
        "plan.changed",
        actor=actor,
        case=plan.case,
        changes=changes,
        detail={"plan": str(plan.public_id), "what": "action_status"},
    )
    event(
        plan.case, "plan_action_status", actor=actor, action=action.description[:80], status=status
    )
    return action


@transaction.atomic
def submit_plan(plan: Plan, *, actor) -> Plan:
    require_case_owner(actor, plan.case)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Plan.Status.SUBMITTED:
        raise ActionError(_("This plan is already waiting for approval."), code="already_done")
    _require_draft(plan)
    if not PlanAction.objects.filter(goal__plan=plan).exists():
        raise ActionError(_("Add at least one goal with an action before submitting the plan."))
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_by = actor
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_by", "submitted_at"])
    _contributed(plan, actor)
    audit_case("plan.submitted", actor=actor, case=plan.case, detail={"number": plan.number})
    event(plan.case, "plan_submitted", actor=actor, number=plan.number)
    return plan


@transaction.atomic
def approve_plan(plan: Plan, *, actor) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
    if plan.status == Plan.Status.APPROVED:
        raise ActionError(_("This plan was already approved."), code="already_done")
    problem = approval_problem(plan, actor)
    if problem:
        state = plan.status != Plan.Status.SUBMITTED and actor.can(Capability.MANAGE_CASES)
        raise ActionError(problem, code="invalid" if state else "forbidden")
    previous = Plan.objects.filter(case=plan.case, status=Plan.Status.APPROVED).first()
    if previous is not None:
        _carry_progress(previous, plan)
    Plan.objects.filter(case=plan.case, status=Plan.Status.APPROVED).update(
        status=Plan.Status.SUPERSEDED
    )
    plan.status = Plan.Status.APPROVED
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    audit_case("plan.approved", actor=actor, case=plan.case, detail={"number": plan.number})
    event(plan.case, "plan_approved", actor=actor, number=plan.number)
    return plan


RANK = {"planned": 0, "in_progress": 1, "done": 2, "cancelled": 2}


def _carry_progress(old: Plan, new: Plan) -> None:
    """What happened on the version in force while the new one was written is not lost: an
    action of the new version that is behind the old one takes its progress, and the referrals
    made from the old action follow the action into the new version."""
    old_actions = {a.lineage: a for a in PlanAction.objects.filter(goal__plan=old)}
    for action in PlanAction.objects.filter(goal__plan=new):
        before = old_actions.get(action.lineage)
        if before is None:
            continue
        if RANK[before.status] > RANK[action.status]:
            action.status = before.status
            action.save(update_fields=["status"])
        before.referrals.update(plan_action=action)


@transaction.atomic
def send_back_plan(plan: Plan, *, actor, reason: str) -> Plan:
    require_capability(actor, Capability.MANAGE_CASES)
    require_case_owner(actor, plan.case)
    if plan.status != Plan.Status.SUBMITTED:
        raise ActionError(_("Only a plan waiting for approval can be sent back."))
    if not reason.strip():
        raise ActionError(_("Say what should change"), field="reason")
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["status"])
    audit_case("plan.sent_back", actor=actor, case=plan.case, detail={"reason": reason})
    event(plan.case, "plan_sent_back", actor=actor, reason=reason)
    return plan


@transaction.atomic
def record_agreement(plan: Plan, *, actor, agreed_on, how: str, witness: str = "") -> Plan:
    require_case_owner(actor, plan.case)
    plan = Plan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
    if plan.status != Plan.Status.APPROVED:
        raise ActionError(_("The person agrees to the approved plan. Approve it first."))
    if agreed_on > timezone.localdate():
        raise ActionError(_("The date cannot be in the future"), field="agreed_on")
    if how == Plan.AgreedHow.VERBAL and not witness.strip():
        raise ActionError(_("Enter the name of the witness"), field="witness")
    plan.agreed_on = agreed_on
    plan.agreed_how = how
    plan.agreement_witness = witness.strip()
    plan.save(update_fields=["agreed_on", "agreed_how", "agreement_witness"])
    audit_case(
        "plan.agreed", actor=actor, case=plan.case, detail={"number": plan.number, "how": how}
    )
    event(plan.case, "plan_agreed", actor=actor, number=plan.number)
    return plan


@transaction.atomic
def new_version(plan: Plan, *, actor) -> Plan:
    """A change to an approved plan starts from a copy of it; the approved version stays in
    force (and readable) until the new one is approved."""
    require_case_owner(actor, plan.case)
    plan = Plan.objects.select_related("case").get(pk=plan.pk)
    require_case_open(plan.case)
    if Plan.objects.filter(case=plan.case, status__in=["draft", "submitted"]).exists():
        raise ActionError(_("A new version is already being written."), code="already_done")
    if plan.status != Plan.Status.APPROVED:
        raise ActionError(_("Only the approved plan can be changed with a new version."))
    latest = Plan.objects.filter(case=plan.case).order_by("-number").first()
    copy = Plan.objects.create(
        case=plan.case,
        number=latest.number + 1,
        summary=plan.summary,
        drafted_by=actor,
        drafted_at_desk=actor.organisation,
        previous=plan,
        contributors=[actor.pk],
    )
    for goal in plan.goals.prefetch_related("actions"):
        new_goal = Goal.objects.create(
            plan=copy,
            dimension=goal.dimension,
            description=goal.description,
            position=goal.position,
            lineage=goal.lineage,
        )
        for action in goal.actions.all():
            PlanAction.objects.create(
                goal=new_goal,
                description=action.description,
                responsible=action.responsible,
                service=action.service,
                due_on=action.due_on,
                status=action.status,
                estimated_cost=action.estimated_cost,
                currency=action.currency,
                position=action.position,
                lineage=action.lineage,
            )
    audit_case("plan.new_version", actor=actor, case=plan.case, detail={"number": copy.number})
    event(plan.case, "plan_new_version", actor=actor, number=copy.number)
    return copy


def record_print(plan: Plan, *, actor, language: str) -> None:
    audit_case(
        "plan.printed",
        actor=actor,
        case=plan.case,
        detail={"number": plan.number, "language": language},
    )
