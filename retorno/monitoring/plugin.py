"""What monitoring contributes: its audit verbs and timeline kinds, the planning of a case's
follow-ups when it enters reception (phase_changed), and what it holds about a person."""

from django.utils.translation import gettext_lazy as _

from retorno.lib.plugins import AppPlugin, TimelineKinds
from retorno.monitoring import actions, personal_data
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
    audit_verbs=VERBS,
    timeline_kinds=(TimelineKinds("follow_up", DESCRIBERS),),
    phase_changed=(actions.on_phase_changed,),
    personal_data_models=("CaseMonitoring", "FollowUp", "ContactAttempt", "Survey"),
    other_models=("Instrument", "InstrumentVersion", "Schedule"),
    person_data=personal_data.person_data,
    anonymise=personal_data.anonymise_person,
)
