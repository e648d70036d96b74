"""What grants contributes: the Grants section (the desk's grants, the budgets, the policy),
the case page's Grants tab, its audit verbs and timeline kinds, the grants waiting for the
user's approval and the instalments due on My work, and what it holds about a person."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.grants import links, personal_data, queries
from retorno.grants.timeline import DESCRIBERS
from retorno.lib.plugins import AppPlugin, CaseTab, MyWorkItem, NavSection, TimelineKinds

VERBS = {
    "grant_policy.created": _("Grant policy set"),
    "grant_policy.changed": _("Grant policy changed"),
    "envelope.set": _("Budget envelope set"),
    "budget.exported": _("Budget exported"),
    "grant.drafted": _("Grant request drafted"),
    "grant.changed": _("Grant request changed"),
    "grant.quote_added": _("Supplier quote added"),
    "grant.quote_removed": _("Supplier quote removed"),
    "grant.instalments_planned": _("Grant instalments planned"),
    "grant.submitted": _("Grant request submitted"),
    "grant.approved": _("Grant approved"),
    "grant.rejected": _("Grant request rejected"),
    "grant.payment_recorded": _("Grant payment recorded"),
    "grant.receipt_added": _("Grant receipt added"),
    "grant.cancelled": _("Grant cancelled"),
    "grant.closed": _("Grant closed early"),
    "grant.anonymised": _("Grants anonymised"),
}

PLUGIN = AppPlugin(
    urls="retorno.grants.urls",
    url_prefix="grants/",
    navigation=(
        # Desk staff and programme coordination (coordinators work on cases too).
        NavSection(_("Grants"), "grants:list", Capability.WORK_CASES, position=150),
        # M&E officers read the budgets only; the others reach them from the grants list.
        NavSection(_("Budgets"), "grants:budget", Capability.VIEW_STATISTICS, position=155),
    ),
    tabs=(CaseTab("grants", _("Grants"), "grants:case", position=55),),
    plan_action_links=links.plan_action_links,
    timeline_kinds=(TimelineKinds("plan", DESCRIBERS),),
    audit_verbs=VERBS,
    my_work=(
        MyWorkItem("grant_approvals", 35, "grants/my_work_approvals.html", queries.my_approvals),
        MyWorkItem(
            "instalments_due", 45, "grants/my_work_instalments.html", queries.my_instalments
        ),
    ),
    personal_data_models=("Grant", "GrantDocument", "Instalment", "Receipt"),
    other_models=("GrantPolicy", "TypeCap", "Envelope"),
    person_data=personal_data.person_data,
    anonymise=personal_data.anonymise_person,
)
