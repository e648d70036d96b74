"""What grants shows under the actions of a reintegration plan (the plans app reads it through
retorno.lib.plugins, without importing grants): each grant requested for an action, with its
state and amount, and the link to request one from an action of the economic part."""

from django.urls import reverse
from django.utils.translation import gettext as _

from retorno.cases.access import FULL, may_change_case
from retorno.cases.models import Phase
from retorno.grants.access import grants_visible_to
from retorno.lib.money import format_amount
from retorno.lib.plugins import PlanActionLink
from retorno.plans.models import Dimension


def plan_action_links(user, plan, actions) -> dict:
    """{action lineage: [PlanActionLink]}, in one query for all the actions. The plan's case must
    come from cases.access (plan.case set to it): only who has full access sees grants here."""
    case = plan.case
    if getattr(case, "access", None) != FULL:
        return {}
    lineages = [a.lineage for a in actions]
    grants = (
        grants_visible_to(user)
        .filter(case=case, action_lineage__in=lineages)
        .only("public_id", "action_lineage", "grant_type", "status", "amount", "currency")
        .order_by("created_at", "pk")
    )
    found: dict = {}
    for grant in grants:
        amount = format_amount(grant.amount, grant.currency) if grant.amount else ""
        label = _("Grant: %(type)s") % {"type": grant.get_grant_type_display()}
        if amount:
            label = f"{label} · {amount}"
        found.setdefault(grant.action_lineage, []).append(
            PlanActionLink(
                label,
                reverse("grants:detail", args=[grant.public_id]),
                str(grant.get_status_display()),
            )
        )
    may_request = may_change_case(user, case) and case.phase != Phase.CLOSED
    for action in actions:
        if (
            may_request
            and action.goal.dimension == Dimension.ECONOMIC
            and action.status != action.Status.CANCELLED
        ):
            found.setdefault(action.lineage, []).append(
                PlanActionLink(
                    _("Request a grant"), reverse("grants:create", args=[action.public_id])
                )
            )
    return found
