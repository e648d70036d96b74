"""What plans contributes: the case page's Plan tab, its timeline kinds and audit verbs, the
plans waiting for a coordinator's approval on My work, and what it holds about a person."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.lib.plugins import AppPlugin, CaseTab, MyWorkItem, TimelineKinds
from retorno.plans import personal_data
from retorno.plans.access import plans_visible_to
from retorno.plans.models import Plan
from retorno.plans.rules import may_approve
from retorno.plans.timeline import DESCRIBERS


def approvals(user, today):
    """Plans submitted at the coordinator's desk that she may approve (not those she wrote part
    of): the approve action's own rule."""
    if not user.can(Capability.MANAGE_CASES):
        return None
    plans = [
        plan
        for plan in plans_visible_to(user)
        .filter(status=Plan.Status.SUBMITTED, case__owning_desk=user.organisation)
        .select_related("case")
        .order_by("submitted_at")[:20]
        if may_approve(user, plan)
    ]
    return {"plans": plans} if plans else None


PLUGIN = AppPlugin(
    urls="retorno.plans.urls",
    tabs=(CaseTab("plan", _("Plan"), "plans:plan", position=50),),
    timeline_kinds=(TimelineKinds("plan", DESCRIBERS),),
    audit_verbs={
        "plan.drafted": _("Reintegration plan drafted"),
        "plan.changed": _("Reintegration plan changed"),
        "plan.submitted": _("Reintegration plan submitted"),
        "plan.approved": _("Reintegration plan approved"),
        "plan.sent_back": _("Reintegration plan sent back"),
        "plan.agreed": _("Returnee's agreement recorded"),
        "plan.new_version": _("New version of the reintegration plan"),
        "plan.printed": _("Reintegration plan printed"),
        "plan.anonymised": _("Reintegration plans anonymised"),
    },
    my_work=(MyWorkItem("approvals", 30, "plans/my_work_approvals.html", approvals),),
    personal_data_models=("Plan", "Goal", "PlanAction"),
    person_data=personal_data.person_data,
    anonymise=personal_data.anonymise_person,
)
