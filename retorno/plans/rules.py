"""The rules a change to a plan checks, public for the pages, the API and My work alike.

Who may approve a version is decided here only: a coordinator of the desk that owns the case, who
wrote no part of it, while it waits for approval."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.plans.models import Plan


def wrote_part_of(user, plan: Plan) -> bool:
    """Whether the user drafted or changed this version: its authors may not approve it."""
    return user.pk in (plan.contributors or [])


def approval_problem(plan: Plan, actor):
    """Why the actor cannot approve this version, as a sentence; None when they can."""
    if not actor.can(Capability.MANAGE_CASES):
        return _("Only a coordinator of the desk approves a plan.")
    if actor.organisation is None or plan.case.owning_desk_id != actor.organisation.pk:
        return _("Only a coordinator of the desk that owns the case approves its plan.")
    if wrote_part_of(actor, plan):
        return _("You wrote part of this plan, so another coordinator must approve it.")
    if plan.status != Plan.Status.SUBMITTED:
        return _("Only a plan waiting for approval can be approved.")
    return None


def may_approve(user, plan: Plan) -> bool:
    return approval_problem(plan, user) is None
