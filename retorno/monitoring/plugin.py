"""What monitoring contributes: its audit verbs and timeline kinds, the planning of a case's
follow-ups when it enters reception (phase_changed), and what it holds about a person."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.lib.plugins import AppPlugin, CaseTab, MyWorkItem, NavSection, TimelineKinds
from retorno.monitoring import actions, personal_data, queries
from retorno.monitoring.timeline import DESCRIBERS

VERBS = {
    "monitoring.planned": _("Follow-ups planned"),
    "monitoring.schedule_set": _("Monitoring schedule set"),
    "follow_up.recorded": _("Follow-up recorded"),
    "follow_up.attempt_failed": _("Failed contact attempt recorded"),
    "monitoring.lost_contact_proposed": _("Proposed for closing as lost contact"),
    "monitoring.lost_contact_decided": _("Lost-contact proposal decided"),
    "survey.started": _("Sustainability survey started"),
    "survey.saved": _("Sustainability survey saved"),
    "survey.submitted": _("Sustainability survey submitted"),
    "monitoring.at_risk": _("Case at risk"),
    "instrument.loaded": _("Survey version loaded"),
    "monitoring.anonymised": _("Monitoring notes anonymised"),
}

PLUGIN = AppPlugin(
    urls="retorno.monitoring.urls",
    url_prefix="monitoring/",
    navigation=(
        # Desk coordinators and programme coordination (the page says which desks).
        NavSection(_("Monitoring"), "monitoring:desk", Capability.MANAGE_CASES, position=160),
    ),
    tabs=(CaseTab("monitoring", _("Monitoring"), "monitoring:case", position=58),),
    my_work=(
        MyWorkItem("at_risk", 25, "monitoring/my_work_at_risk.html", queries.my_at_risk),
        MyWorkItem(
            "lost_contact", 27, "monitoring/my_work_lost_contact.html", queries.my_lost_contact
        ),
    ),
    audit_verbs=VERBS,
    timeline_kinds=(TimelineKinds("follow_up", DESCRIBERS),),
    phase_changed=(actions.on_phase_changed,),
    personal_data_models=("CaseMonitoring", "FollowUp", "ContactAttempt", "Survey"),
    other_models=("Instrument", "InstrumentVersion", "Schedule"),
    person_data=personal_data.person_data,
    anonymise=personal_data.anonymise_person,
)
