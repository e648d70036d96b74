"""What outreach contributes: the public site and the campaign's pages, its audit verbs, the
leads flagged on My work, and what it holds about a person."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.lib.plugins import AppPlugin, MyWorkItem, NavSection
from retorno.outreach import personal_data, queries
from retorno.outreach.actions import content, leads, public, sessions

VERBS = {
    **content.VERBS,
    **public.VERBS,
    **sessions.VERBS,
    **leads.VERBS,
    "lead.anonymised": _("Lead anonymised"),
}

PLUGIN = AppPlugin(
    urls="retorno.outreach.urls",
    url_prefix="",
    navigation=(
        NavSection(_("Public site"), "outreach:content", Capability.RUN_OUTREACH, position=170),
        NavSection(
            _("Leads"),
            "outreach:leads",
            Capability.RUN_OUTREACH,
            position=172,
            badge=queries.new_leads_count,
        ),
        NavSection(_("Campaign"), "outreach:campaign", Capability.RUN_OUTREACH, position=175),
    ),
    my_work=(MyWorkItem("leads", 28, "outreach/leads/my_work.html", queries.my_unanswered_leads),),
    audit_verbs=VERBS,
    personal_data_models=("Lead", "SignUp"),
    other_models=(
        "PublicPage",
        "PageVersion",
        "PageTranslation",
        "Campaign",
        "LocalOrganisation",
        "InfoSession",
        "SessionMaterial",
        "AttendanceCount",
        "RegionRule",
        "DeskOutreach",
        "LeadCounter",
        "PublicCount",
        "SubmissionTally",
    ),
    person_data=personal_data.person_data,
    anonymise=personal_data.anonymise_person,
)
